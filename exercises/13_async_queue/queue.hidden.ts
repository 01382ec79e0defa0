/**
 * Hidden tests for the async queue: they pin CPython's asyncio.Queue semantics (Python 3.13,
 * shutdown included) plus the workbook's conventions (AbortSignal, FIFO waiters, promises
 * instead of barging, an abort that wins until the call resumes).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EventRecorder,
  QUEUE,
  rejectsWith,
  seededRandom,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { Queue as LearnerQueue, QueueEmpty, QueueShutDown } from "./queue.ts";

// Your classes, each describing its state if a test deadlocks (lib/kit/watched.ts).
const Queue = watched(LearnerQueue, QUEUE);
type Queue<T> = LearnerQueue<T>;

/** Watches a promise so a test can ask "has it settled yet?" without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const w = {
    settled: false,
    rejected: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => Object.assign(w, { settled: true, value }),
    (error) => Object.assign(w, { settled: true, rejected: true, error }),
  );
  return w;
}

/**
 * Counts the abort listeners added to a signal and those gone again: removed with
 * `removeEventListener("abort", same listener)`, or added with `{ once: true }` on a signal that
 * has aborted since.
 */
function countListeners(signal: AbortSignal) {
  const live = new Map<unknown, boolean>(); // abort listener -> added with { once: true }
  let added = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<AbortSignal["addEventListener"]>) => {
    const [type, listener, options] = args;
    if (type === "abort") {
      added++;
      live.set(listener, typeof options === "object" && options?.once === true);
    }
    add(...args);
  }) as AbortSignal["addEventListener"];
  signal.removeEventListener = ((...args: Parameters<AbortSignal["removeEventListener"]>) => {
    const [type, listener] = args;
    if (type === "abort") live.delete(listener);
    remove(...args);
  }) as AbortSignal["removeEventListener"];
  const stillThere = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return {
    get added() {
      return added;
    },
    get removed() {
      return added - stillThere();
    },
  };
}

/** Takes every item a newcomer could take now. */
function drain<T>(q: Queue<T>): T[] {
  const out: T[] = [];
  while (!q.empty()) out.push(q.getNowait());
  return out;
}

describe("task 1: queue basics", () => {
  it(
    "new Queue() accepts an integer maxsize >= 0 and refuses anything else with RangeError",
    withClock(() => {
      for (
        const bad of [-1, 1.5, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]
      ) {
        throwsWith(() => new Queue(bad), { name: "RangeError" }, `new Queue(${bad})`);
      }
      assert.equal(new Queue(3).maxsize, 3, "maxsize should be kept");
      assert.equal(new Queue(1).maxsize, 1, "maxsize 1 is valid");
      assert.equal(new Queue(0).maxsize, 0, "maxsize 0 is valid (unbounded)");
      assert.equal(new Queue().maxsize, 0, "the default maxsize is 0 (unbounded)");
    }),
  );

  it(
    "Queue.qsize(), empty() and full() track the items held",
    withClock(() => {
      const q = new Queue<number>(2);
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [0, true, false],
        "a fresh queue: [qsize, empty, full]",
      );
      q.putNowait(1);
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [1, false, false],
        "one item of 2: [qsize, empty, full]",
      );
      q.putNowait(2);
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [2, false, true],
        "two items of 2: [qsize, empty, full]",
      );
      q.getNowait();
      assert.deepEqual(
        [q.qsize(), q.empty(), q.full()],
        [1, false, false],
        "after one getNowait(): [qsize, empty, full]",
      );
      const one = new Queue<number>(1);
      one.putNowait(9);
      assert.equal(one.full(), true, "a queue of 1 holding one item is full()");
    }),
  );

  it(
    "Queue.full() is never true for an unbounded queue",
    withClock(() => {
      const q = new Queue<number>(0);
      for (let i = 0; i < 1000; i++) q.putNowait(i);
      assert.equal(q.full(), false, "maxsize 0 means unbounded: full() stays false");
      assert.equal(q.qsize(), 1000, "all 1000 items should be held");
    }),
  );

  it(
    "Queue.getNowait() throws QueueEmpty on an empty queue",
    withClock(() => {
      const q = new Queue<number>();
      throwsWith(
        () => q.getNowait(),
        { name: "QueueEmpty", instanceOf: QueueEmpty },
        "getNowait() on an empty queue",
      );
      q.putNowait(1);
      q.getNowait();
      throwsWith(
        () => q.getNowait(),
        { name: "QueueEmpty", instanceOf: QueueEmpty },
        "getNowait() once the only item was taken",
      );
    }),
  );

  it(
    "Queue.getNowait() returns items in FIFO order, not sorted",
    withClock(() => {
      const q = new Queue<number>();
      for (const n of [5, 3, 9, 1]) q.putNowait(n);
      const got = [q.getNowait(), q.getNowait(), q.getNowait(), q.getNowait()];
      assert.deepEqual(got, [5, 3, 9, 1], "items come out in the order they were put (no sorting)");
    }),
  );

  it(
    "Queue keeps duplicate and falsy items like any other",
    withClock(async () => {
      const q = new Queue<unknown>(10);
      const job = { id: 1 };
      const items = [undefined, 0, null, "", false, job, job];
      for (const item of items) q.putNowait(item);
      assert.equal(
        q.qsize(),
        7,
        "seven items put, seven held (undefined, 0, null, '' and false are items too)",
      );
      const got = drain(q);
      assert.deepEqual(got, items, "every item comes out, in order, duplicates included");
      assert.equal(got[5], job, "the object itself comes out, not a copy");
      throwsWith(
        () => q.getNowait(),
        { name: "QueueEmpty" },
        "getNowait() after the seven items were taken",
      );
      const waiting = q.get();
      q.putNowait(undefined);
      assert.equal(await waiting, undefined, "a waiting get() receives an undefined item too");
    }),
  );
});

