/**
 * A concurrency probe: wraps async work and records how many run at once, the peak, and a
 * timeline of start/end with virtual timestamps, so tests can say "at most 5 fetches may run at
 * once; yours ran 9".
 *
 * @module
 */
import {
  $apply,
  $Error,
  $filter,
  $indexOf,
  $join,
  $map,
  $max,
  $push,
  $splice,
  $String,
} from "../clock/intrinsics.ts";
import { currentClock } from "../clock/virtual_clock.ts";
import { virtualNow } from "./now.ts";

/** One unit of work seen by a probe. */
export interface Span {
  label: string;
  /** Virtual ms when it started. */
  start: number;
  /** Virtual ms when it settled; undefined while running. */
  end?: number;
  /** "ok", "error", or undefined while running. */
  outcome?: "ok" | "error";
}

/**
 * Counts concurrent work.
 *
 * @example
 * ```ts
 * import { ConcurrencyProbe } from "./probe.ts";
 * const probe = new ConcurrencyProbe("fetches");
 * const fetchOne = probe.wrap(async (url: string) => url.length, (url) => url);
 * await Promise.all(["a", "bb"].map(fetchOne));
 * probe.max; // 2
 * ```
 */
export class ConcurrencyProbe {
  /** What the work is called in messages ("fetches", "tasks", "workers"). */
  readonly noun: string;
  /** Every span, in start order. */
  readonly timeline: Span[] = [];
  readonly #inFlight: Span[] = [];
  #max = 0;

  /**
   * @param noun Plural noun for messages. Default "tasks".
   */
  constructor(noun = "tasks") {
    this.noun = noun;
    currentClock()?.onDiagnose(() =>
      this.#inFlight.length
        ? `${this.#inFlight.length} ${this.noun} in flight (${$join(this.activeLabels(), ", ")})`
        : undefined
    );
  }

  /** How many are running now. */
  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** The most that ever ran at once. */
  get max(): number {
    return this.#max;
  }

  /** How many started so far. */
  get started(): number {
    return this.timeline.length;
  }

  /** How many finished (ok or error). */
  get finished(): number {
    return $filter(this.timeline, (s) => s.end !== undefined).length;
  }

  /** Labels of the work running now, in start order. */
  activeLabels(): string[] {
    return $map(this.#inFlight, (s) => s.label);
  }

  /**
   * Marks the start of one unit of work by hand.
   *
   * @param label A name for the timeline.
   * @returns A function to call when it ends, with its outcome.
   *
   * @example
   * ```ts
   * import { ConcurrencyProbe } from "./probe.ts";
   * const probe = new ConcurrencyProbe();
   * const done = probe.enter("job-1");
   * done("ok");
   * ```
   */
  enter(label: string): (outcome?: "ok" | "error") => void {
    const span: Span = { label, start: virtualNow() };
    $push(this.timeline, span);
    $push(this.#inFlight, span);
    this.#max = $max(this.#max, this.#inFlight.length);
    let ended = false;
    return (outcome = "ok") => {
      if (ended) return;
      ended = true;
      span.end = virtualNow();
      span.outcome = outcome;
      const i = $indexOf(this.#inFlight, span);
      if (i >= 0) $splice(this.#inFlight, i, 1);
    };
  }

  /**
   * Runs `fn` as one unit of work.
   *
   * @param label A name for the timeline.
   * @param fn The work.
   * @returns What `fn` returns.
   *
   * @example
   * ```ts
   * import { ConcurrencyProbe } from "./probe.ts";
   * await new ConcurrencyProbe().run("job", async () => 1); // 1
   * ```
   */
  async run<R>(label: string, fn: () => Promise<R> | R): Promise<R> {
    const done = this.enter(label);
    try {
      const value = await fn();
      done("ok");
      return value;
    } catch (error) {
      done("error");
      throw error;
    }
  }

  /**
   * Wraps an async function so every call is one unit of work.
   *
   * @param fn The function to measure.
   * @param label Names a call from its arguments. Default: the first argument as a string.
   * @returns The wrapped function.
   *
   * @example
   * ```ts
   * import { ConcurrencyProbe } from "./probe.ts";
   * const probe = new ConcurrencyProbe("fetches");
   * const f = probe.wrap(async (n: number) => n * 2);
   * await f(21); // 42
   * ```
   */
  wrap<A extends unknown[], R>(
    fn: (...args: A) => Promise<R> | R,
    label: (...args: A) => string = (...args) => $String(args[0]),
  ): (...args: A) => Promise<R> {
    return (...args: A) =>
      this.run(
        $apply(label, undefined, args) as string,
        () => $apply(fn, undefined, args) as Promise<R> | R,
      );
  }

  /**
   * Fails unless the peak stayed within `limit`.
   *
   * @param limit The most allowed at once.
   * @throws AssertionError-like Error: "at most 5 fetches may run at once; yours ran 9 (...)".
   *
   * @example
   * ```ts
   * import { ConcurrencyProbe } from "./probe.ts";
   * new ConcurrencyProbe("fetches").assertMaxAtMost(5);
   * ```
   */
  assertMaxAtMost(limit: number): void {
    if (this.#max > limit) {
      throw failure(
        `at most ${limit} ${this.noun} may run at once; yours ran ${this.#max}` +
          ` (${this.#peakDescription()})`,
      );
    }
  }

  /**
   * Fails unless the peak reached `limit` (the limit must be used, not just respected).
   *
   * @param limit The concurrency that should have been reached.
   *
   * @example
   * ```ts
   * import { ConcurrencyProbe } from "./probe.ts";
   * const p = new ConcurrencyProbe("fetches");
   * p.enter("a"); p.enter("b");
   * p.assertMaxReached(2);
   * ```
   */
  assertMaxReached(limit: number): void {
    if (this.#max < limit) {
      throw failure(
        `${limit} ${this.noun} should run at once while work is waiting; yours never ran more ` +
          `than ${this.#max}`,
      );
    }
  }

  #peakDescription(): string {
    // Find an instant with the peak number running, for the message.
    for (let i = 0; i < this.timeline.length; i++) {
      const t = this.timeline[i].start;
      const running = $filter(
        this.timeline,
        (s) => s.start <= t && (s.end === undefined || s.end > t),
      );
      if (running.length >= this.#max) {
        return `at t=${t} ms: ${$join($map(running, (s) => s.label), ", ")}`;
      }
    }
    return "";
  }
}

function failure(message: string): Error {
  const error = new $Error(message);
  error.name = "AssertionError";
  return error;
}
