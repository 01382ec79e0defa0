/**
 * CPython's own tests of `asyncio.run()`, translated case by case from CPython 3.13's
 * `Lib/test/test_asyncio/test_runners.py` (classes `RunTests` and `RunnerTests`): the cases about
 * what `runService` shares with `asyncio.run()`, which is running `main`, cancelling the tasks
 * still running at the end, and Ctrl-C. Run them against your code with
 * `bun run grade 19 --cpython` (or `deno task grade 19 --cpython`, `npm run grade -- 19 --cpython`);
 * they are shown apart from your score.
 *
 * The mapping: `asyncio.run(main())` is `runService(main, { process })` with a `FakeProcess`;
 * its return value is the exit code (0 for a `main` that returned, 1 for one that raised);
 * `asyncio.create_task(coro)` inside `main` is `tasks.spawn(name, fn)`; `asyncio.sleep(s)` is a
 * virtual sleep of `s * 1000` ms that rejects with its signal's reason; `interrupt_self()` (a
 * SIGINT to the process) is `proc.emit("SIGINT")`.
 *
 * Left out, with the reason:
 * - `test_asyncio_run_only_coro`, `test_run_non_coro`, `test_run_future`: argument types, which
 *   TypeScript checks before anything runs.
 * - `test_asyncio_run_debug`, `test_non_debug`, `test_debug`: asyncio's debug mode has no
 *   counterpart.
 * - `test_asyncio_run_from_running_loop`, `test_recursive_run`, `test_asyncio_run_set_event_loop`,
 *   `test_set_event_loop_called_once`, `test_asyncio_run_loop_factory`,
 *   `test_loop_factory_default_event_loop`, `test_custom_factory`, `test_explicit_close`,
 *   `test_double_close`, `test_second_with_block_raises`, `test_run_keeps_context`: about creating,
 *   reusing and closing event loops; JavaScript has one per agent and nothing to close.
 * - `test_asyncio_run_closes_gens_after_hanging_tasks_errors`: `loop.shutdown_asyncgens()` has no
 *   counterpart (an abandoned async generator is simply collected).
 * - `test_asyncio_run_without_uncancel`, `test_interrupt_cancelled_task`: `uncancel()` and
 *   cancellation counts.
 * - `test_signal_install_not_supported_ok`: `signal.signal()` refusing in an embedded
 *   interpreter; the injected process has no such case.
 * - `test_no_repr_is_call_on_the_task_result`: repr.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { expectedDifference, withClock } from "../../lib/mod.ts";
import { runService } from "./shutdown.ts";
import { FakeProcess } from "./fake_process.ts";

// The same reasons as the README's "Where this differs from CPython".
const TASK_FAILURES_COUNT =
  "a task that fails while it is cancelled at the end makes the exit code 1; asyncio.run() only reports it and returns main's result";
const FIRST_SIGNAL_IS_A_REQUEST =
  "the first signal asks main to stop, and a main that stops as asked exits 0; asyncio.run() cancels main and raises KeyboardInterrupt";

/** `asyncio.sleep(ms / 1000)`: rejects with the signal's reason when it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

it(
  "test_runners.RunTests.test_asyncio_run_return",
  withClock(async () => {
    const proc = new FakeProcess();
    const code = await runService(async () => {
      await sleep(0);
    }, { process: proc });
    assert.equal(code, 0);
  }),
);

it(
  "test_runners.RunTests.test_asyncio_run_raises",
  withClock(async () => {
    const proc = new FakeProcess();
    const code = await runService(async () => {
      await sleep(0);
      throw new RangeError("spam");
    }, { process: proc });
    assert.equal(code, 1);
  }),
);

it(
  "test_runners.RunTests.test_asyncio_run_cancels_hanging_tasks",
  withClock(async () => {
    const proc = new FakeProcess();
    let loTask: Promise<unknown> | undefined;
    let loDone = false;
    const code = await runService(async (_signal, _force, tasks) => {
      await Promise.resolve();
      loTask = tasks.spawn("leftover", (own) => sleep(100, own));
      loTask.then(() => (loDone = true), () => (loDone = true));
    }, { process: proc });
    assert.equal(code, 0);
    assert.ok(loDone);
    assert.ok(loTask);
  }),
);

it(
  "test_runners.RunTests.test_asyncio_run_reports_hanging_tasks_errors",
  withClock(expectedDifference(TASK_FAILURES_COUNT, async () => {
    const proc = new FakeProcess();
    let loDone = false;
    const code = await runService(async (_signal, _force, tasks) => {
      await Promise.resolve();
      tasks.spawn("leftover", async (own) => {
        try {
          await sleep(100, own);
        } catch {
          loDone = true;
          throw new RangeError("division by zero");
        }
      });
    }, { process: proc });
    assert.ok(loDone);
    assert.equal(code, 0); // asyncio.run() returns 123: the failure is only reported
  })),
);

it(
  "test_runners.RunnerTests.test_interrupt_wait",
  withClock(expectedDifference(FIRST_SIGNAL_IS_A_REQUEST, async () => {
    const proc = new FakeProcess();
    let futCancelled = false;
    setTimeout(() => proc.emit("SIGINT"), 100);
    const code = await runService(async (signal) => {
      try {
        await new Promise((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason))
        );
      } catch (error) {
        futCancelled = true;
        throw error;
      }
    }, { process: proc });
    assert.ok(futCancelled);
    assert.notEqual(code, 0); // KeyboardInterrupt
  })),
);

it(
  "test_runners.RunnerTests.test_interrupt_call_soon",
  withClock(expectedDifference(FIRST_SIGNAL_IS_A_REQUEST, async () => {
    const proc = new FakeProcess();
    setTimeout(() => proc.emit("SIGINT"), 100);
    const code = await runService(async (signal) => {
      for (;;) await sleep(1, signal); // sleep(0) would not move virtual time: 1 ms
    }, { process: proc });
    assert.notEqual(code, 0); // KeyboardInterrupt
  })),
);
