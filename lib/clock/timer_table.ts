/**
 * The timers of one run: what each timer is (kind, delay, where it was created, its callback),
 * the order they fire in, the trace of fired timers, and the runaway checks.
 *
 * Order: creation order by default (timer_queue.ts); with a shuffle seed, a seeded choice among
 * the events due at the same instant, each choice that differs from creation order recorded
 * (schedule.ts).
 *
 * @module
 */
import type { LeakedTimer } from "./errors.ts";
import { RunawayError } from "./errors.ts";
import { timerId } from "./globals.ts";
import type { TimerKind } from "./host.ts";
import {
  $apply,
  $floor,
  $isFinite,
  $Map,
  $map,
  $mapClear,
  $mapDelete,
  $mapForEach,
  $mapGet,
  $mapSet,
  $mapSize,
  $max,
  $Number,
  $push,
  $slice,
  $sort,
  $String,
  $weakAdd,
  $weakHas,
  $WeakSet,
} from "./intrinsics.ts";
import { captureError } from "./origin.ts";
import { type ScheduleRecord, Shuffler } from "./schedule.ts";
import { timerHandlesAreObjects } from "./real.ts";
import { handleFor, makeTimer, Origin, type Timer, TimerHeap } from "./timer_queue.ts";

/** One fired timer, as recorded in the clock's trace. */
export interface TraceEntry {
  /** Virtual ms since the clock started, when it fired. */
  at: number;
  /** What kind of timer. */
  kind: TimerKind;
  /** The delay it was created with. */
  delay: number;
  /** `file.ts:line` where it was created (first frame outside lib/ and node_modules/). */
  origin: string;
}

/** A timer that has not fired yet. */
export interface PendingTimer extends LeakedTimer {}

/** Limits the table enforces when it fires a timer. */
export interface TableLimits {
  /** At most this many timers fire. */
  maxTimers: number;
  /** No timer fires past this virtual time. */
  maxVirtualMs: number;
  /** Seed of the same-instant shuffle, or undefined for creation order. */
  shuffleSeed: number | undefined;
}

interface FiredTimer {
  at: number;
  timer: Timer;
}

/** The timers of one run. */
export class TimerTable {
  readonly #epoch: number;
  readonly #limits: TableLimits;
  readonly #shuffler: Shuffler | undefined;
  readonly #heap = new TimerHeap();
  readonly #records: Map<number, Timer> = new $Map(); // live timers by id
  readonly #handles: WeakSet<object> = new $WeakSet();
  readonly #trace: FiredTimer[] = [];
  #now: number;
  #nanos = 0; // what clock.advance() carried past whole ms, in ns (sinon's `nanos`)
  #firing: Origin | undefined;
  #fired = 0;
  /** Bumped on every change, so the driver can tell an idle program from a busy one. */
  activity = 0;

  /**
   * @param epoch `Date.now()` at virtual time 0.
   * @param limits Runaway limits and the shuffle seed.
   */
  constructor(epoch: number, limits: TableLimits) {
    this.#epoch = epoch;
    this.#now = epoch;
    this.#limits = limits;
    this.#shuffler = limits.shuffleSeed ? new Shuffler(limits.shuffleSeed) : undefined;
  }

  /** Virtual ms since the start. */
  now(): number {
    return this.#now - this.#epoch;
  }

  /** `Date.now()` in virtual time. */
  wallNow(): number {
    return this.#now;
  }

  /** How many timers fired. */
  get fired(): number {
    return this.#fired;
  }

