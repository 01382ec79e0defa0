/**
 * Course primitives described at a deadlock: a test wraps the learner's class once
 * (`const Lock = watched(LearnerLock, LOCK)`), and when a test deadlocks, the message says each
 * instance's state in words, from its public methods only ("Lock: free, 3 acquire() calls
 * waiting: free while acquire() waits: did release() wake the next waiter?").
 *
 * How. `watched` returns a subclass: its constructor registers the instance with the running
 * clock's describers (`clock.onDiagnose`), and the methods that may wait are wrapped to remember
 * the promises they return. Calls are remembered only while promise tracking records (the
 * harness's diagnosis re-run of a deadlocked test), so a passing test pays one check per call;
 * whether a call is still pending is asked of the runtime, never by attaching a handler, so an
 * unhandled rejection is reported as before. A describer that throws (the learner's object in an
 * odd state) is skipped by the clock.
 *
 * Written here rather than taken from a library: it hooks into this clock's describers and
 * promise tracking, which no library knows.
 *
 * @module
 */
import { $apply, $defineProperty, $get, $max, $Promise, $push } from "../clock/intrinsics.ts";
import { stillPending, trackingOn } from "../clock/tracking.ts";
import { currentClock, type VirtualClock } from "../clock/virtual_clock.ts";

/** How a primitive is described: its name, its state in words, the methods that may wait. */
export interface WatchSpec<T> {
  /** What the primitive is called in the message: "Lock". */
  noun: string;
  /** Its state in words, from its public methods: "free", "2 items, maxsize 5". */
  state: (obj: T) => string;
  /** The methods whose pending calls are counted: ["acquire"]. */
  waits: readonly string[];
  /**
   * What the state and the pending calls suggest, when they do: "free while acquire() waits:
   * did release() wake the next waiter?".
   */
  hint?: (obj: T, pending: Readonly<Record<string, number>>) => string | undefined;
}

interface Watch {
  obj: object;
  // deno-lint-ignore no-explicit-any
  spec: WatchSpec<any>;
  calls: { method: string; p: Promise<unknown> }[];
  /** The length at which settled calls are next dropped. */
  compactAt: number;
  /** The object's own count of waiting calls, by method (given code knows its waiters). */
  count?: () => Readonly<Record<string, number>>;
}

/** At most this many instances are described in one message (the count of the rest follows). */
const MAX_DESCRIBED = 4;

const $hasInstance: typeof Symbol.hasInstance = Symbol.hasInstance;

let registry: { clock: VirtualClock; list: Watch[] } | undefined;

function describeOne(w: Watch): string {
  const pending: Record<string, number> = {};
  const own = w.count?.();
  let waiting = "";
  for (let i = 0; i < w.spec.waits.length; i++) {
    const method = w.spec.waits[i];
    let n = own ? own[method] ?? 0 : 0;
    for (let j = 0; !own && j < w.calls.length; j++) {
      if (w.calls[j].method === method && stillPending(w.calls[j].p)) n++;
    }
    pending[method] = n;
    if (n > 0) waiting += `, ${n} ${method}() ${n === 1 ? "call" : "calls"} waiting`;
  }
  const hint = w.spec.hint?.(w.obj, pending);
  return `${w.spec.noun}: ${w.spec.state(w.obj)}${waiting}${hint ? ` (${hint})` : ""}`;
}

function describeList(list: Watch[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < list.length && i < MAX_DESCRIBED; i++) {
    try {
      $push(lines, describeOne(list[i]));
    } catch {
      // The learner's object in an odd state: the other lines still help.
    }
  }
  if (list.length > MAX_DESCRIBED) $push(lines, `and ${list.length - MAX_DESCRIBED} more watched`);
  return lines;
}

function register(obj: object, spec: WatchSpec<unknown>): Watch | undefined {
  const clock = currentClock();
  if (!clock) return undefined;
  if (registry?.clock !== clock) {
    const list: Watch[] = [];
    registry = { clock, list };
    clock.onDiagnose(() => describeList(list));
  }
  const w: Watch = { obj, spec, calls: [], compactAt: COMPACT_AT };
  $push(registry.list, w);
  return w;
}

/** Settled calls are dropped when the list first reaches this length (then twice what is left). */
const COMPACT_AT = 256;

