/**
 * Seeded schedules: which of the events due at one virtual instant runs next, and the record of
 * every choice that differs from creation order.
 *
 * With a seed, whenever several events are due at the same virtual instant (timeouts, intervals,
 * immediates and `AbortSignal.timeout` timers alike), the next one to run is drawn at random
 * among them, except where the runtimes promise an order: within one family of the same delay
 * (setTimeout and setInterval timers of one delay; AbortSignal.timeout timers of one delay;
 * immediates), events keep their creation order, as HTML's timer ordering and Node's
 * per-duration timer lists promise and as Deno 2.9 and Bun 1.4 do (probed). Across families and
 * delays nothing is promised (Bun runs AbortSignal.timeout(0) ahead of an earlier setTimeout(0);
 * both run immediates ahead of timers), so those orders are drawn. Each draw that differs from
 * creation order is a swap: the instant, the event that ran, and the one it ran ahead of, each
 * with its creation site. The same seed gives the same draws, so a failing schedule replays
 * exactly. Microtasks are not permuted: every microtask a callback queues runs before the next
 * event, in every schedule.
 *
 * @module
 */
import type { TimerKind } from "./host.ts";
import { $floor, $indexOf, $map, $min, $push, $String } from "./intrinsics.ts";
import { seededRandom } from "./random.ts";
import type { Timer, TimerHeap } from "./timer_queue.ts";

/** An event of a schedule: a timer, as a swap names it. */
export interface ScheduledEvent {
  /** What kind of timer. */
  kind: TimerKind;
  /** The delay it was created with. */
  delay: number;
  /** `file.ts:line` where it was created (first frame outside lib/ and node_modules/). */
  origin: string;
}

/** One decision of a seeded schedule that differs from creation order. */
export interface ScheduleSwap {
  /** Virtual ms of the instant. */
  at: number;
  /** The event that ran. */
  ran: ScheduledEvent;
  /** The event creation order would have run at that point (it runs later, at the same instant). */
  aheadOf: ScheduledEvent;
}

/** What a run's schedule was. */
export interface ScheduleRecord {
  /** The shuffle seed; 0 for creation order. */
  seed: number;
  /** Draws made: each time events of more than one family or delay were due at once. */
  choices: number;
  /** How many draws differed from creation order. */
  total: number;
  /** The first swaps, in order (at most 200). */
  swaps: ScheduleSwap[];
}

/** At most this many swaps are kept (the count goes on). */
const MAX_SWAPS = 200;

interface Swap {
  at: number;
  ran: Timer;
  aheadOf: Timer;
}

/** Events with one key keep their creation order: one family, one delay. */
function orderKey(t: Timer): string {
  if (t.kind === "setImmediate") return "immediate";
  return `${t.kind === "AbortSignal.timeout" ? "abort" : "timer"}:${t.delay}`;
}

const event = (t: Timer): ScheduledEvent => ({
  kind: t.kind,
  delay: t.delay,
  origin: $String(t.origin),
});

/** The seeded draws of one run. */
export class Shuffler {
  readonly #seed: number;
  readonly #random: () => number;
  readonly #swaps: Swap[] = [];
  #total = 0;
  #choices = 0;

  /** @param seed The shuffle seed (not 0). */
  constructor(seed: number) {
    this.#seed = seed;
    this.#random = seededRandom(seed ^ 0x5bd1e995);
  }

  /**
   * Takes the next timer to fire out of the heap: a seeded choice among the timers due at the
   * next instant that may run first (the first of each family and delay). The others go back in
   * their places.
   *
   * @param heap The run's timers (not empty).
   * @returns The timer to fire.
   */
  draw(heap: TimerHeap): Timer {
    const first = heap.pop()!;
    const same: Timer[] = [first];
    for (let next = heap.peek(); next && next.callAt === first.callAt; next = heap.peek()) {
      $push(same, heap.pop()!);
    }
    const heads: Timer[] = [];
    const seen: string[] = [];
    for (let i = 0; i < same.length; i++) {
      const key = orderKey(same[i]);
      if ($indexOf(seen, key) < 0) {
        $push(seen, key);
        $push(heads, same[i]);
      }
    }
    let chosen = first;
    if (heads.length > 1) {
      this.#choices++;
      chosen = heads[$min(heads.length - 1, $floor(this.#random() * heads.length))];
    }
    for (let i = 0; i < same.length; i++) if (same[i] !== chosen) heap.putBack(same[i]);
    if (chosen !== first) {
      this.#total++;
      if (this.#swaps.length < MAX_SWAPS) {
        $push(this.#swaps, { at: first.callAt, ran: chosen, aheadOf: first });
      }
    }
    return chosen;
  }

  /**
   * The record so far, with instants relative to the run's start.
   *
   * @param epoch Absolute virtual ms of the run's start.
   * @returns The record.
   */
  record(epoch: number): ScheduleRecord {
    return {
      seed: this.#seed,
      choices: this.#choices,
      total: this.#total,
      swaps: $map(this.#swaps, (s) => ({
        at: s.at - epoch,
        ran: event(s.ran),
        aheadOf: event(s.aheadOf),
      })),
    };
  }
}

/**
 * A swap in words.
 *
 * @param s The swap.
 * @returns "t=200 ms: setTimeout(50 ms) from a.ts:4 ran ahead of setTimeout(50 ms) from b.ts:9".
 *
 * @example
 * ```ts
 * import { formatSwap } from "./schedule.ts";
 * const e = { kind: "setTimeout" as const, delay: 50, origin: "a.ts:4" };
 * formatSwap({ at: 200, ran: e, aheadOf: { ...e, origin: "b.ts:9" } });
 * ```
 */
export function formatSwap(s: ScheduleSwap): string {
  const e = (x: ScheduledEvent) =>
    `${x.kind}${x.kind === "setImmediate" ? "" : `(${x.delay} ms)`} from ${x.origin}`;
  return `t=${s.at} ms: ${e(s.ran)} ran ahead of ${e(s.aheadOf)}`;
}

Object.freeze(Shuffler.prototype);
