/**
 * The clock's table of timers over a sinon fake clock: what each timer is (kind, delay, where it
 * was created, its callback), the order they fire in (creation order, or a seeded shuffle of
 * timers due at the same instant), the trace of fired timers, and the runaway checks.
 *
 * @module
 */
import type { LeakedTimer } from "./errors.ts";
import { RunawayError } from "./errors.ts";
import { timerId, type TimerKind } from "./globals.ts";
import { blame, captureError } from "./origin.ts";
import { seededRandom } from "./random.ts";

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

/**
 * Where a timer was created, worked out only when someone asks (a trace, a leak, a runaway):
 * formatting a stack costs far more than capturing it, and most timers are never reported.
 */
class Origin {
  #error: Error | undefined;
  #text: string | undefined;
  constructor(error: Error) {
    this.#error = error;
  }
  toString(): string {
    if (this.#text === undefined) {
      this.#text = blame(this.#error?.stack);
      this.#error = undefined;
    }
    return this.#text;
  }
}

interface TimerRecord {
  id: number; // the user-facing handle's id (sinon's id of the slot it was created with)
  slot: number; // the sinon timer that will run it (differs from id after a shuffle swap)
  kind: TimerKind;
  delay: number;
  origin: Origin;
  cb: (...args: unknown[]) => void;
  args: unknown[];
}

interface FiredTimer {
  at: number;
  kind: TimerKind;
  delay: number;
  origin: Origin;
}

/** The sinon clock's surface the table uses. */
// deno-lint-ignore no-explicit-any
export type FakeClock = any;

/** Limits the table enforces when it fires a timer. */
export interface TableLimits {
  /** At most this many timers fire. */
  maxTimers: number;
  /** No timer fires past this virtual time. */
  maxVirtualMs: number;
  /** Seed of the same-instant shuffle, or undefined. */
  shuffleSeed: number | undefined;
}

/** The timers of one run. */
export class TimerTable {
  readonly #fake: FakeClock;
  readonly #epoch: number;
  readonly #limits: TableLimits;
  readonly #shuffle: (() => number) | undefined;
  readonly #records = new Map<number, TimerRecord>(); // by user-facing id
  readonly #bySlot = new Map<number, TimerRecord>(); // by the sinon timer that runs it
  readonly #handles = new WeakSet<object>();
  readonly #trace: FiredTimer[] = [];
  #fired = 0;
  /** Bumped on every change, so the driver can tell an idle program from a busy one. */
  activity = 0;

  /**
   * @param fake The installed sinon clock.
   * @param epoch `Date.now()` at virtual time 0.
   * @param limits Runaway limits and the shuffle seed.
   */
  constructor(fake: FakeClock, epoch: number, limits: TableLimits) {
    this.#fake = fake;
    this.#epoch = epoch;
    this.#limits = limits;
    this.#shuffle = limits.shuffleSeed === undefined
      ? undefined
      : seededRandom(limits.shuffleSeed ^ 0x5bd1e995);
  }

  /** Virtual ms since the start. */
  now(): number {
    return this.#fake.now - this.#epoch;
  }

  /** How many timers fired. */
  get fired(): number {
    return this.#fired;
  }

