/**
 * The clock's own timer queue. It orders timers the way @sinonjs/fake-timers does (the clock ran
 * on sinon until it had to permute same-instant timers of every kind, and to hold no fake-clock
 * object a global could reach), so every trace is unchanged: by due time, immediates first, then
 * creation order (an interval takes a new place in that order each time it is rescheduled). The
 * delays are read as sinon reads them: a timer created while another one fires gets at least
 * 1 ms, a fraction is cut (`parseInt`), a delay above 2^31 - 1 becomes 1 ms.
 *
 * @module
 */
import { VIRTUAL_ID_START } from "./globals.ts";
import type { TimerKind } from "./host.ts";
import { $isFinite, $max, $parseInt, $pop, $push, $String, $toPrimitive } from "./intrinsics.ts";
import { blame } from "./origin.ts";

const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Where a timer was created, worked out only when someone asks (a trace, a leak, a swap):
 * formatting a stack costs far more than capturing it, and most timers are never reported.
 * JavaScriptCore (Bun) drops the frame of a function that ends in a tail call, so
 * `setTimeout(() => setTimeout(f, 40), 60)` leaves no frame of the learner's code when the inner
 * timer is created; then the timer being fired at the time (the outer one) names the site.
 */
export class Origin {
  #error: Error | undefined;
  #text: string | undefined;
  #within: Origin | undefined;
  /**
   * @param error An error captured where the timer was created.
   * @param within The origin of the timer whose callback was running, if any.
   */
  constructor(error: Error, within?: Origin) {
    this.#error = error;
    this.#within = within;
  }
  /** `file.ts:line`. @returns The creation site. */
  toString(): string {
    if (this.#text === undefined) {
      this.#text = blame(this.#error?.stack);
      if (this.#text === "unknown" && this.#within) this.#text = this.#within.toString();
      this.#error = undefined;
      this.#within = undefined;
    }
    return this.#text;
  }
}

/** One timer of the queue. */
export interface Timer {
  /** The id behind its handle. */
  readonly id: number;
  /** What created it. */
  readonly kind: TimerKind;
  /** The delay it was created with (as the trace shows it). */
  readonly delay: number;
  /** The delay sinon would keep (for `refresh()`). */
  readonly armDelay: number;
  /** The period of an interval. */
  readonly interval: number | undefined;
  /** setImmediate: fires before the timeouts of its instant. */
  readonly immediate: boolean;
  /** Where it was created. */
  readonly origin: Origin;
  /** Its callback and arguments. */
  readonly cb: (...args: unknown[]) => void;
  /** Arguments for the callback. */
  readonly args: unknown[];
  /** Absolute virtual ms it is due at. */
  callAt: number;
  /** Its place among timers due at the same instant. */
  order: number;
  /** Bumped whenever it is re-armed or cleared: older heap entries are stale. */
  gen: number;
  /** False once fired (timeouts) or cleared. */
  live: boolean;
}

interface Entry {
  timer: Timer;
  callAt: number;
  immediate: boolean;
  order: number;
  gen: number;
}

let nextId = VIRTUAL_ID_START;
let nextOrder = 0;

/** The delay as sinon keeps it. */
function armDelay(d: number): number {
  if (!$isFinite(d)) d = 0;
  return $max(0, d > MAX_TIMEOUT ? 1 : d);
}

/** How far ahead a delay arms, as sinon computes it (`parseInt`, then 1 ms while firing). */
function offset(delay: number | undefined, firing: boolean): number {
  return (delay === undefined ? 0 : $parseInt($String(delay))) || (firing ? 1 : 0);
}

function before(a: Entry, b: Entry): boolean {
  if (a.callAt !== b.callAt) return a.callAt < b.callAt;
  if (a.immediate !== b.immediate) return a.immediate;
  return a.order < b.order;
}

/**
 * Makes a timer (not yet queued).
 *
 * @param kind The API that created it.
 * @param cb Its callback.
 * @param delay Its delay in ms, >= 0.
 * @param args The callback's arguments.
 * @param origin Where it was created.
 * @returns The timer.
 */
export function makeTimer(
  kind: TimerKind,
  cb: (...args: unknown[]) => void,
  delay: number,
  args: unknown[],
  origin: Origin,
): Timer {
  let arm = armDelay(delay);
  let interval: number | undefined;
  if (kind === "setInterval") {
    const whole = $parseInt($String(delay), 10);
    arm = armDelay(whole);
    interval = !$isFinite(whole) || whole > MAX_TIMEOUT ? 1 : whole;
  }
  return {
    id: nextId++,
    kind,
    delay,
    armDelay: arm,
    interval,
    immediate: kind === "setImmediate",
    origin,
    cb,
    args,
    callAt: 0,
    order: 0,
    gen: 0,
    live: true,
  };
}

/** A binary heap of timers in firing order; stale entries are dropped lazily. */
export class TimerHeap {
  readonly #a: Entry[] = [];

