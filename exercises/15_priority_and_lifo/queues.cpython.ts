/**
 * CPython's own tests of `asyncio.LifoQueue` and `asyncio.PriorityQueue`, translated case by case
 * from CPython 3.13's `Lib/test/test_asyncio/test_queues.py`: `LifoQueueTests`,
 * `PriorityQueueTests`, and the join and shutdown mixins run on both classes
 * (`LifoQueueJoinTests`, `PriorityQueueJoinTests`, `LifoQueueShutdownTests`,
 * `PriorityQueueShutdownTests`). The `Queue` cases are in exercise 13. Run them against your code
 * with `bun run grade 15 --cpython` (or `deno task grade 15 --cpython`); they are shown apart from
 * your score.
 *
 * The mapping: `asyncio.create_task(coro)` is `createTask(() => ...)` (the body's first step runs
 * in a microtask, as create_task queues it); `await asyncio.sleep(0)` is `await sleepZero()`;
 * `QueueShutDown` is the given class; `ValueError` is `RangeError`; `async with
 * asyncio.TaskGroup()` waits for its tasks with `Promise.all`; `q_class` is a factory of the class
 * under test.
 *
 * Left out, with the reason:
 * - `LifoQueueJoinTests.test_format`, `PriorityQueueJoinTests.test_format`,
 *   `LifoQueueShutdownTests.test_format`, `PriorityQueueShutdownTests.test_format`: the private
 *   `_format()` (the text of `repr()`) has no counterpart.
 */
