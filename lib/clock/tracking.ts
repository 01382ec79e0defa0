/**
 * Promise tracking, for deadlock diagnosis: where each promise of the code under test was created
 * (and by whom it was called), and which of them never settled.
 *
 * How. A stand-in constructor becomes the global `Promise`. `new Promise(...)` through it
 * builds an ordinary intrinsic promise (so `await` keeps its fast path and every microtask runs
 * in the same order as without tracking: the tracked re-run of a test follows the same schedule
 * as the run that deadlocked) and notes it with a captured stack and the virtual time. Its statics
 * run on the intrinsic Promise too (`Promise.resolve(p)` still returns `p`); the promises
 * `all`, `allSettled`, `any`, `race` and `withResolvers` make are noted as well. Nothing is
 * attached to a noted promise (no handler, so unhandled rejections are reported as before): at a
 * deadlock, the runtime says which are still pending (Deno's `core.getPromiseDetails`, Bun's
 * `Bun.peek.status`). Promises of `async` functions are not seen (the engine makes them), but the
 * `new Promise` they wait on is, and the async callers show in its stack.
 *
 * Cost. Off by default: the global `Promise` is then the intrinsic one and passing tests pay
 * nothing. The harness turns it on (config.ts) only to re-run a test that deadlocked; then each
 * noted promise costs one stack capture (a few microseconds).
 *
 * @module
 */
import type { StuckPromises, WaitSite } from "./errors.ts";
import { config } from "./config.ts";
import {
  $apply,
  $bind,
  $construct,
  $defineProperty,
  $exec,
  $freeze,
  $getOwnPropertyDescriptor,
  $indexOf,
  $Map,
  $mapGet,
  $mapSet,
  $max,
  $min,
  $Promise,
  $push,
  $sort,
} from "./intrinsics.ts";
import { captureError, locate } from "./origin.ts";

// deno-lint-ignore no-explicit-any
const g = globalThis as any;

/** Whether a promise is still pending, asked of the runtime; undefined where it cannot tell. */
const isPending: ((p: Promise<unknown>) => boolean) | undefined = (() => {
  const core = g.Deno?.[g.Deno?.internal]?.core;
  if (typeof core?.getPromiseDetails === "function") {
    const details = $bind(core.getPromiseDetails, core);
    return (p: Promise<unknown>) => details(p)[0] === 0;
  }
  const status = g.Bun?.peek?.status;
  if (typeof status === "function") {
    const peek = $bind(status, g.Bun.peek);
    return (p: Promise<unknown>) => peek(p) === "pending";
  }
  return undefined;
})();

interface Recording {
  promises: Promise<unknown>[];
  errors: Error[];
  at: number[];
  now: () => number;
  compactAt: number;
}

let rec: Recording | undefined;

/** Frames kept per promise: its site and its callers are near the top (fewer frames cost less). */
const PROMISE_FRAMES = 16;

function note(p: Promise<unknown>): void {
  const r = rec!;
  $push(r.promises, p);
  $push(r.errors, captureError(PROMISE_FRAMES));
  $push(r.at, r.now());
  if (r.promises.length >= r.compactAt) compact(r);
}

/** Drops the settled ones, so a long run keeps only what may still be stuck. */
function compact(r: Recording): void {
  let n = 0;
  for (let i = 0; i < r.promises.length; i++) {
    if (!isPending!(r.promises[i])) continue;
    r.promises[n] = r.promises[i];
    r.errors[n] = r.errors[i];
    r.at[n] = r.at[i];
    n++;
  }
  r.promises.length = r.errors.length = r.at.length = n;
  r.compactAt = $max(10_000, 2 * n);
}

/**
 * The global `Promise` while tracking is on: a constructor that builds intrinsic promises and
 * notes them; its statics run on the intrinsic Promise. Its own properties are frozen.
 */
function TrackingPromise(this: unknown, executor: unknown): unknown {
  if (new.target === undefined) return $apply($Promise, this, [executor]); // the native TypeError
  const target: unknown = new.target;
  const p = $construct($Promise, [executor], target === tracker ? $Promise : new.target);
  if (rec) note(p);
  return p;
}
const tracker = TrackingPromise as unknown as PromiseConstructor;

/** A static of the tracker: runs on the intrinsic Promise; notes the promise it makes. */
function wrapStatic(name: string, made: "none" | "result" | "promise"): void {
  const native = ($Promise as unknown as Record<string, unknown>)[name];
  if (typeof native !== "function") return;
  const wrapper = {
    [name](this: unknown, ...args: unknown[]): unknown {
      const self = this === tracker ? $Promise : this;
      const out = $apply(native, self, args);
      // A subclass's statics build through its constructor, which notes them already.
      if (rec && self === $Promise && made !== "none") {
        note(
          made === "result"
            ? out as Promise<unknown>
            : (out as { promise: Promise<unknown> }).promise,
        );
      }
      return out;
    },
  }[name];
  $defineProperty(tracker, name, { value: $freeze(wrapper), writable: true, configurable: true });
}
wrapStatic("resolve", "none");
wrapStatic("reject", "none");
wrapStatic("try", "none");
wrapStatic("all", "result");
wrapStatic("allSettled", "result");
wrapStatic("any", "result");
wrapStatic("race", "result");
wrapStatic("withResolvers", "promise");
$defineProperty(tracker, "prototype", { value: $Promise.prototype });
$defineProperty(tracker, "length", { value: 1 });
$defineProperty(tracker, "name", { value: "Promise" });
$defineProperty(
  tracker,
  Symbol.species,
  $getOwnPropertyDescriptor($Promise, Symbol.species)!,
);
$freeze(tracker);

