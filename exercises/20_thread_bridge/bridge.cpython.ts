/**
 * CPython's own tests of `asyncio.to_thread()`, translated case by case from CPython 3.13's
 * `Lib/test/test_asyncio/test_threads.py` (class `ToThreadTests`, all six cases). Run them against
 * your code with `bun run grade 20 --cpython` (or `deno task grade 20 --cpython`,
 * `npm run grade -- 20 --cpython`); they are shown apart from your score.
 *
 * The mapping: `asyncio.to_thread(func, *args)` is `toThread(JOBS, "func", args)` with `func` an
 * export of `jobs.ts`; a `mock.Mock()` called in the thread is `countCall(counter)`, a counter in
 * shared memory the test reads afterwards (a mock object cannot cross to a Worker);
 * `RuntimeError` is an Error named "InvalidStateError"; `sum([40, 2])` is `add(40, 2)`.
 *
 * Left out: nothing. `test_to_thread_args_kwargs` keeps its positional part: JavaScript has no
 * keyword arguments, so `something=True` travels as an options object, the usual JavaScript
 * spelling.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import { expectedDifference, rejectsWith } from "../../lib/mod.ts";
import { toThread } from "./bridge.ts";
import { requestContext } from "./context.ts";

// The same reason as the README's "Where this differs from CPython".
const NO_CONTEXT =
  "context variables do not travel: a Worker shares no memory, so what a job needs is passed as an argument";

const JOBS = new URL("./jobs.ts", import.meta.url);
const CONTEXT = new URL("./context.ts", import.meta.url);

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

it("test_threads.ToThreadTests.test_to_thread", async () => {
  const result = await toThread(JOBS, "add", [40, 2]);
  assert.equal(result, 42);
});

it("test_threads.ToThreadTests.test_to_thread_exception", async () => {
  await rejectsWith(
    toThread(JOBS, "fail", ["InvalidStateError", "test"]),
    { name: "InvalidStateError", message: "test" },
    'toThread(JOBS, "fail", ["InvalidStateError", "test"])',
  );
});

it("test_threads.ToThreadTests.test_to_thread_once", async () => {
  const calls = shared(1);
  await toThread(JOBS, "countCall", [calls]);
  assert.equal(Atomics.load(calls, 0), 1);
});

it("test_threads.ToThreadTests.test_to_thread_concurrent", async () => {
  const calls = shared(1);
  const futs = [];
  for (let i = 0; i < 10; i++) futs.push(toThread(JOBS, "countCall", [calls]));
  await Promise.all(futs);
  assert.equal(Atomics.load(calls, 0), 10);
});

it("test_threads.ToThreadTests.test_to_thread_args_kwargs", async () => {
  const args = await toThread(JOBS, "echoArgs", ["test", { something: true }]);
  assert.deepEqual(args, ["test", { something: true }]);
});

it(
  "test_threads.ToThreadTests.test_to_thread_contextvars",
  expectedDifference(NO_CONTEXT, async () => {
    const result = await requestContext.run("parrot", () => toThread(CONTEXT, "getContext"));
    assert.equal(result, "parrot");
  }),
);