import { it } from "node:test";
import assert from "node:assert/strict";
import {
  createTask,
  QUEUE,
  rejectsWith,
  sleepZero,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { type Queue, QueueShutDown } from "./given_queue.ts";
import { LifoQueue as LearnerLifoQueue, PriorityQueue as LearnerPriorityQueue } from "./queues.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const LifoQueue = watched(LearnerLifoQueue, QUEUE);
type LifoQueue<T> = LearnerLifoQueue<T>;
const PriorityQueue = watched(LearnerPriorityQueue, QUEUE);
type PriorityQueue<T> = LearnerPriorityQueue<T>;

it(
  "test_queues.LifoQueueTests.test_order",
  withClock(async () => {
    const q = new LifoQueue<number>();
    for (const i of [1, 3, 2]) await q.put(i);
    const items = [await q.get(), await q.get(), await q.get()];
    assert.deepEqual(items, [2, 3, 1], "a LifoQueue hands out the newest item first");
  }),
);

it(
  "test_queues.PriorityQueueTests.test_order",
  withClock(async () => {
    const q = new PriorityQueue<number>();
    for (const i of [1, 3, 2]) await q.put(i);
    const items = [await q.get(), await q.get(), await q.get()];
    assert.deepEqual(items, [1, 2, 3], "a PriorityQueue hands out the smallest item first");
  }),
);

/** The class under test, as CPython's `q_class`: a factory taking an optional maxsize. */
type QClass = <T>(maxsize?: number) => Queue<T>;
const lifo: QClass = <T>(maxsize = 0) => new LifoQueue<T>(maxsize);
const priority: QClass = <T>(maxsize = 0) => new PriorityQueue<T>(maxsize);

/** assertRaisesShutdown() for the four calls that must fail on a shut-down, empty queue. */
async function assertAllRaiseShutdown(q: Queue<string>): Promise<void> {
  await rejectsWith(q.put("data"), { instanceOf: QueueShutDown }, "put() after shutdown()");
  throwsWith(
    () => q.putNowait("data"),
    { instanceOf: QueueShutDown },
    "putNowait() after shutdown()",
  );
  await rejectsWith(q.get(), { instanceOf: QueueShutDown }, "get() on a shut-down, empty queue");
  throwsWith(
    () => q.getNowait(),
    { instanceOf: QueueShutDown },
    "getNowait() on a shut-down, empty queue",
  );
}

// ---------------------------------------------------------------------------------------------
// _QueueJoinTestMixin and _QueueShutdownTestMixin: each case once, run on both classes below.
// ---------------------------------------------------------------------------------------------

/** `_QueueJoinTestMixin.test_task_done_underflow`. */
function joinTestTaskDoneUnderflow(qClass: QClass): void {
  const q = qClass<number>();
  throwsWith(
    () => q.taskDone(),
    { name: "RangeError" },
    "taskDone() on a fresh queue (CPython: ValueError)",
  );
}

/** `_QueueJoinTestMixin.test_task_done`. */
async function joinTestTaskDone(qClass: QClass): Promise<void> {
  const q = qClass<number>();
  for (let i = 0; i < 100; i++) q.putNowait(i);
  let accumulator = 0;
  // Two workers get items from the queue and call taskDone() after each.
  // Join the queue and assert all items have been processed.
  let running = true;
  const worker = async () => {
    while (running) {
      const item = await q.get();
      accumulator += item;
      q.taskDone();
    }
  };
  const tasks = [createTask(worker), createTask(worker)];
  await q.join();
  assert.equal(accumulator, 4950, "join() returns once every item was processed");
  // close running workers
  running = false;
  for (let i = 0; i < tasks.length; i++) q.putNowait(0);
  await Promise.all(tasks.map((t) => t.promise));
}

/** `_QueueJoinTestMixin.test_join_empty_queue`. */
async function joinTestJoinEmptyQueue(qClass: QClass): Promise<void> {
  const q = qClass<number>();
  // A queue join()s successfully, and before anything else (done twice for insurance).
  await q.join();
  await q.join();
}

/** `_QueueShutdownTestMixin.test_shutdown_empty`. */
async function shutdownTestShutdownEmpty(qClass: QClass): Promise<void> {
  const q = qClass<string>();
  const getTask = createTask(() => q.get());
  await sleepZero(); // want get task pending before shutdown
  q.shutdown(false); // unfinished tasks: 0 -> 0
  assert.equal(q.qsize(), 0, "nothing in the queue");
  // Ensure join() task successfully finishes
  await q.join();
  // Ensure get() task is finished, and raised ShutDown
  await sleepZero();
  assert.equal(getTask.done(), true, "the waiting get() has finished");
  await rejectsWith(
    getTask.promise,
    { instanceOf: QueueShutDown },
    "the get() waiting when shutdown() was called",
  );
  await assertAllRaiseShutdown(q);
}

/** `_QueueShutdownTestMixin.test_shutdown_nonempty`. */
async function shutdownTestShutdownNonempty(qClass: QClass): Promise<void> {
  const q = qClass<string>(1);
  q.putNowait("data");
  const joinTask = createTask(() => q.join());
  const putTask = createTask(() => q.put("data2"));
  // Ensure put() task is not finished
  await sleepZero();
  assert.equal(putTask.done(), false, "put() waits on the full queue");
  q.shutdown(false); // unfinished tasks: 1 -> 1
  assert.equal(q.qsize(), 1, "shutdown() keeps the item");
  // Ensure put() task is finished, and raised ShutDown
  await sleepZero();
  assert.equal(putTask.done(), true, "the waiting put() has finished");
  await rejectsWith(
    putTask.promise,
    { instanceOf: QueueShutDown },
    "the put() waiting when shutdown() was called",
  );
  // Ensure get() succeeds on enqueued item
  assert.equal(await q.get(), "data", "the item left can still be taken");
  // Ensure join() task is not finished
  await sleepZero();
  assert.equal(joinTask.done(), false, "one item is still unfinished");
  await assertAllRaiseShutdown(q);
  // Ensure there is 1 unfinished task, and join() task succeeds
  q.taskDone();
  await sleepZero();
  assert.equal(joinTask.done(), true, "join() returned after the last taskDone()");
  await joinTask.promise;
  throwsWith(() => q.taskDone(), { name: "RangeError" }, "taskDone() once every task is done");
}

/** `_QueueShutdownTestMixin.test_shutdown_immediate`. */
async function shutdownTestShutdownImmediate(qClass: QClass): Promise<void> {
  const q = qClass<string>();
  q.putNowait("data");
  const joinTask = createTask(() => q.join());
  q.shutdown(true); // unfinished tasks: 1 -> 0
  assert.equal(q.qsize(), 0, "shutdown(true) drops the item");
  // Ensure join() task has successfully finished
  await sleepZero();
  assert.equal(joinTask.done(), true, "the dropped item counts as done: join() returned");
  await joinTask.promise;
  await assertAllRaiseShutdown(q);
  // Ensure there are no unfinished tasks
  throwsWith(() => q.taskDone(), { name: "RangeError" }, "taskDone() once every task is done");
}

/** `_QueueShutdownTestMixin.test_shutdown_immediate_with_unfinished`. */
async function shutdownTestShutdownImmediateWithUnfinished(qClass: QClass): Promise<void> {
  const q = qClass<string>();
  q.putNowait("data");
  q.putNowait("data");
  const joinTask = createTask(() => q.join());
  assert.equal(await q.get(), "data", "first item");
  q.shutdown(true); // unfinished tasks: 2 -> 1
  assert.equal(q.qsize(), 0, "shutdown(true) drops the item left");
  // Ensure join() task is not finished
  await sleepZero();
  assert.equal(joinTask.done(), false, "the item taken is still unfinished");
  await assertAllRaiseShutdown(q);
  // Ensure there is 1 unfinished task
  q.taskDone();
  throwsWith(() => q.taskDone(), { name: "RangeError" }, "taskDone() once every task is done");
  // Ensure join() task has successfully finished
  await sleepZero();
  assert.equal(joinTask.done(), true, "join() returned after the last taskDone()");
  await joinTask.promise;
}

// ---------------------------------------------------------------------------------------------
// LifoQueueJoinTests, PriorityQueueJoinTests, LifoQueueShutdownTests, PriorityQueueShutdownTests
// ---------------------------------------------------------------------------------------------

it(
  "test_queues.LifoQueueJoinTests.test_task_done_underflow",
  withClock(() => joinTestTaskDoneUnderflow(lifo)),
);

it("test_queues.LifoQueueJoinTests.test_task_done", withClock(() => joinTestTaskDone(lifo)));

it(
  "test_queues.LifoQueueJoinTests.test_join_empty_queue",
  withClock(() => joinTestJoinEmptyQueue(lifo)),
);

it(
  "test_queues.LifoQueueShutdownTests.test_shutdown_empty",
  withClock(() => shutdownTestShutdownEmpty(lifo)),
);

it(
  "test_queues.LifoQueueShutdownTests.test_shutdown_nonempty",
  withClock(() => shutdownTestShutdownNonempty(lifo)),
);

it(
  "test_queues.LifoQueueShutdownTests.test_shutdown_immediate",
  withClock(() => shutdownTestShutdownImmediate(lifo)),
);

it(
  "test_queues.LifoQueueShutdownTests.test_shutdown_immediate_with_unfinished",
  withClock(() => shutdownTestShutdownImmediateWithUnfinished(lifo)),
);

it(
  "test_queues.PriorityQueueJoinTests.test_task_done_underflow",
  withClock(() => joinTestTaskDoneUnderflow(priority)),
);

it(
  "test_queues.PriorityQueueJoinTests.test_task_done",
  withClock(() => joinTestTaskDone(priority)),
);

it(
  "test_queues.PriorityQueueJoinTests.test_join_empty_queue",
  withClock(() => joinTestJoinEmptyQueue(priority)),
);

it(
  "test_queues.PriorityQueueShutdownTests.test_shutdown_empty",
  withClock(() => shutdownTestShutdownEmpty(priority)),
);

it(
  "test_queues.PriorityQueueShutdownTests.test_shutdown_nonempty",
  withClock(() => shutdownTestShutdownNonempty(priority)),
);

it(
  "test_queues.PriorityQueueShutdownTests.test_shutdown_immediate",
  withClock(() => shutdownTestShutdownImmediate(priority)),
);

it(
  "test_queues.PriorityQueueShutdownTests.test_shutdown_immediate_with_unfinished",
  withClock(() => shutdownTestShutdownImmediateWithUnfinished(priority)),
);