describe("task 2: waiting put() and get()", () => {
  it(
    "Queue.getNowait() beside a woken get() takes the oldest item, and the woken get() the next",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const woken = q.get();
      await clock.flush();
      q.putNowait("x"); // promised to the waiting get()
      q.putNowait("y");
      assert.equal(q.qsize(), 1, `one of the two items is promised; qsize() says ${q.qsize()}`);
      assert.equal(
        q.getNowait(),
        "x",
        "items leave in the order they were put: a newcomer's getNowait() takes the oldest item, x",
      );
      assert.equal(q.qsize(), 0, "the item left is the one promised to the woken get()");
      assert.equal(await woken, "y", "the woken get() then takes the next item, y");
    }),
  );

  it(
    "Queue.put() waits at maxsize and resumes exactly when a slot frees",
    withClock(async (clock) => {
      const q = new Queue<number>(3);
      const rec = new EventRecorder<number>();
      const producer = (async () => {
        for (let i = 0; i < 6; i++) {
          await q.put(i);
          rec.record("put", i);
        }
      })();
      const consumer = (async () => {
        await clock.sleep(1000);
        for (let i = 0; i < 6; i++) {
          rec.record("got", await q.get());
          await clock.sleep(100);
        }
      })();
      await Promise.all([producer, consumer]);
      assert.deepEqual(
        rec.times("put"),
        [0, 0, 0, 1000, 1100, 1200],
        "when each put() finished:\n" + rec.format(),
      );
      assert.deepEqual(rec.events.filter((e) => e.name === "got").map((e) => e.detail), [
        0,
        1,
        2,
        3,
        4,
        5,
      ], "items in order");
    }),
  );

  it(
    "Queue.get() waiters receive items in FIFO order",
    withClock(async (clock) => {
      const q = new Queue<number>();
      const got: string[] = [];
      const getters = ["g1", "g2", "g3"].map((name) =>
        q.get().then((n) => got.push(`${name}:${n}`))
      );
      await clock.sleep(10);
      q.putNowait(1);
      q.putNowait(2);
      q.putNowait(3);
      await Promise.all(getters);
      assert.deepEqual(
        got,
        ["g1:1", "g2:2", "g3:3"],
        "the longest-waiting consumer gets the next item",
      );
    }),
  );

  it(
    "Queue.putNowait() promises the item to a waiting get(): qsize() 0, a newcomer gets QueueEmpty",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const waiter = watch(q.get());
      await clock.flush();
      q.putNowait("mine");
      assert.deepEqual(
        [q.qsize(), q.empty()],
        [0, true],
        "[qsize, empty] right after the item was promised to the waiting get()",
      );
      throwsWith(
        () => q.getNowait(),
        { name: "QueueEmpty" },
        "getNowait() right after the item was promised to a waiting get()",
      );
      await clock.flush();
      assert.equal(waiter.value, "mine", "the waiting get() must receive the item (no barging)");
      assert.equal(q.qsize(), 0, "nothing is left");
    }),
  );

  it(
    "Queue.getNowait() promises the freed slot to a waiting put(): full() stays true, a newcomer gets QueueFull",
    withClock(async (clock) => {
      const q = new Queue<string>(2);
      q.putNowait("a");
      q.putNowait("b");
      const waiting = watch(q.put("c"));
      await clock.flush();
      assert.equal(q.getNowait(), "a", "getNowait() should take the first item");
      assert.equal(
        q.full(),
        true,
        "the freed slot is promised to the waiting put(): full() must stay true",
      );
      throwsWith(
        () => q.putNowait("x"),
        { name: "QueueFull" },
        "putNowait() while a put() was promised that slot",
      );
      await rejectsWith(
        q.put("y", { signal: AbortSignal.abort() }),
        { name: "AbortError" },
        "an already aborted put()",
      );
      await clock.flush();
      assert.equal(
        waiting.settled && !waiting.rejected,
        true,
        "the waiting put() should have finished",
      );
      assert.deepEqual(
        drain(q),
        ["b", "c"],
        "the waiting producer's item took the slot, after the item already there",
      );
    }),
  );

  it(
    "Queue: an item promised to a woken get() keeps its slot until that get() resumes",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      const waiter = watch(q.get());
      await clock.flush();
      q.putNowait("x");
      assert.equal(
        q.full(),
        true,
        "the promised item still occupies the only slot: full() is true, as in CPython",
      );
      throwsWith(
        () => q.putNowait("y"),
        { name: "QueueFull" },
        "putNowait() while the only slot holds an item promised to a get()",
      );
      await clock.flush();
      assert.equal(waiter.value, "x", "the get() took its item");
      q.putNowait("y");
      assert.equal(q.getNowait(), "y", "once the get() took its item, the slot is free");
    }),
  );

  it(
    "Queue.get() woken by two quick puts takes the oldest item",
    withClock(async (clock) => {
      const q = new Queue<number>();
      const waiter = watch(q.get());
      await clock.flush();
      q.putNowait(1);
      q.putNowait(2);
      assert.equal(q.qsize(), 1, "one item is promised to the waiting get(), one is free");
      await clock.flush();
      assert.equal(waiter.value, 1, "the woken get() takes the oldest item");
      assert.equal(q.getNowait(), 2, "the other item is left");
    }),
  );

  it(
    "Queue.get() and put() with an already aborted signal reject at once and change nothing",
    withClock(async () => {
      const q = new Queue<string>(5);
      q.putNowait("keep");
      const reason = new Error("stop");
      await rejectsWith(
        q.get({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "get() with an aborted signal while an item is available",
      );
      await rejectsWith(
        q.put("no", { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "put() with an aborted signal while there is room",
      );
      assert.deepEqual(drain(q), ["keep"], "nothing taken, nothing added");
      q.taskDone();
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "a second taskDone(): the aborted put() must not count as an item",
      );
    }),
  );

  it(
    "Queue.get() and put() reject with the exact abort reason",
    withClock(async (clock) => {
      const q = new Queue<number>(1);
      const getController = new AbortController();
      const getReason = { why: "user left" };
      const getting = q.get({ signal: getController.signal });
      await clock.sleep(5);
      getController.abort(getReason);
      await rejectsWith(getting, { is: getReason }, "get() aborted with a custom reason");
      q.putNowait(1);
      const putController = new AbortController();
      const putReason = "a string reason";
      const putting = q.put(2, { signal: putController.signal });
      await clock.sleep(5);
      putController.abort(putReason);
      await rejectsWith(putting, { is: putReason }, "put() aborted with a custom reason");
    }),
  );

  it(
    "Queue.put() aborted while waiting leaves the queue unchanged and the next putter gets the slot",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      q.putNowait("a");
      const controller = new AbortController();
      const aborted = q.put("dropped", { signal: controller.signal });
      const next = q.put("b");
      await clock.sleep(10);
      controller.abort();
      await rejectsWith(aborted, { name: "AbortError" }, "put({ signal }) after abort()");
      assert.equal(q.getNowait(), "a", "the first item comes out first");
      await next;
      assert.equal(
        q.getNowait(),
        "b",
        "the slot must go to the put() still waiting; the aborted item is never added",
      );
      assert.equal(q.qsize(), 0, "the aborted item must not be in the queue");
      q.taskDone();
      q.taskDone();
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "a third taskDone(): the aborted put() must not count as an item",
      );
    }),
  );

  it(
    "Queue.get(), put() and join() aborted while they wait leave no abort listener behind",
    withClock(async (clock) => {
      const controllers = [new AbortController(), new AbortController(), new AbortController()];
      const counts = controllers.map((c) => countListeners(c.signal));
      const getting = new Queue<string>().get({ signal: controllers[0].signal }); // empty: waits
      const full = new Queue<string>(1);
      full.putNowait("a");
      const putting = full.put("b", { signal: controllers[1].signal }); // full: waits
      const busy = new Queue<string>();
      busy.putNowait("a");
      const joining = busy.join({ signal: controllers[2].signal }); // one unfinished: waits
      await clock.flush();
      for (const c of controllers) c.abort(new Error("gave up"));
      const outcomes = await Promise.allSettled([getting, putting, joining]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ["rejected", "rejected", "rejected"],
        "get(), put() and join(), each aborted while it waits, must reject",
      );
      counts.forEach((c, i) =>
        assert.equal(
          c.added - c.removed,
          0,
          `a call aborted while it waits must remove its abort listener (or add it with { once: true }); ${
            ["get()", "put()", "join()"][i]
          }: ${c.added} added, ${c.added - c.removed} still there`,
        )
      );
    }),
  );

  it(
    "Queue.get() and put() remove their abort listeners when they succeed",
    withClock(async (clock) => {
      const q = new Queue<number>(1);
      const controller = new AbortController();
      const counts = countListeners(controller.signal);
      const getting = q.get({ signal: controller.signal });
      await clock.flush();
      q.putNowait(1);
      await getting;
      q.putNowait(2);
      const putting = q.put(3, { signal: controller.signal });
      await clock.flush();
      q.getNowait();
      await putting;
      assert.equal(
        counts.added - counts.removed,
        0,
        `every abort listener must be removed once the wait is over; ${counts.added} added, ${counts.removed} removed`,
      );
    }),
  );

  it(
    "Queue.get() waits without polling: no timers run while it waits",
    withClock(async (clock) => {
      const q = new Queue<number>(1);
      const getting = q.get();
      const putting = (async () => {
        q.putNowait(0);
        await q.put(1);
        await q.put(2);
      })();
      await clock.sleep(1000);
      q.getNowait();
      await Promise.all([getting, putting]);
      assert.equal(
        clock.timersFired,
        1,
        "only the test's own sleep should fire a timer; a queue that polls with setTimeout/setInterval fired " +
          (clock.timersFired - 1),
      );
    }),
  );

  it(
    "Queue moves every item exactly once, in order per producer, between 3 producers and 2 consumers",
    withClock(async (clock) => {
      const random = seededRandom(11);
      const q = new Queue<string>(2);
      const got: string[] = [];
      let over = 0;
      const producer = async (name: string) => {
        for (let i = 0; i < 20; i++) {
          await clock.sleep(Math.floor(random() * 20));
          await q.put(`${name}${i}`);
          if (q.qsize() > 2) over++;
        }
      };
      const consumer = async () => {
        for (;;) {
          const item = await q.get();
          if (item === "stop") return;
          got.push(item);
          await clock.sleep(Math.floor(random() * 30));
          q.taskDone();
        }
      };
      const consumers = [consumer(), consumer()];
      await Promise.all(["a", "b", "c"].map(producer));
      await q.join();
      q.putNowait("stop");
      q.putNowait("stop");
      await Promise.all(consumers);
      assert.equal(over, 0, "qsize() must never exceed maxsize 2");
      assert.equal(got.length, 60, `60 items put, ${got.length} received`);
      for (const name of ["a", "b", "c"]) {
        const mine = got.filter((item) => item.startsWith(name));
        assert.deepEqual(
          mine,
          Array.from({ length: 20 }, (_, i) => `${name}${i}`),
          `producer ${name}'s items, once each, in order`,
        );
      }
    }),
  );
});

