/**
 * Helpers for the CPython conformance cases (`exercises/NN_slug/*.cpython.ts`): CPython's own
 * unit tests of asyncio, translated case by case. The mapping keeps the translation honest:
 * `asyncio.create_task(coro)` queues the coroutine's first step, so {@linkcode createTask} starts
 * it in a microtask (not a 0 ms timer, which would let every already-queued step run first and
 * hide barging bugs); `await asyncio.sleep(0)` is one turn of the event loop, so
 * {@linkcode sleepZero} is a 0 ms virtual timer; `task.cancel()` is an `AbortController`.
 *
 * @module
 */

import { AssertionError } from "node:assert";
import {
  $abort,
  $AbortController,
  $apply,
  $Promise,
  $resolve,
  $signalOf,
  $then,
} from "../clock/intrinsics.ts";
import { forwarders } from "../clock/globals.ts";
import { isNotImplemented } from "./expect.ts";

/** A task started by {@linkcode createTask}: its promise and a controller to cancel it. */
export interface CPythonTask<T> {
  /** Settles as the task's body does. Marked handled, like an asyncio task nobody awaits. */
  promise: Promise<T>;
  /** `task.cancel()`: aborts the signal the body received. */
  cancel(reason?: unknown): void;
  /** The body's signal. */
  signal: AbortSignal;
  /** `task.done()`: true once the body settled. */
  done(): boolean;
}

/**
 * `asyncio.create_task(body)`: starts `body` in a microtask with its own abort signal.
 *
 * @param body The task's body; it receives the task's signal.
 * @returns The task.
 *
 * @example
 * ```ts
 * import { createTask } from "./cpython.ts";
 * const t = createTask((signal) => lock.acquire({ signal }));
 * t.cancel();
 * ```
 */
export function createTask<T>(body: (signal: AbortSignal) => T | Promise<T>): CPythonTask<T> {
  const controller = new $AbortController();
  const signal = $signalOf(controller);
  let settled = false;
  const promise = $then($resolve(), () => body(signal));
  $then(promise, () => (settled = true), () => (settled = true));
  return {
    promise,
    cancel: (reason?: unknown) => $abort(controller, reason),
    signal,
    done: () => settled,
  };
}

/**
 * `await asyncio.sleep(0)`: lets every task that is ready run once, as one event-loop turn does.
 * In virtual time it is a 0 ms timer: the microtasks queued so far all run before it fires.
 *
 * @returns A promise that resolves after the timer.
 */
export function sleepZero(): Promise<void> {
  return new $Promise((resolve) => forwarders.setTimeout(resolve, 0));
}

/**
 * Marks a conformance case whose CPython behaviour the exercise deliberately does not have. The
 * returned body runs `body` (the CPython assertions, translated) and passes only when they fail:
 * when the difference goes away, the case fails and says the mark must be removed (and the
 * README's "Where this differs from CPython" section updated).
 *
 * @param reason Why the exercise differs, as the README says it.
 * @param body The translated CPython case (it may take `withClock`'s clock).
 * @returns A test body taking the same arguments.
 *
 * @example
 * ```ts
 * it("test_queues.QueueBasicTests.test_float_maxsize", withClock(expectedDifference(
 *   "maxsize must be an integer here: new Queue(1.3) throws RangeError", () => { new Queue(1.3); })));
 * ```
 */
export function expectedDifference<A extends unknown[]>(
  reason: string,
  body: (...args: A) => unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let failed = false;
    try {
      await $apply(body, undefined, args);
    } catch (error) {
      // A stub that is not written yet differs from everything: that is not the documented
      // difference, so its "not implemented" error fails the case as it would any other.
      if (isNotImplemented(error)) throw error;
      // The CPython behaviour is absent, as documented: that is the expected outcome.
      failed = true;
    }
    if (!failed) {
      throw new AssertionError({
        message: `this case is marked as a difference from CPython (${reason}), ` +
          "but the code now behaves as CPython does: remove the mark and the README's note",
      });
    }
  };
}