  /**
   * (Re-)arms a timer `delay` ms after `now` (or at its next period) and queues it.
   *
   * @param timer The timer.
   * @param callAt Absolute due time.
   */
  arm(timer: Timer, callAt: number): void {
    timer.callAt = callAt;
    timer.order = nextOrder++;
    timer.gen++;
    this.#push({
      timer,
      callAt,
      immediate: timer.immediate,
      order: timer.order,
      gen: timer.gen,
    });
  }

  /**
   * The absolute time a new timer is due at, as sinon computes it.
   *
   * @param timer The timer.
   * @param now Absolute virtual ms.
   * @param firing Whether a timer callback is running.
   * @returns Absolute due time.
   */
  dueAt(timer: Timer, now: number, firing: boolean): number {
    return now + offset(timer.immediate ? undefined : timer.armDelay, firing);
  }

  /** The next live timer's entry, or undefined. */
  peek(): Timer | undefined {
    const a = this.#a;
    while (a.length > 0 && !valid(a[0])) this.#popTop();
    return a.length > 0 ? a[0].timer : undefined;
  }

  /** Removes and returns the next live timer, or undefined. */
  pop(): Timer | undefined {
    const t = this.peek();
    if (t !== undefined) this.#popTop();
    return t;
  }

  /** Queues a timer again at the place it had (after a pop that did not fire it). */
  putBack(timer: Timer): void {
    this.#push({
      timer,
      callAt: timer.callAt,
      immediate: timer.immediate,
      order: timer.order,
      gen: timer.gen,
    });
  }

  /** Forgets every entry. */
  clear(): void {
    this.#a.length = 0;
  }

  #push(e: Entry): void {
    const a = this.#a;
    $push(a, e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      const t = a[i];
      a[i] = a[p];
      a[p] = t;
      i = p;
    }
  }

  #popTop(): void {
    const a = this.#a;
    const last = $pop(a)!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < a.length && before(a[l], a[m])) m = l;
      if (r < a.length && before(a[r], a[m])) m = r;
      if (m === i) return;
      const t = a[i];
      a[i] = a[m];
      a[m] = t;
      i = m;
    }
  }
}

function valid(e: Entry): boolean {
  return e.timer.live && e.gen === e.timer.gen;
}

/**
 * The handle a caller gets: a number (Deno), or an object like Bun's and Node's Timeout with
 * `ref`, `unref`, `hasRef`, `refresh` and the id as its primitive value.
 *
 * @param timer The timer.
 * @param asObject Whether this runtime's handles are objects.
 * @param refresh Re-arms the timer from now.
 * @returns The handle.
 */
export function handleFor(timer: Timer, asObject: boolean, refresh: () => void): unknown {
  if (!asObject) return timer.id;
  const handle = {
    refed: true,
    ref() {
      handle.refed = true;
      return handle;
    },
    unref() {
      handle.refed = false;
      return handle;
    },
    hasRef() {
      return handle.refed;
    },
    refresh() {
      refresh();
      return handle;
    },
    [$toPrimitive]() {
      return timer.id;
    },
  };
  return handle;
}
