/**
 * A fingerprint of the shared globals (globalThis and the prototypes and namespaces code commonly
 * patches), to tell whether an exercise's code changed them. The harness takes one after the
 * test kit has loaded and compares after each exercise: an exercise that changed a global is
 * the last one that process runs, so it can never change another exercise's verdicts.
 *
 * @module
 */

import { I } from "./intrinsics.ts";

/** Property owners compared, by the name shown in a report. */
function owners(): [string, object][] {
  const g = globalThis as unknown as Record<string, unknown>;
  const list: [string, unknown][] = [["globalThis", globalThis]];
  for (
    const name of [
      "Object",
      "Function",
      "Array",
      "Promise",
      "String",
      "Number",
      "Boolean",
      "Symbol",
      "Map",
      "Set",
      "WeakMap",
      "WeakSet",
      "Error",
      "RegExp",
      "Date",
      "AbortController",
      "AbortSignal",
      "EventTarget",
      "Event",
      "Uint8Array",
      "ArrayBuffer",
      "TextEncoder",
      "TextDecoder",
      "URL",
      "Iterator",
      "AsyncIterator",
    ]
  ) {
    const v = g[name];
    if (typeof v === "function") {
      list.push([name, v]);
      list.push([`${name}.prototype`, (v as { prototype?: unknown }).prototype]);
    }
  }
  for (
    const name of [
      "Math",
      "JSON",
      "Reflect",
      "Atomics",
      "console",
      "process",
      "Deno",
      "Bun",
      "performance",
      "crypto",
    ]
  ) list.push([name, g[name]]);
  return list.filter((x): x is [string, object] =>
    typeof x[1] === "object" || typeof x[1] === "function" ? x[1] !== null : false
  );
}

/** A fingerprint: owner -> key -> [value, getter, setter]. */
export type Fingerprint = Map<string, Map<PropertyKey, unknown[]>>;

/**
 * Takes a fingerprint of the globals now.
 *
 * @returns The fingerprint.
 */
export function fingerprint(): Fingerprint {
  const out: Fingerprint = new Map();
  for (const [name, owner] of owners()) {
    const props = new Map<PropertyKey, unknown[]>();
    const keys: PropertyKey[] = [...I.names(owner), ...I.symbols(owner)];
    for (const k of keys) {
      let d: PropertyDescriptor | undefined;
      try {
        d = I.descriptor(owner, k);
      } catch {
        // A proxy that throws on inspection counts as changed below (no descriptor).
        d = undefined;
      }
      props.set(k, d ? [d.value, d.get, d.set] : ["<unreadable>"]);
    }
    out.set(name, props);
  }
  return out;
}

/**
 * What changed between two fingerprints.
 *
 * @param before The earlier one.
 * @param after The later one.
 * @returns "owner.key" of each added, removed or replaced property (empty when nothing changed).
 */
export function changes(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const [name, props] of after) {
    const old = before.get(name);
    if (!old) {
      out.push(name);
      continue;
    }
    for (const [k, v] of props) {
      const o = old.get(k);
      if (!o || o.length !== v.length || o.some((x, i) => !Object.is(x, v[i]))) {
        out.push(`${name}.${I.String(k)}`);
      }
    }
    for (const k of old.keys()) if (!props.has(k)) out.push(`${name}.${I.String(k)}`);
  }
  return out;
}
