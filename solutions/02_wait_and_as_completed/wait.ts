/**
 * wait and asCompleted: watching several pieces of running work at once.
 *
 * `wait` is `asyncio.wait`: it watches a set of running promises and returns, without ever
 * rejecting, as soon as a condition holds (all settled, the first settled, the first failed) or
 * a timeout passes, with the promises split into `done` and `pending`. `asCompleted` is
 * `asyncio.as_completed`: an async generator that yields each result the moment it is ready, in
 * completion order, with an optional overall deadline.
 *
 * Neither cancels anything: a promise cannot be cancelled, and `asyncio.wait` does not cancel on
 * timeout either. What is still pending keeps running.
 *
 * @module
 */

/** When {@linkcode wait} returns, as in `asyncio.wait(return_when=...)`. */
export type ReturnWhen = "ALL_COMPLETED" | "FIRST_COMPLETED" | "FIRST_EXCEPTION";

/** The values {@linkcode wait} accepts for `returnWhen`. */
export const RETURN_WHEN: readonly ReturnWhen[] = [
  "ALL_COMPLETED",
  "FIRST_COMPLETED",
  "FIRST_EXCEPTION",
];

/** The longest delay setTimeout keeps: 2^31 - 1 ms, about 24.8 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The timer delay for a `timeoutMs` option: null for no timer (absent, null, Infinity), 0 for
 * zero or negative, the value itself otherwise; NaN and finite values above MAX_TIMER_MS throw.
 */
function timerDelay(who: string, timeoutMs: number | null): number | null {
  if (timeoutMs === null || timeoutMs === Infinity) return null;
  if (Number.isNaN(timeoutMs) || timeoutMs > MAX_TIMER_MS) {
    throw new RangeError(
      `${who} needs timeoutMs to be null, Infinity or a number up to ${MAX_TIMER_MS}: received ${timeoutMs}`,
    );
  }
  return Math.max(0, timeoutMs);
}

/** Options of {@linkcode wait}. */
export interface WaitOptions {
  /**
   * Return after this many ms even if the condition does not hold yet. null, absent or Infinity:
   * no limit (and no timer). 0 or negative: one 0 ms timer turn. NaN, or finite and above
   * 2147483647: RangeError.
   */
  timeoutMs?: number | null;
  /** The condition to wait for. Default "ALL_COMPLETED". */
  returnWhen?: ReturnWhen;
}

/** What {@linkcode wait} resolves with: the very promises it was given, split in two. */
export interface WaitResult<T> {
  /** Promises that had settled (fulfilled or rejected) when wait returned. */
  done: Set<Promise<T>>;
  /** Promises still running when wait returned. They keep running. */
  pending: Set<Promise<T>>;
}

/** Options of {@linkcode asCompleted}. */
export interface AsCompletedOptions {
  /**
   * Deadline in ms, counted from the first `next()`: once it passes, the iteration throws a
   * DOMException named "TimeoutError". null, absent or Infinity: no deadline. 0 or negative: the
   * deadline is the first 0 ms timer turn. NaN, or finite and above 2147483647: RangeError.
   */
  timeoutMs?: number | null;
}

/**
 * Waits until a condition holds for a group of running promises: the TypeScript `asyncio.wait`.
 *
 * Never rejects because a task failed or time ran out: look at `done` and `pending` instead.
 * Rejects (never throws) with a RangeError for an empty group, an unknown `returnWhen` or a
 * forbidden `timeoutMs`. Never polls: the only timer is the timeout.
 *
 * @typeParam T The type the promises resolve to.
 * @param tasks Running promises, any iterable (duplicates count once).
 * @param options `timeoutMs` (null: none) and `returnWhen` (default "ALL_COMPLETED").
 * @returns `{ done, pending }`, two sets of the promises that were passed in.
 *
 * @example The first of three downloads
 * ```ts
 * import { wait } from "./wait.ts";
 * const downloads = [fetch("https://a.test"), fetch("https://b.test"), fetch("https://c.test")];
 * const { done, pending } = await wait(downloads, { returnWhen: "FIRST_COMPLETED" });
 * for (const d of done) console.log((await d).status);
 * console.log(`${pending.size} still running`);
 * ```
 */