  /** Whether any timer is pending. */
  get hasTimers(): boolean {
    return $mapSize(this.#records) > 0;
  }

  /** Schedules a timer; returns the handle the caller sees. */
  schedule(
    kind: TimerKind,
    cb: (...args: unknown[]) => void,
    delay: number,
    args: unknown[],
  ): unknown {
    const normalized = $max(0, $Number(delay) || 0);
    const origin = new Origin(captureError(), this.#firing);
    const timer = makeTimer(kind, cb, normalized, args, origin);
    const heap = this.#heap;
    heap.arm(timer, heap.dueAt(timer, this.#now, this.#firing !== undefined));
    $mapSet(this.#records, timer.id, timer);
    const handle = handleFor(timer, timerHandlesAreObjects, () => {
      timer.live = true;
      $mapSet(this.#records, timer.id, timer);
      heap.arm(timer, heap.dueAt(timer, this.#now, this.#firing !== undefined));
      this.activity++;
    });
    if (typeof handle === "object" && handle !== null) $weakAdd(this.#handles, handle);
    this.activity++;
    return handle;
  }

  /** Whether the handle is one of this table's timers. */
  owns(handle: unknown): boolean {
    if (typeof handle === "object" && handle !== null) return $weakHas(this.#handles, handle);
    return $mapGet(this.#records, timerId(handle)) !== undefined;
  }

  /** Cancels a timer (unknown handles are ignored, as the real clear functions do). */
  clear(handle: unknown): void {
    const timer = $mapGet(this.#records, timerId(handle));
    if (!timer) return;
    timer.live = false;
    timer.gen++;
    $mapDelete(this.#records, timer.id);
    this.activity++;
  }

  /** Timers not yet fired, in firing order. */
  pending(): PendingTimer[] {
    const list: PendingTimer[] = [];
    $mapForEach(this.#records, (t) => {
      $push(list, {
        kind: t.kind,
        delay: t.delay,
        dueAt: t.callAt - this.#epoch,
        origin: $String(t.origin),
      });
    });
    return $sort(list, (a, b) => a.dueAt - b.dueAt);
  }

  /** Every timer fired so far. */
  trace(): TraceEntry[] {
    return $map(this.#trace, (f) => ({
      at: f.at,
      kind: f.timer.kind,
      delay: f.timer.delay,
      origin: $String(f.timer.origin),
    }));
  }

  /** The seeded schedule so far, or undefined in creation order. */
  scheduleRecord(): ScheduleRecord | undefined {
    return this.#shuffler?.record(this.#epoch);
  }

  /** Absolute time of the next timer, or undefined. */
  nextDue(): number | undefined {
    return this.#heap.peek()?.callAt;
  }

  /**
   * Fires the next timer (its callback's exception propagates).
   *
   * @throws {RunawayError} When the next timer is past the budget or too many fired.
   */
  fireNext(): void {
    const due = this.nextDue();
    if (due === undefined) return;
    if (due - this.#epoch > this.#limits.maxVirtualMs) {
      throw new RunawayError(
        `virtual-time budget exceeded: the next timer is due at t=${due - this.#epoch} ms, past ` +
          `the budget of ${this.#limits.maxVirtualMs} ms. ${this.busiest()}`,
      );
    }
    if (this.#fired >= this.#limits.maxTimers) {
      throw new RunawayError(
        `runaway: ${this.#fired} timers fired by t=${this.now()} ms and they keep coming ` +
          `(an interval nobody stops, or a loop of zero-delay timers?). ${this.busiest()}`,
      );
    }
    const timer = this.#shuffler ? this.#shuffler.draw(this.#heap) : this.#heap.pop()!;
    this.#fired++;
    this.#now = timer.callAt;
    if (timer.interval !== undefined) {
      this.#heap.arm(timer, timer.callAt + timer.interval);
    } else {
      timer.live = false;
      timer.gen++;
      $mapDelete(this.#records, timer.id);
    }
    $push(this.#trace, { at: this.now(), timer });
    this.#firing = timer.origin;
    try {
      $apply(timer.cb, undefined, timer.args);
    } finally {
      this.#firing = undefined;
    }
  }

  /**
   * Where `clock.advance(ms)` ends, as sinon's `tick` computes it: whole ms, the fraction carried
   * (in ns) to the next advance, so due times and `Date.now()` stay whole ms.
   *
   * @param ms Virtual ms to advance (>= 0).
   * @returns Absolute target time.
   */
  advanceTarget(ms: number): number {
    if (!$isFinite(ms)) return this.#now + ms;
    let target = this.#now + $floor(ms);
    this.#nanos += $floor((ms * 1e6) % 1e6);
    if (this.#nanos >= 1e6) {
      target++;
      this.#nanos -= 1e6;
    }
    return target;
  }

  /** Moves the clock to an absolute time without firing anything (after the due timers fired). */
  tickTo(absolute: number): void {
    if (this.#now < absolute) this.#now = absolute;
  }

  /** The most frequent recent timer, for runaway messages. */
  busiest(): string {
    const counts: Map<string, number> = new $Map();
    const recent = $slice(this.#trace, -1000);
    for (let i = 0; i < recent.length; i++) {
      const t = recent[i].timer;
      const key = `${t.kind}(${t.delay}) at ${$String(t.origin)}`;
      $mapSet(counts, key, ($mapGet(counts, key) ?? 0) + 1);
    }
    let top = "", topCount = 0;
    $mapForEach(counts, (n, key) => {
      if (n > topCount) {
        top = key;
        topCount = n;
      }
    });
    return topCount > 0
      ? `Most frequent recent timer: ${top} (${topCount} of the last ${recent.length}).`
      : "";
  }

  /** Forgets every timer (teardown). */
  clearAll(): void {
    $mapForEach(this.#records, (t) => {
      t.live = false;
    });
    this.#heap.clear();
    $mapClear(this.#records);
  }
}

Object.freeze(TimerTable.prototype);