describe("task 3: late aborts", () => {
  it(
    "Queue.get() aborted after an item was promised to it rejects with the reason and takes nothing",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const controller = new AbortController();
      const reason = new Error("gone");
      const getting = q.get({ signal: controller.signal });
      await clock.flush();
      q.putNowait("item");
      controller.abort(reason);
      await rejectsWith(getting, { is: reason }, "get() aborted after put() woke it");
      assert.equal(q.qsize(), 1, "the item stays in the queue for anyone");
      const joined = watch(q.join());
      await clock.flush();
      assert.equal(joined.settled, false, "the item is still unfinished: nobody took it");
      assert.equal(await q.get(), "item", "the next get() takes it");
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves once that item is done");
    }),
  );

  it(
    "Queue.get() aborted after an item was promised to it passes the item to the next waiting get()",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const controller = new AbortController();
      const first = q.get({ signal: controller.signal });
      const second = watch(q.get());
      await clock.flush();
      q.putNowait("item");
      controller.abort();
      await rejectsWith(
        first,
        { name: "AbortError" },
        "the first get(), aborted after put() woke it",
      );
      await clock.flush();
      assert.equal(
        second.value,
        "item",
        "the item must go on to the get() waiting behind the aborted one",
      );
      assert.equal(q.qsize(), 0, "nothing is left in the queue");
    }),
  );

  it(
    "Queue.get(): two gets aborted after their items were promised leave both items in order",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const c1 = new AbortController();
      const c2 = new AbortController();
      const g1 = q.get({ signal: c1.signal });
      const g2 = q.get({ signal: c2.signal });
      await clock.flush();
      q.putNowait("x");
      q.putNowait("y");
      q.putNowait("z");
      c1.abort();
      c2.abort();
      await rejectsWith(g1, { name: "AbortError" }, "the first aborted get()");
      await rejectsWith(g2, { name: "AbortError" }, "the second aborted get()");
      assert.deepEqual(drain(q), ["x", "y", "z"], "the items must stay first in, first out");
    }),
  );

  it(
    "Queue.put() aborted after a slot was promised to it adds nothing and frees the slot",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      q.putNowait("a");
      const controller = new AbortController();
      const reason = { why: "gone" };
      const putting = q.put("b", { signal: controller.signal });
      await clock.flush();
      q.getNowait();
      controller.abort(reason);
      await rejectsWith(putting, { is: reason }, "put() aborted after getNowait() woke it");
      assert.deepEqual(
        [q.qsize(), q.full()],
        [0, false],
        "[qsize, full]: no item added, the slot is free again",
      );
      q.putNowait("c");
      assert.deepEqual(drain(q), ["c"], "only the newcomer's item is in the queue");
      q.taskDone();
      q.taskDone();
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "a third taskDone(): the aborted put() must not count as an item",
      );
    }),
  );

  it(
    "Queue.put() aborted after a slot was promised to it passes the slot to the next waiting put()",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      q.putNowait("a");
      const controller = new AbortController();
      const first = q.put("b", { signal: controller.signal });
      const second = watch(q.put("c"));
      await clock.flush();
      q.getNowait();
      controller.abort();
      await rejectsWith(
        first,
        { name: "AbortError" },
        "the first put(), aborted after getNowait() woke it",
      );
      await clock.flush();
      assert.equal(
        second.settled && !second.rejected,
        true,
        "the put() waiting behind must get the slot",
      );
      assert.deepEqual(drain(q), ["c"], "its item is in the queue, the aborted one is not");
    }),
  );

  it(
    "Queue: a late abort wins over shutdown() for get() and put()",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      const gc = new AbortController();
      const getting = q.get({ signal: gc.signal });
      await clock.flush();
      q.putNowait("item");
      q.shutdown();
      gc.abort();
      await rejectsWith(
        getting,
        { name: "AbortError" },
        "get() woken, then shutdown(), then aborted",
      );
      assert.equal(q.getNowait(), "item", "the item it did not take can still be drained");

      const p = new Queue<string>(1);
      p.putNowait("a");
      const pc = new AbortController();
      const putting = p.put("b", { signal: pc.signal });
      await clock.flush();
      p.getNowait();
      p.shutdown();
      pc.abort();
      await rejectsWith(
        putting,
        { name: "AbortError" },
        "put() woken, then shutdown(), then aborted",
      );
    }),
  );

  it(
    "Queue: an abort after get() or put() returned changes nothing",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      const controller = new AbortController();
      const getting = q.get({ signal: controller.signal });
      await clock.flush();
      q.putNowait("x");
      assert.equal(await getting, "x", "the get() resumed and took its item");
      q.putNowait("y");
      const putting = q.put("z", { signal: controller.signal });
      await clock.flush();
      assert.equal(q.getNowait(), "y", "getNowait() frees the slot for the waiting put()");
      await putting;
      controller.abort();
      await clock.flush();
      assert.deepEqual(
        drain(q),
        ["z"],
        "an abort after both calls finished must not add, remove or move items",
      );
      q.putNowait("w");
      throwsWith(
        () => q.putNowait("v"),
        { name: "QueueFull" },
        "the queue of 1 is full again with one item",
      );
    }),
  );
});