  /** Whether any timer is pending. */
  get hasTimers(): boolean {
    return (this.#fake.timers?.size ?? 0) > 0;
  }

  /** Schedules a timer; returns the handle the caller sees. */
  schedule(
    kind: TimerKind,
    cb: (...args: unknown[]) => void,
    delay: number,
    args: unknown[],
  ): unknown {
    const normalized = Math.max(0, Number(delay) || 0);
    const origin = new Origin(captureError());
    let handle: unknown;
    const slotCallback = () => this.#onSlotFired(slotId);
    if (kind === "setInterval") handle = this.#fake.setInterval(slotCallback, normalized);
    else if (kind === "setImmediate") handle = this.#fake.setImmediate(slotCallback);
    else handle = this.#fake.setTimeout(slotCallback, normalized);
    const slotId = timerId(handle);
    if (typeof handle === "object" && handle !== null) this.#handles.add(handle);
    const record: TimerRecord = {
      id: slotId,
      slot: slotId,
      kind,
      delay: normalized,
      origin,
      cb,
      args,
    };
    this.#records.set(slotId, record);
    this.#bySlot.set(slotId, record);
    this.activity++;
    return handle;
  }

  /** Whether the handle is one of this table's timers. */
  owns(handle: unknown): boolean {
    if (typeof handle === "object" && handle !== null) return this.#handles.has(handle);
    return this.#records.has(timerId(handle));
  }

  /** Cancels a timer (unknown handles are ignored, as the real clear functions do). */
  clear(handle: unknown): void {
    const record = this.#records.get(timerId(handle));
    if (!record) return;
    this.#records.delete(record.id);
    this.#bySlot.delete(record.slot);
    if (record.kind === "setInterval") this.#fake.clearInterval(record.slot);
    else if (record.kind === "setImmediate") this.#fake.clearImmediate(record.slot);
    else this.#fake.clearTimeout(record.slot);
    this.activity++;
  }

  /** Timers not yet fired, in firing order. */
  pending(): PendingTimer[] {
    const list: PendingTimer[] = [];
    for (const r of this.#records.values()) {
      const timer = this.#fake.timers?.get(r.slot);
      if (!timer) continue;
      list.push({
        kind: r.kind,
        delay: r.delay,
        dueAt: timer.callAt - this.#epoch,
        origin: String(r.origin),
      });
    }
    return list.sort((a, b) => a.dueAt - b.dueAt);
  }

  /** Every timer fired so far. */
  trace(): TraceEntry[] {
    return this.#trace.map((t) => ({
      at: t.at,
      kind: t.kind,
      delay: t.delay,
      origin: String(t.origin),
    }));
  }

  /** Absolute time of the next timer, or undefined. */
  nextDue(): number | undefined {
    let min: number | undefined;
    for (const timer of this.#fake.timers?.values() ?? []) {
      if (min === undefined || timer.callAt < min) min = timer.callAt;
    }
    return min;
  }

  /**
   * Fires the next timer (its callback's exception propagates).
   *
   * @throws {RunawayError} When the next timer is past the budget or too many fired.
   */
  fireNext(): void {
    const due = this.nextDue();
    if (due !== undefined && due - this.#epoch > this.#limits.maxVirtualMs) {
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
    this.#fired++;
    this.#fake.next();
  }

  /** Moves the clock to an absolute time without firing anything (after the due timers fired). */
  tickTo(absolute: number): void {
    if (this.#fake.now < absolute) this.#fake.tick(absolute - this.#fake.now);
  }

  /** The most frequent recent timer, for runaway messages. */
  busiest(): string {
    const counts = new Map<string, number>();
    for (const t of this.#trace.slice(-1000)) {
      const key = `${t.kind}(${t.delay}) at ${t.origin}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    return top
      ? `Most frequent recent timer: ${top[0]} (${top[1]} of the last ${
        Math.min(1000, this.#trace.length)
      }).`
      : "";
  }

  /** Forgets every timer (teardown). */
  clearAll(): void {
    this.#records.clear();
    this.#bySlot.clear();
  }

  #onSlotFired(slotId: number): void {
    let record = this.#bySlot.get(slotId);
    if (!record) return;
    if (this.#shuffle && record.kind !== "setInterval") record = this.#pickSameInstant(record);
    this.#trace.push({
      at: this.now(),
      kind: record.kind,
      delay: record.delay,
      origin: record.origin,
    });
    if (record.kind !== "setInterval") {
      this.#records.delete(record.id);
      this.#bySlot.delete(record.slot);
    }
    record.cb(...record.args);
  }

  /** Seeded perturbation: run a random timer among those due now, and move `record` to its slot. */
  #pickSameInstant(record: TimerRecord): TimerRecord {
    const nowAbs = this.#fake.now;
    const candidates = [record];
    for (const r of this.#bySlot.values()) {
      if (r === record || r.kind !== record.kind) continue;
      if (this.#fake.timers?.get(r.slot)?.callAt === nowAbs) candidates.push(r);
    }
    if (candidates.length === 1) return record;
    const chosen = candidates[Math.floor(this.#shuffle!() * candidates.length)]!;
    if (chosen === record) return record;
    const slot = record.slot;
    record.slot = chosen.slot;
    chosen.slot = slot;
    this.#bySlot.set(record.slot, record);
    this.#bySlot.set(chosen.slot, chosen);
    return chosen;
  }
}