const original = $getOwnPropertyDescriptor(g, "Promise")!;
let installedAtLoad = false;

function setGlobal(value: PromiseConstructor): void {
  $defineProperty(g, "Promise", {
    value,
    writable: original.writable,
    enumerable: original.enumerable,
    configurable: original.configurable,
  });
}

/**
 * Notes a promise lib made for a test (a `deferred()`), as if the caller had made it.
 *
 * @param p The promise.
 *
 * @example
 * ```ts
 * import { trackPromise } from "./tracking.ts";
 * trackPromise(new Promise(() => {}));
 * ```
 */
export function trackPromise(p: Promise<unknown>): void {
  if (rec) note(p);
}

/** Whether this runtime can tell pending promises (Deno and Bun can). */
export const trackingAvailable: boolean = isPending !== undefined;

/**
 * Whether promise tracking records this run (the harness's diagnosis re-run of a deadlocked
 * test): kit objects that count calls for a deadlock's description do it only then, so passing
 * tests pay nothing.
 *
 * @returns True while a run's tracking records.
 */
export function trackingOn(): boolean {
  return rec !== undefined;
}

/**
 * Whether a promise is still pending, asked of the runtime without attaching a handler (so an
 * unhandled rejection is still reported).
 *
 * @param p The promise.
 * @returns True while pending; false when settled or when the runtime cannot tell.
 */
export function stillPending(p: Promise<unknown>): boolean {
  return isPending ? isPending(p) : false;
}

/** A run's tracking. */
export interface Tracking {
  /** The unsettled promises, grouped by creation site (code under test first, oldest first). */
  stuck(): StuckPromises;
  /** Stops recording and puts the global `Promise` back when this run installed it. */
  stop(): void;
}

const TEST_SITE = /\.(test|hidden|cpython)\.[cm]?[jt]s:/;

/**
 * At most this many stuck promises are located, the oldest first: reading a stack costs up to
 * 0.3 ms under Deno (it source-maps every frame), so 200 keep the diagnosis under 100 ms.
 */
const MAX_LOCATED = 200;

/**
 * Starts recording the promises the code under test creates, until `stop()`.
 *
 * @param now Virtual ms since the run started.
 * @returns The run's tracking, or undefined where the runtime cannot tell pending promises.
 */
export function startTracking(now: () => number): Tracking | undefined {
  if (!isPending) return undefined;
  const mine: Recording = { promises: [], errors: [], at: [], now, compactAt: 10_000 };
  rec = mine;
  // Turned on by a test's option only: the tracker is the global for this run, then whatever
  // was there before comes back.
  const before = !installedAtLoad && g.Promise !== tracker
    ? $getOwnPropertyDescriptor(g, "Promise")
    : undefined;
  if (before) setGlobal(tracker);
  return {
    stuck: () => stuckSites(mine),
    stop() {
      if (rec === mine) rec = undefined;
      if (before && g.Promise === tracker) $defineProperty(g, "Promise", before);
    },
  };
}

function stuckSites(r: Recording): StuckPromises {
  const groups: Map<string, WaitSite> = new $Map();
  const waits: WaitSite[] = [];
  let unsettled = 0;
  for (let i = 0; i < r.promises.length; i++) {
    if (!isPending!(r.promises[i])) continue;
    if (++unsettled > MAX_LOCATED) continue;
    const where = locate(r.errors[i].stack);
    if (where.site === "unknown") continue;
    const key = `${where.site}\u0000${where.fn ?? ""}`;
    let w = $mapGet(groups, key);
    if (!w) {
      w = where.fn === undefined
        ? { site: where.site, count: 0, since: r.at[i] }
        : { site: where.site, fn: where.fn, count: 0, since: r.at[i] };
      $mapSet(groups, key, w);
      $push(waits, w);
    }
    w.count++;
    w.since = $min(w.since, r.at[i]);
    for (let c = 0; c < where.callers.length; c++) {
      const at = where.callers[c];
      const list = w.awaitedAt ??= [];
      if (list.length < 3 && $indexOf(list, at) < 0) $push(list, at);
    }
  }
  const rank = (w: WaitSite) => ($exec(TEST_SITE, w.site) ? 1 : 0);
  $sort(waits, (a, b) => rank(a) - rank(b) || a.since - b.since);
  return { waits, unsettled, located: $min(unsettled, MAX_LOCATED) };
}

if (config.track && isPending) {
  setGlobal(tracker);
  installedAtLoad = true;
}