function remember(w: Watch, method: string, p: unknown): void {
  if (!(p instanceof $Promise)) return;
  $push(w.calls, { method, p });
  if (w.calls.length < w.compactAt) return;
  const kept: Watch["calls"] = [];
  for (let i = 0; i < w.calls.length; i++) {
    if (stillPending(w.calls[i].p)) $push(kept, w.calls[i]);
  }
  w.calls = kept;
  // Twice what is left: many calls that stay pending cost a scan now and then, not one per call.
  w.compactAt = $max(COMPACT_AT, 2 * kept.length);
}

/**
 * The subclass itself, returned straight from an object literal keyed by `Base.name`: so the
 * class is named as the learner's (stack frames under Deno say "Lock.acquire"; a class assigned
 * to a variable first would be named after the variable, whatever its `name` says).
 */
function namedSubclass(
  // deno-lint-ignore no-explicit-any
  Base: new (...args: any[]) => object,
  spec: WatchSpec<unknown>,
  expose: (watchOf: (o: object) => Watch | undefined) => void,
  // deno-lint-ignore no-explicit-any
): new (...args: any[]) => object {
  return {
    [Base.name]: class extends Base {
      // A private field, not a WeakMap or a symbol: nothing the learner's code sees or can patch.
      #watch: Watch | undefined;
      // deno-lint-ignore no-explicit-any
      constructor(...args: any[]) {
        super(...args);
        this.#watch = register(this, spec);
      }
      static {
        expose((o) => #watch in o ? o.#watch : undefined);
      }
    },
  }[Base.name]!;
}

/**
 * A subclass of `Base` whose instances describe themselves at a deadlock (see the module doc).
 * Everything else is `Base`'s: same methods, same results, same errors, same `name`, and
 * `instanceof` answers as it does for `Base`.
 *
 * @param Base The learner's class.
 * @param spec How to describe an instance.
 * @returns The subclass, to use in place of `Base`.
 *
 * @example
 * ```ts
 * import { watched } from "./watched.ts";
 * import { LOCK } from "./primitive_specs.ts";
 * class MyLock { locked() { return false; } acquire() { return Promise.resolve(); } }
 * const Lock = watched(MyLock, LOCK);
 * new Lock().locked(); // false
 * ```
 */
// deno-lint-ignore no-explicit-any
export function watched<C extends new (...args: any[]) => object>(
  Base: C,
  spec: WatchSpec<InstanceType<C>>,
): C {
  let watchOf: (o: object) => Watch | undefined = () => undefined;
  const Watched = namedSubclass(Base, spec as WatchSpec<unknown>, (f) => (watchOf = f));
  for (let i = 0; i < spec.waits.length; i++) {
    const method = spec.waits[i];
    // Only the methods the class has: a wrapper must not add one.
    if (typeof $get(Base.prototype, method) !== "function") continue;
    $defineProperty(Watched.prototype, method, {
      configurable: true,
      writable: true,
      value: function (this: object, ...args: unknown[]) {
        const fn = $get(Base.prototype, method, this) as (...a: unknown[]) => unknown;
        const result = $apply(fn, this, args);
        if (trackingOn()) {
          const w = watchOf(this);
          if (w) remember(w, method, result);
        }
        return result;
      },
    });
  }
  // `x instanceof Watched` answers as `x instanceof Base`: an instance of the learner's subclass
  // (a BoundedSemaphore made without the wrapper) is still an instance of the wrapped Semaphore.
  $defineProperty(Watched, $hasInstance, { value: (o: unknown) => o instanceof Base });
  return Watched as unknown as C;
}

/**
 * Registers an object that knows its own waiters (given code, such as 14's queue) with the
 * running clock's describers: at a deadlock it is described like a `watched` instance, with the
 * counts `count` gives. Outside a test's clock it does nothing.
 *
 * @param obj The object.
 * @param spec How to describe it.
 * @param count Its waiting calls by method: `{ get: 2, put: 0 }`.
 *
 * @example
 * ```ts
 * import { watch } from "./watched.ts";
 * import { QUEUE } from "./primitive_specs.ts";
 * const q = { qsize: () => 0, full: () => false, maxsize: 0 };
 * watch(q, QUEUE, () => ({ get: 1 }));
 * ```
 */
export function watch<T extends object>(
  obj: T,
  spec: WatchSpec<T>,
  count: () => Readonly<Record<string, number>>,
): void {
  const w = register(obj, spec as WatchSpec<unknown>);
  if (w) w.count = count;
}