describe("task 4: taskDone() and join()", () => {
  it(
    "Queue.join() does not count get() as done",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      const joined = watch(q.join());
      q.getNowait();
      q.getNowait();
      await clock.flush();
      assert.equal(q.empty(), true, "both items were taken");
      assert.equal(
        joined.settled,
        false,
        "join() must wait for taskDone(), not for an empty queue",
      );
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, false, "one item is still unfinished");
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves after the last taskDone()");
    }),
  );

  it(
    "Queue.join() waits for every taskDone() of concurrent workers",
    withClock(async (clock) => {
      const q = new Queue<number>();
      for (const ms of [300, 100, 200]) q.putNowait(ms);
      const worker = async () => {
        try {
          for (;;) {
            const ms = await q.get();
            await clock.sleep(ms);
            q.taskDone();
          }
        } catch (error) {
          if (!(error instanceof QueueShutDown)) throw error;
        }
      };
      const workers = [worker(), worker()];
      await q.join();
      assert.equal(
        clock.now(),
        300,
        "two workers: 300 on one, 100 + 200 on the other, so join() resolves at t=300",
      );
      q.shutdown();
      await Promise.all(workers);
    }),
  );

  it(
    "Queue.taskDone() called too many times throws RangeError and leaves the count at zero",
    withClock(async (clock) => {
      const fresh = new Queue<number>();
      throwsWith(() => fresh.taskDone(), { name: "RangeError" }, "taskDone() on a fresh queue");
      const q = new Queue<number>();
      q.putNowait(1);
      q.getNowait();
      q.taskDone();
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "taskDone() more times than items put",
      );
      q.putNowait(2);
      const joined = watch(q.join());
      await clock.flush();
      assert.equal(
        joined.settled,
        false,
        "the refused taskDone() must not have lowered the count: item 2 is unfinished",
      );
      q.getNowait();
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves once item 2 is done");
    }),
  );

  it(
    "Queue.join() wakes all three waiting joiners by one taskDone()",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      const joins = [q.join(), q.join(), q.join()].map((p) => watch(p));
      await clock.sleep(10);
      q.getNowait();
      q.taskDone();
      await clock.flush();
      assert.deepEqual(
        joins.map((j) => j.settled),
        [true, true, true],
        "all three join() calls should resolve",
      );
    }),
  );

  it(
    "Queue.join() waits again once new items are put",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.getNowait();
      q.taskDone();
      await q.join();
      q.putNowait(2);
      const joined = watch(q.join());
      await clock.flush();
      assert.equal(joined.settled, false, "a new item makes the queue unfinished again");
      q.getNowait();
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves once the new item is done");
    }),
  );

  it(
    "Queue.join() counts items that were promised to a waiting getter",
    withClock(async (clock) => {
      const q = new Queue<number>();
      const getting = q.get();
      await clock.flush();
      q.putNowait(1);
      await getting;
      const joined = watch(q.join());
      await clock.flush();
      assert.equal(joined.settled, false, "the item is unfinished until taskDone()");
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves after taskDone()");
    }),
  );

  it(
    "Queue.join() aborted while waiting rejects with the reason; other joiners still wait",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      const controller = new AbortController();
      const counts = countListeners(controller.signal);
      const reason = new Error("stop joining");
      const aborted = q.join({ signal: controller.signal });
      const other = watch(q.join());
      await clock.sleep(10);
      controller.abort(reason);
      await rejectsWith(aborted, { is: reason }, "join({ signal }) after abort()");
      assert.equal(other.settled, false, "the other join() still waits for taskDone()");
      q.getNowait();
      q.taskDone();
      await clock.flush();
      assert.equal(other.settled && !other.rejected, true, "the other join() resolves");
      await rejectsWith(
        q.join({ signal: AbortSignal.abort(reason) }),
        { is: reason },
        "join() with an already aborted signal, even with nothing unfinished",
      );
      const c2 = new AbortController();
      const c2counts = countListeners(c2.signal);
      q.putNowait(2);
      const joining = q.join({ signal: c2.signal });
      q.getNowait();
      q.taskDone();
      await joining;
      assert.equal(
        c2counts.added - c2counts.removed,
        0,
        "join() must remove its abort listener once it resolves",
      );
      assert.ok(counts.added >= 1, "join({ signal }) should listen for the abort while it waits");
    }),
  );

  it(
    "Queue.join() aborted after the count reached zero but before it resumed rejects with the reason",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      const controller = new AbortController();
      const reason = new Error("late");
      const aborted = q.join({ signal: controller.signal });
      const other = q.join();
      await clock.flush();
      q.getNowait();
      q.taskDone();
      controller.abort(reason);
      await rejectsWith(
        aborted,
        { is: reason },
        "join() woken by the last taskDone(), then aborted before it resumed",
      );
      await other;
    }),
  );
});

