// Hostile code under test, loaded after lib: looks through everything reachable from globalThis
// for a fake-clock object (sinon hung one on Date, performance, Intl and Temporal as `.clock`)
// and tries to rewind or advance virtual time through it.
// deno-lint-ignore-file no-explicit-any
import { claimHostSetter } from "../../clock/host.ts";
import { claimRecorder } from "../../clock/run_record.ts";

/** lib's internal setters, claimed by lib when it loaded: each must refuse code under test. */
export function tryToClaim(): string[] {
  const refused: string[] = [];
  for (const [name, claim] of [["host", claimHostSetter], ["recorder", claimRecorder]] as const) {
    try {
      claim();
    } catch {
      refused.push(name);
    }
  }
  return refused;
}

const CLOCK_KEYS = ["tick", "tickAsync", "setSystemTime", "runAll", "runToLast", "jump", "advance"];

/** Paths of the objects reachable from globalThis that look like a clock. */
export function findClocks(limit = 50_000): string[] {
  const seen = new Set<unknown>();
  const found: string[] = [];
  const queue: [unknown, string][] = [[globalThis, "globalThis"]];
  while (queue.length > 0 && seen.size < limit) {
    const [value, path] = queue.shift()!;
    if ((typeof value !== "object" && typeof value !== "function") || value === null) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    let keys: PropertyKey[] = [];
    try {
      keys = Reflect.ownKeys(value);
    } catch {
      continue; // a revoked proxy
    }
    const has = (k: string) => keys.includes(k);
    if (has("clock") || (has("now") && CLOCK_KEYS.some(has))) found.push(path);
    for (const key of keys) {
      let d: PropertyDescriptor | undefined;
      try {
        d = Reflect.getOwnPropertyDescriptor(value, key);
      } catch {
        continue;
      }
      if (d && "value" in d) queue.push([d.value, `${path}.${String(key)}`]);
    }
    queue.push([Object.getPrototypeOf(value), `${path}.__proto__`]);
  }
  return found;
}

/** Every way sinon's clock used to be reached: rewind by 5 s, or jump ahead by 5 s. */
export function tryToMoveTime(): string[] {
  const g = globalThis as any;
  const tried: string[] = [];
  for (const owner of [g.Date, g.performance, g.Intl, g.Temporal, g.setTimeout, g.setInterval]) {
    const clock = owner?.clock;
    if (!clock) continue;
    tried.push(String(owner?.name ?? owner));
    try {
      clock.now -= 5000;
      clock.tick?.(5000);
      clock.setSystemTime?.(0);
    } catch {
      // Read-only: the attempt failed.
    }
  }
  for (const [obj, key] of [[g.Date, "now"], [g.performance, "now"]] as const) {
    try {
      obj[key] = () => 0;
    } catch {
      // Read-only.
    }
  }
  return tried;
}
export const attack = "find_clock";