export function wait<T>(
  tasks: Iterable<Promise<T>>,
  options: WaitOptions = {},
): Promise<WaitResult<T>> {
  // Reject (asyncio raises ValueError) an empty group, an unknown returnWhen or a bad timeout.
  // Then watch every distinct task, and resolve { done, pending } once returnWhen holds or the
  // timeout passes. wait never rejects and never cancels; it clears its timer on the way out.
  const { timeoutMs = null, returnWhen = "ALL_COMPLETED" } = options;
  const all = [...new Set(tasks)];
  if (all.length === 0) {
    return Promise.reject(
      new RangeError("wait() needs at least one task: received an empty group"),
    );
  }
  if (!RETURN_WHEN.includes(returnWhen)) {
    return Promise.reject(
      new RangeError(
        `wait() got an unknown returnWhen: ${String(returnWhen)} (use ${RETURN_WHEN.join(", ")})`,
      ),
    );
  }
  let delay: number | null;
  try {
    delay = timerDelay("wait()", timeoutMs);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve) => {
    const done = new Set<Promise<T>>();
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve({ done, pending: new Set(all.filter((task) => !done.has(task))) });
    };
    const settled = (task: Promise<T>, failed: boolean) => {
      if (finished) return; // the result is a snapshot taken when wait returned
      done.add(task);
      if (
        done.size === all.length ||
        returnWhen === "FIRST_COMPLETED" ||
        (returnWhen === "FIRST_EXCEPTION" && failed)
      ) {
        finish();
      }
    };

    // A reaction on every task: this is also what keeps a failing task from being an
    // unhandled rejection while it sits in `pending`.
    for (const task of all) {
      task.then(() => settled(task, false), () => settled(task, true));
    }
    if (delay !== null) timer = setTimeout(finish, delay);
  });
}

/**
 * Yields results as they become ready, fastest first: the TypeScript `asyncio.as_completed`.
 *
 * It starts watching its inputs when it is called (like CPython 3.13), so the order is the order
 * of completion even if the loop starts late; the same input given twice is watched and yielded
 * once. A failing input makes the iteration throw its error when its turn comes (results that
 * were ready before it are yielded first). With `timeoutMs`, the iteration throws a TimeoutError
 * once the deadline passes (results that arrived before the deadline are still yielded first, as
 * in CPython; an input that settles after the deadline is not yielded). However the loop ends,
 * the deadline timer is cleared. A forbidden `timeoutMs` throws a RangeError at the call.
 *
 * @typeParam T The type the inputs resolve to.
 * @param items Running promises (or plain values), any iterable; duplicates count once.
 * @param options `timeoutMs`: a deadline for the whole iteration, counted from the first `next()`.
 * @returns An async generator of the results, in completion order.
 *
 * @example Print each page as soon as it arrives
 * ```ts
 * import { asCompleted } from "./wait.ts";
 * const pages = ["a", "b", "c"].map((p) => fetch(`https://site.test/${p}`).then((r) => r.text()));
 * for await (const text of asCompleted(pages, { timeoutMs: 5000 })) {
 *   console.log(text.length);
 * }
 * ```
 */
export function asCompleted<T>(
  items: Iterable<T | PromiseLike<T>>,
  options: AsCompletedOptions = {},
): AsyncGenerator<T, void, undefined> {
  // Start recording each outcome in arrival order now, not at the first next(): the body of an
  // async generator does not run until someone pulls, and reactions attached to promises that
  // have already settled would fire in input order. So the watching happens here, in a plain
  // function, and the pulling happens in the inner generator it returns.
  const delay = timerDelay("asCompleted()", options.timeoutMs ?? null);
  const inputs = [...new Set(items)].map((item) => Promise.resolve(item));
  type Outcome = { kind: "value"; value: T } | { kind: "error"; error: unknown } | {
    kind: "timeout";
  };
  const arrived: Outcome[] = [];
  let wake: (() => void) | undefined;
  let timedOut = false;
  const push = (outcome: Outcome) => {
    if (timedOut) return; // after the deadline nobody will read it
    arrived.push(outcome);
    wake?.();
  };
  // One reaction per input: this also keeps a later failure from being unhandled after a break.
  for (const input of inputs) {
    input.then(
      (value) => push({ kind: "value", value }),
      (error) => push({ kind: "error", error }),
    );
  }

  // The deadline is one more entry in the arrival queue, so outcomes that arrived before it are
  // still yielded first (as in CPython). It starts at the first next(), inside the generator,
  // so that the finally that clears it is guaranteed to run however the loop ends.
  async function* inArrivalOrder(): AsyncGenerator<T, void, undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (delay !== null && inputs.length > 0) {
      timer = setTimeout(() => {
        push({ kind: "timeout" });
        timedOut = true;
      }, delay);
    }
    try {
      for (let remaining = inputs.length; remaining > 0; remaining--) {
        while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const next = arrived.shift()!;
        if (next.kind === "timeout") {
          throw new DOMException(
            `asCompleted(): ${remaining} of ${inputs.length} inputs still pending after ${options.timeoutMs} ms`,
            "TimeoutError",
          );
        }
        if (next.kind === "error") throw next.error;
        yield next.value;
      }
    } finally {
      clearTimeout(timer);
    }
  }
  return inArrivalOrder();
}