describe("task 5: shutdown()", () => {
  it(
    "Queue.shutdown() makes put() and putNowait() throw QueueShutDown, also on a full queue",
    withClock(async (clock) => {
      const q = new Queue<number>(5);
      q.shutdown();
      throwsWith(
        () => q.putNowait(1),
        { name: "QueueShutDown", instanceOf: QueueShutDown },
        "putNowait() after shutdown()",
      );
      await rejectsWith(
        q.put(1),
        { name: "QueueShutDown", instanceOf: QueueShutDown },
        "put() after shutdown()",
      );
      assert.equal(q.qsize(), 0, "nothing may be added after shutdown()");
      const full = new Queue<number>(1);
      full.putNowait(1);
      full.shutdown();
      const putting = watch(full.put(2));
      await clock.flush();
      assert.equal(
        putting.rejected,
        true,
        "put() on a full, shut-down queue must fail at once, not wait",
      );
      assert.equal((putting.error as Error)?.name, "QueueShutDown", "it fails with QueueShutDown");
      throwsWith(
        () => full.putNowait(2),
        { name: "QueueShutDown" },
        "putNowait() on a full, shut-down queue: QueueShutDown, not QueueFull",
      );
    }),
  );

  it(
    "Queue.shutdown() lets get() drain the remaining items, then throws QueueShutDown",
    withClock(async () => {
      const q = new Queue<string>();
      q.putNowait("a");
      q.putNowait("b");
      q.shutdown();
      assert.equal(q.qsize(), 2, "shutdown() without immediate keeps the items");
      assert.equal(await q.get(), "a", "first remaining item");
      assert.equal(q.getNowait(), "b", "second remaining item");
      await rejectsWith(
        q.get(),
        { name: "QueueShutDown" },
        "get() once the shut-down queue is empty",
      );
      throwsWith(
        () => q.getNowait(),
        { name: "QueueShutDown" },
        "getNowait() on a shut-down, empty queue: QueueShutDown, not QueueEmpty",
      );
    }),
  );

  it(
    "Queue.shutdown() removes the abort listeners of the calls it fails",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      const controller = new AbortController();
      const counts = countListeners(controller.signal);
      const getting = q.get({ signal: controller.signal });
      await clock.flush();
      q.shutdown();
      await rejectsWith(
        getting,
        { name: "QueueShutDown" },
        "a get({ signal }) waiting when shutdown() was called",
      );
      const p = new Queue<string>(1);
      p.putNowait("a");
      const putting = p.put("b", { signal: controller.signal });
      await clock.flush();
      p.shutdown();
      await rejectsWith(
        putting,
        { name: "QueueShutDown" },
        "a put({ signal }) waiting when shutdown() was called",
      );
      assert.equal(
        counts.added - counts.removed,
        0,
        `the failed calls must remove their abort listeners; ${counts.added} added, ${counts.removed} removed`,
      );
    }),
  );

  it(
    "Queue.shutdown() without immediate keeps join() waiting for the consumers",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      const joined = watch(q.join());
      q.shutdown();
      await clock.flush();
      assert.equal(joined.settled, false, "the two items still have to be processed");
      q.getNowait();
      q.taskDone();
      q.getNowait();
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves once the drained items are done");
    }),
  );

  it(
    "Queue.shutdown(true) drops four items, counts each as done and makes get() fail",
    withClock(async (clock) => {
      const q = new Queue<number>();
      for (let i = 0; i < 4; i++) q.putNowait(i);
      const joined = watch(q.join());
      q.shutdown(true);
      assert.equal(q.qsize(), 0, "shutdown(true) empties the queue");
      throwsWith(
        () => q.getNowait(),
        { name: "QueueShutDown" },
        "getNowait() after shutdown(true)",
      );
      await rejectsWith(q.get(), { name: "QueueShutDown" }, "get() after shutdown(true)");
      await clock.flush();
      assert.equal(joined.settled, true, "every dropped item counts as done, so join() resolves");
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "taskDone() after shutdown(true) dropped everything",
      );
    }),
  );

  it(
    "Queue.shutdown(true) counts dropped items as done without taking the count below zero",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.taskDone(); // taskDone() counts, it does not need the item to be taken
      q.taskDone();
      q.shutdown(true); // drops 1 and 2 while nothing is unfinished: the count stays at 0
      const joined = watch(q.join());
      await clock.flush();
      assert.equal(
        joined.settled && !joined.rejected,
        true,
        "nothing is unfinished after shutdown(true): join() must resolve at once (a count taken below zero never comes back to 0)",
      );
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "taskDone() when nothing is unfinished after shutdown(true)",
      );
    }),
  );

  it(
    "Queue.shutdown(true) keeps join() waiting for items already taken but not done",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.putNowait(3);
      q.getNowait(); // a worker is busy with item 1
      const joined = watch(q.join());
      q.shutdown(true);
      await clock.flush();
      assert.equal(joined.settled, false, "item 1 was taken and is still being worked on");
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "join() resolves once the taken item is done");
      throwsWith(
        () => q.taskDone(),
        { name: "RangeError" },
        "the count never went below zero: one more taskDone() is too many",
      );
    }),
  );

  it(
    "Queue.shutdown(true) after shutdown() still drops what is left",
    withClock(async () => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.shutdown();
      assert.equal(q.getNowait(), 1, "draining after shutdown()");
      q.shutdown(true);
      assert.equal(q.qsize(), 0, "the second shutdown(true) drops item 2");
      q.taskDone();
      await q.join();
    }),
  );

  it(
    "Queue.shutdown(true) drops an item promised to a woken get(), which fails with QueueShutDown",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const getting = q.get();
      await clock.flush();
      q.putNowait("x");
      const joined = watch(q.join());
      q.shutdown(true);
      await rejectsWith(
        getting,
        { name: "QueueShutDown" },
        "get() woken by put(), then shutdown(true) before it resumed",
      );
      await clock.flush();
      assert.equal(joined.settled, true, "the dropped item counts as done, so join() resolves");
    }),
  );

  it(
    "Queue.shutdown() lets a woken get() that has not resumed take its item",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const getting = q.get();
      await clock.flush();
      q.putNowait("x");
      q.shutdown();
      assert.equal(
        await getting,
        "x",
        "shutdown() without immediate keeps the items, the promised one included",
      );
      throwsWith(() => q.getNowait(), { name: "QueueShutDown" }, "getNowait() once it is drained");
    }),
  );

  it(
    "Queue.shutdown() fails a woken put() that has not resumed, and its item is not added",
    withClock(async (clock) => {
      const q = new Queue<string>(1);
      q.putNowait("a");
      const putting = q.put("b");
      await clock.flush();
      q.getNowait();
      q.shutdown();
      await rejectsWith(
        putting,
        { name: "QueueShutDown" },
        "put() woken by getNowait(), then shutdown() before it resumed",
      );
      throwsWith(
        () => q.getNowait(),
        { name: "QueueShutDown" },
        "the queue is empty: item b was never added",
      );
    }),
  );
});

describe("task 6: for await", () => {
  it(
    "for await over a Queue yields items in order and ends after shutdown and drain",
    withClock(async () => {
      const q = new Queue<number>();
      for (let i = 0; i < 5; i++) q.putNowait(i);
      q.shutdown();
      const seen: number[] = [];
      for await (const n of q) seen.push(n);
      assert.deepEqual(seen, [0, 1, 2, 3, 4], "every item, in order, then the loop ends");
    }),
  );

  it(
    "for await over a Queue waits for items put later",
    withClock(async (clock) => {
      const q = new Queue<string>();
      const rec = new EventRecorder<string>();
      const producer = (async () => {
        for (const item of ["a", "b", "c"]) {
          await clock.sleep(100);
          await q.put(item);
        }
        q.shutdown();
      })();
      for await (const item of q) rec.record("item", item);
      await producer;
      assert.deepEqual(
        rec.times("item"),
        [100, 200, 300],
        "each item arrives when it is put:\n" + rec.format(),
      );
    }),
  );

  it(
    "for await over a Queue does not call taskDone() for the loop body",
    withClock(async (clock) => {
      const q = new Queue<number>();
      q.putNowait(1);
      q.putNowait(2);
      q.shutdown();
      for await (const _ of q) {
        // the loop body forgets taskDone()
      }
      const joined = watch(q.join());
      await clock.flush();
      assert.equal(
        joined.settled,
        false,
        "iteration takes items like get(); marking them done is the body's job",
      );
      q.taskDone();
      q.taskDone();
      await clock.flush();
      assert.equal(joined.settled, true, "two taskDone() calls finish both items");
    }),
  );

  it(
    "for await over a Queue ends when shutdown(true) is called while it waits",
    withClock(async (clock) => {
      const q = new Queue<number>();
      setTimeout(() => q.shutdown(true), 50);
      const seen: number[] = [];
      for await (const n of q) seen.push(n);
      assert.deepEqual(seen, [], "nothing was put");
      assert.equal(clock.now(), 50, "the loop ends when the queue is shut down");
    }),
  );
});
