/**
 * Hidden tests of 21_worker_pool: every behaviour the exercise pins. Real threads on real time,
 * observed through shared memory; `watchLoop()`'s exact numbers on the virtual clock.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isNotImplemented, rejectsWith, throwsWith, withClock } from "../../lib/mod.ts";
import { WorkerPool } from "./pool.ts";
import { compareCpuBound, watchLoop } from "./loop_watch.ts";
import { echoAfter } from "./cpu_jobs.ts";

const JOBS = new URL("./cpu_jobs.ts", import.meta.url);

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));

async function until(ready: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`waited ${limitMs} ms for ${what}`);
    await pause(2);
  }
}

function open(gates: Int32Array, index: number): void {
  Atomics.store(gates, index, 1);
  Atomics.notify(gates, index);
}

/** `work`, or a rejection if it is still pending after `limitMs` of real time (instead of a hang). */
function within<T>(work: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} was still pending after ${limitMs} ms`)),
      limitMs,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

async function assertStopped(counter: Int32Array, what: string): Promise<void> {
  const before = Atomics.load(counter, 0);
  await pause(60);
  const after = Atomics.load(counter, 0);
  assert.ok(
    after <= before + 1,
    `${what}: the job kept counting (${before} -> ${after}), so its thread was not terminated`,
  );
}

/** Starts countUp on the pool and waits until it has counted at least twice. */
async function startCounting(pool: WorkerPool, signal?: AbortSignal) {
  const counter = shared(1);
  const job = pool.run("countUp", [counter, 400, 5], { signal });
  job.catch(() => {}); // the test inspects the rejection itself
  await until(() => Atomics.load(counter, 0) >= 2, "the countUp job to start counting");
  return { counter, job };
}

/** A signal that counts its live abort listeners. */
function countingSignal() {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: AddEventListenerOptions | boolean,
  ) => {
    if (type === "abort") live.add(listener);
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: EventListenerOptions | boolean,
  ) => {
    if (type === "abort") live.delete(listener);
    remove(type, listener, options);
  }) as typeof signal.removeEventListener;
  return { controller, signal, live };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `body` with `globalThis.Worker` wrapped to count the Workers started. */
async function countingWorkers(body: () => Promise<unknown>): Promise<number> {
  const g = globalThis as unknown as { Worker: typeof Worker };
  const Real = g.Worker;
  let started = 0;
  g.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      started++;
    }
  };
  try {
    await body();
  } finally {
    g.Worker = Real;
  }
  return started;
}

describe("task 1: WorkerPool threads (hidden)", () => {
  it("WorkerPool() defaults size to navigator.hardwareConcurrency and keeps moduleUrl as a string", async () => {
    await using pool = new WorkerPool(JOBS);
    assert.equal(
      pool.size,
      navigator.hardwareConcurrency,
      `the default size is one thread per core (${navigator.hardwareConcurrency} here); yours ${pool.size}`,
    );
    assert.equal(
      pool.moduleUrl,
      JOBS.href,
      `moduleUrl is kept as an absolute URL string; yours ${pool.moduleUrl}`,
    );
    await using one = new WorkerPool(JOBS.href, { size: 1 });
    assert.equal(one.size, 1, "size 1 is allowed");
  });

  it("WorkerPool() throws RangeError for NaN, negative, infinite or non-number sizes", () => {
    for (const size of [NaN, -1, Infinity, "2" as unknown as number]) {
      throwsWith(
        () => new WorkerPool(JOBS, { size }),
        { name: "RangeError" },
        `new WorkerPool(JOBS, { size: ${JSON.stringify(size) ?? size} })`,
      );
    }
  });

  it("WorkerPool() throws TypeError for a relative module path", () => {
    throwsWith(
      () => new WorkerPool("./cpu_jobs.ts", { size: 1 }),
      { name: "TypeError" },
      'new WorkerPool("./cpu_jobs.ts")',
    );
  });

  it("WorkerPool starts module threads only up to size, however many jobs wait", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    const gates = shared(1);
    const types: unknown[] = [];
    const g = globalThis as unknown as { Worker: typeof Worker };
    const Real = g.Worker;
    g.Worker = class extends Real {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        types.push(options?.type);
      }
    };
    let jobs: Promise<unknown>[];
    try {
      jobs = Array.from({ length: 12 }, (_, i) => pool.run("awaitGate", [gates, 0, i, 5000]));
    } finally {
      g.Worker = Real;
    }
    await pause(20);
    assert.equal(
      pool.threads,
      3,
      `12 jobs on a pool of 3 start exactly 3 threads; yours ${pool.threads}`,
    );
    assert.deepEqual(
      types,
      ["module", "module", "module"],
      `start each thread with new Worker(HOST_URL, { type: "module" }) (Deno runs no other kind); yours passed type ${
        types.map(String).join(", ")
      }`,
    );
    open(gates, 0);
    assert.deepEqual(
      await Promise.all(jobs),
      [...Array(12).keys()],
      "every job runs, each with its value",
    );
    assert.equal(pool.threads, 3, `the threads stay for the next jobs; yours ${pool.threads}`);
  });
});

describe("task 2: WorkerPool.run() (hidden)", () => {
  it("WorkerPool.run() starts waiting jobs in FIFO order", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const done: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((n) => pool.run<number>("echoAfter", [2, n]).then((v) => done.push(v))),
    );
    assert.deepEqual(
      done,
      [0, 1, 2, 3, 4],
      `with one thread, jobs run in the order run() was called; yours ${done}`,
    );
  });

  it("WorkerPool.run() defaults args to [] and awaits async jobs in the thread", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    assert.deepEqual(
      await pool.run("echoArgs"),
      [],
      'run("echoArgs") calls echoArgs() with no arguments',
    );
    assert.equal(
      await pool.run("sleepThen", [5, "later"]),
      "later",
      "run() resolves with the async job's value",
    );
  });

  it("WorkerPool.run() rebuilds the worker's error with its stack, and names a missing export", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const error = await rejectsWith(pool.run("fail", ["QuotaError", "over quota"]), {
      name: "QuotaError",
      message: "over quota",
    }, 'run("fail", ...)') as Error;
    assert.match(
      String(error.stack),
      /cpu_jobs/,
      "the stack is the worker's, where the error was thrown",
    );
    await rejectsWith(
      pool.run("noSuchJob"),
      { name: "TypeError", message: "noSuchJob" },
      'run("noSuchJob")',
    );
  });

  it("WorkerPool.run() rejects with DataCloneError when the arguments or the result cannot be copied", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(
      pool.run("echoAfter", [0, () => 1]),
      { name: "DataCloneError" },
      "run() with a function as an argument",
    );
    await rejectsWith(within(pool.run("makeCallback"), 5000, 'run("makeCallback")'), {
      name: "DataCloneError",
    }, "run() of a job that returns a function");
    assert.equal(
      await within(pool.run("add", [1, 2]), 5000, "the next job"),
      3,
      "the pool still works afterwards",
    );
    assert.equal(pool.threads, 1, `and still uses its one thread; yours has ${pool.threads}`);
  });

  it("WorkerPool.run() rejects the job of a thread that dies, and replaces the thread", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const gates = shared(1);
    const other = pool.run("awaitGate", [gates, 0, "unaffected", 5000]);
    const crash = within(pool.run("crashLater", ["out of memory"]), 5000, 'run("crashLater")');
    const error = await rejectsWith(
      crash,
      { message: "out of memory" },
      "run() of a job whose thread dies",
    ) as Error;
    assert.ok(error instanceof Error, "it rejects with an Error");
    assert.equal(pool.threads, 1, `the dead thread leaves the pool; yours has ${pool.threads}`);
    open(gates, 0);
    assert.equal(await other, "unaffected", "a job on another thread is not affected");
    assert.equal(await pool.run("add", [2, 2]), 4, "later jobs run normally");
  });

  it("WorkerPool drops a thread that dies while idle, and the next job gets a new one", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const gates = shared(1);
    assert.equal(
      await pool.run("crashWhenOpened", [gates, 0, "lost the GPU", "done"]),
      "done",
      "the job returns before its thread dies",
    );
    open(gates, 0); // the idle thread now dies: an error event with no job running
    await until(() => pool.threads === 0, "the dead idle thread to leave the pool");
    assert.equal(
      await within(pool.run("add", [40, 2]), 5000, "the job after the idle thread died"),
      42,
      "the next job runs on a new thread",
    );
    assert.equal(pool.threads, 1, `one thread again; yours has ${pool.threads}`);
  });

  it("WorkerPool.run() starts a waiting job on a new thread when a thread dies", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const crash = pool.run("crashLater", ["segfault"]);
    crash.catch(() => {});
    const next = within(pool.run("add", [40, 2]), 5000, "the job waiting behind the crash");
    assert.equal(await next, 42, "the waiting job runs on a replacement thread");
    assert.equal(pool.threads, 1, `one thread again; yours has ${pool.threads}`);
  });

  it("WorkerPool.run() runs CPU-bound jobs on size threads at once", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    const counters = shared(3);
    const arrived = shared(1);
    await Promise.all([1, 2, 3].map(() => pool.run("meet", [arrived, 3, 5000])));
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map(() => pool.run("occupy", [counters, 10])));
    assert.equal(counters[2], 7, `every job runs; ${counters[2]} did`);
    assert.ok(counters[1] <= 3, `at most 3 at once; yours ran ${counters[1]}`);
  });
});

describe("task 3: WorkerPool.run() cancellation (hidden)", () => {
  it("WorkerPool.run() with an already aborted signal rejects with the reason and starts nothing", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const reason = { why: "cancelled before it began" };
    await rejectsWith(pool.run("add", [1, 2], { signal: AbortSignal.abort(reason) }), {
      is: reason,
    }, "run() with an aborted signal");
    assert.equal(
      pool.threads,
      0,
      `no thread may start for a job already cancelled; yours has ${pool.threads}`,
    );
  });

  it("WorkerPool.run() after an abort starts a fresh thread for the next job", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const controller = new AbortController();
    const { job } = await startCounting(pool, controller.signal);
    const next = pool.run("add", [40, 2]);
    controller.abort();
    await rejectsWith(job, { name: "AbortError" }, "run() aborted mid-job (default reason)");
    assert.equal(
      await within(next, 5000, "the job waiting behind the aborted one"),
      42,
      "it runs on a new thread",
    );
    assert.equal(pool.threads, 1, `the pool is back to one thread; yours has ${pool.threads}`);
  });

  it("WorkerPool.run() aborted mid-job does not disturb a job on another thread", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const gates = shared(1);
    const other = pool.run("awaitGate", [gates, 0, "kept", 5000]);
    const controller = new AbortController();
    const { counter, job } = await startCounting(pool, controller.signal);
    controller.abort("stop that one");
    await rejectsWith(job, { is: "stop that one" }, "the aborted job");
    await assertStopped(counter, "after the abort");
    open(gates, 0);
    assert.equal(await other, "kept", "only the aborted job's thread is terminated");
  });

  it("WorkerPool.run() aborting one waiting job keeps the others in FIFO order", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const gates = shared(1);
    const order: string[] = [];
    const first = pool.run("awaitGate", [gates, 0, "first", 5000]).then((v) =>
      order.push(v as string)
    );
    const controller = new AbortController();
    const dropped = pool.run("echoAfter", [0, "dropped"], { signal: controller.signal });
    const rest = ["a", "b", "c"].map((v) =>
      pool.run<string>("echoAfter", [0, v]).then((x) => order.push(x))
    );
    controller.abort();
    await rejectsWith(dropped, { name: "AbortError" }, "the aborted waiting job");
    open(gates, 0);
    await Promise.all([first, ...rest]);
    assert.deepEqual(
      order,
      ["first", "a", "b", "c"],
      `the others keep their order; yours ${order}`,
    );
  });

  it("WorkerPool.run() removes its abort listener whichever way the job ends", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const { signal, live } = countingSignal();
    await pool.run("add", [1, 1], { signal });
    await rejectsWith(
      pool.run("fail", ["RangeError", "no"], { signal }),
      { name: "RangeError" },
      'run("fail", ...)',
    );
    await rejectsWith(
      pool.run("echoAfter", [0, () => 1], { signal }),
      { name: "DataCloneError" },
      "run() with a function argument",
    );
    assert.equal(
      live.size,
      0,
      `every finished job must remove its abort listener; ${live.size} left`,
    );
  });

  it("WorkerPool.run() is not affected by an abort after it settled", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const controller = new AbortController();
    assert.equal(
      await pool.run("add", [40, 2], { signal: controller.signal }),
      42,
      "the job's result",
    );
    controller.abort();
    assert.equal(await pool.run("add", [1, 1]), 2, "the pool goes on");
    assert.equal(
      pool.threads,
      1,
      `an abort after the job ended terminates nothing; yours has ${pool.threads} threads`,
    );
  });

  it("WorkerPool.run() with an already aborted signal starts no Worker, not even for a moment", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const reason = new DOMException("too late", "AbortError");
    const started = await countingWorkers(() =>
      rejectsWith(
        pool.run("add", [1, 2], { signal: AbortSignal.abort(reason) }),
        { is: reason },
        "run() with an aborted signal",
      )
    );
    assert.equal(
      started,
      0,
      `check signal.aborted before queueing: no Worker may start for a job already cancelled; yours started ${started}`,
    );
  });

  it("WorkerPool.run() rejects with a falsy reason as it is: 0, an empty string, null, false", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    const gates = shared(1);
    const blocker = pool.run("awaitGate", [gates, 0, "done", 5000]);
    blocker.catch(() => {}); // awaited below; a failed assertion must not leave it unhandled
    for (const reason of [0, "", null, false]) {
      const waiting = new AbortController();
      const queued = pool.run("add", [1, 2], { signal: waiting.signal });
      waiting.abort(reason);
      await rejectsWith(
        queued,
        { is: reason },
        `a waiting job aborted with ${JSON.stringify(reason)}`,
      );
      await rejectsWith(
        pool.run("add", [1, 2], { signal: AbortSignal.abort(reason) }),
        { is: reason },
        `run() with a signal already aborted with ${JSON.stringify(reason)}`,
      );
    }
    open(gates, 0);
    assert.equal(await blocker, "done", "the running job is not disturbed");
    const running = new AbortController();
    const counter = shared(1);
    const job = pool.run("countUp", [counter, 400, 5], { signal: running.signal });
    job.catch(() => {});
    await until(() => Atomics.load(counter, 0) >= 1, "the job to start counting");
    running.abort(0);
    await rejectsWith(job, { is: 0 }, "a running job aborted with 0");
  });
});

describe("task 4: WorkerPool disposal (hidden)", () => {
  it("WorkerPool [Symbol.asyncDispose]() terminates running jobs on every thread", async () => {
    const pool = new WorkerPool(JOBS, { size: 2 });
    const a = await startCounting(pool);
    const b = await startCounting(pool);
    await pool[Symbol.asyncDispose]();
    await rejectsWith(
      within(a.job, 1000, "the first running job"),
      { name: "AbortError" },
      "a running job when the pool is disposed",
    );
    await rejectsWith(
      within(b.job, 1000, "the second running job"),
      { name: "AbortError" },
      "the other running job",
    );
    await assertStopped(a.counter, "the first thread after dispose");
    await assertStopped(b.counter, "the second thread after dispose");
  });

  it("WorkerPool [Symbol.asyncDispose]() may be called twice, and on a pool that never ran", async () => {
    const idle = new WorkerPool(JOBS, { size: 2 });
    await idle[Symbol.asyncDispose]();
    await idle[Symbol.asyncDispose]();
    assert.equal(idle.threads, 0, "nothing to terminate");
    await rejectsWith(
      idle.run("add", [1, 2]),
      { name: "InvalidStateError" },
      "run() after dispose",
    );
  });

  it("WorkerPool.run() after dispose rejects (never throws) with InvalidStateError", async () => {
    const pool = new WorkerPool(JOBS, { size: 1 });
    await pool.run("add", [1, 1]);
    await pool[Symbol.asyncDispose]();
    let call: Promise<unknown>;
    try {
      call = pool.run("add", [1, 2]);
    } catch (error) {
      if (isNotImplemented(error)) throw error;
      assert.fail(`run() after dispose must reject, not throw; yours threw ${error}`);
    }
    await rejectsWith(call, { name: "InvalidStateError" }, "run() after dispose");
    assert.equal(pool.threads, 0, `dispose ends every thread; yours has ${pool.threads}`);
  });

  it("WorkerPool rejects jobs waiting at dispose with a DOMException named AbortError", async () => {
    const pool = new WorkerPool(JOBS, { size: 1 });
    const gates = shared(1);
    const running = pool.run("awaitGate", [gates, 0, "never", 5000]);
    const waiting = pool.run("add", [1, 2]);
    running.catch(() => {});
    waiting.catch(() => {});
    await pause(20);
    await pool[Symbol.asyncDispose]();
    const error = await rejectsWith(within(waiting, 1000, "the waiting job"), {
      name: "AbortError",
    }, "a waiting job at dispose");
    assert.ok(error instanceof DOMException, `the reason is a DOMException; yours ${error}`);
    await rejectsWith(
      within(running, 1000, "the running job"),
      { name: "AbortError" },
      "the running job at dispose",
    );
  });
});

describe("task 5: watchLoop() (hidden)", () => {
  it(
    "watchLoop() beats every 10 ms by default, with exactly-timed timers and none left behind",
    withClock(async (clock) => {
      const report = await watchLoop(() => sleep(55));
      assert.equal(
        report.beats,
        5,
        `a 10 ms heartbeat beats 5 times in 55 ms; yours ${report.beats}`,
      );
      assert.equal(
        report.longestStallMs,
        10,
        `the longest gap is one beat; yours ${report.longestStallMs}`,
      );
      const beatTimers = clock.trace.filter((t) => t.delay !== 55);
      assert.ok(
        beatTimers.length >= 5 && beatTimers.every((t) => t.delay === 10),
        `the heartbeat's timers are armed for exactly 10 ms; yours: ${
          beatTimers.map((t) => t.delay).join(", ")
        }`,
      );
      assert.equal(clock.pending().length, 0, "the heartbeat is stopped when work ends");
    }),
  );

  it(
    "watchLoop() counts the gap up to the end of work in the longest stall",
    withClock(async () => {
      const short = await watchLoop(() => sleep(5), { beatMs: 10 });
      assert.equal(short.beats, 0, `no beat in 5 ms with a 10 ms heartbeat; yours ${short.beats}`);
      assert.equal(
        short.longestStallMs,
        5,
        `from the start to the end: 5 ms; yours ${short.longestStallMs}`,
      );
      const late = await watchLoop(async () => {
        await sleep(20);
        await new Promise<void>((resolve) => setTimeout(resolve, 25));
      }, { beatMs: 20 });
      assert.equal(
        late.beats,
        2,
        `beats at t=20 and t=40 before the end at t=45; yours ${late.beats}`,
      );
      assert.equal(
        late.longestStallMs,
        20,
        `gaps 20, 20, 5: the longest is 20; yours ${late.longestStallMs}`,
      );
    }),
  );

  it(
    "watchLoop() accepts a fractional beatMs",
    withClock(async () => {
      // The work ends at t=11, between beats: at t=10 a beat and the end would be due at the same
      // instant, in no promised order. The virtual clock cuts the period to 2 ms (as sinon did).
      const report = await watchLoop(() => sleep(11), { beatMs: 2.5 });
      assert.ok(
        report.beats >= 3 && report.beats <= 5,
        `about 4 beats of 2.5 ms in 11 ms (5 with the period cut to 2 ms); yours ${report.beats}`,
      );
    }),
  );

  it(
    "watchLoop() rejects a beatMs that is not a finite number > 0, before calling work",
    withClock(async () => {
      for (const beatMs of [0, -5, NaN, Infinity, "10" as unknown as number]) {
        let called = false;
        await rejectsWith(
          () => watchLoop(() => void (called = true), { beatMs }),
          { name: "RangeError" },
          `watchLoop(work, { beatMs: ${JSON.stringify(beatMs) ?? beatMs} })`,
        );
        assert.equal(called, false, `work must not run with beatMs ${String(beatMs)}`);
      }
    }),
  );

  it(
    "watchLoop() rejects with work's own error and stops its heartbeat",
    withClock(async (clock) => {
      const boom = new Error("job failed");
      await rejectsWith(
        watchLoop(async () => {
          await sleep(30);
          throw boom;
        }),
        { is: boom },
        "watchLoop() of a work that rejects",
      );
      assert.equal(clock.pending().length, 0, "no heartbeat may keep running after a failure");
    }),
  );

  it(
    "watchLoop() turns a synchronous throw of work into a rejection, and stops its heartbeat",
    withClock(async (clock) => {
      const boom = new Error("thrown at once");
      let call: Promise<unknown>;
      try {
        call = watchLoop(() => {
          throw boom;
        });
      } catch (error) {
        if (isNotImplemented(error)) throw error;
        assert.fail(`watchLoop() must reject, not throw; yours threw ${error}`);
      }
      await rejectsWith(call, { is: boom }, "watchLoop() of a work that throws at once");
      assert.equal(
        clock.pending().length,
        0,
        "no heartbeat may keep running after a synchronous throw",
      );
    }),
  );

  it(
    "watchLoop() passes a plain value through, the same object",
    withClock(async () => {
      const rows = [{ id: 1 }];
      const report = await watchLoop(() => rows);
      assert.equal(report.value, rows, "the very value work returned");
      assert.equal(report.beats, 0, "no time passed: no beat");
      assert.equal(report.ms, 0, "no time passed");
    }),
  );

  it("watchLoop() shows that blocking I/O on the main thread blocks the event loop too", async () => {
    let spent = 0;
    const report = await watchLoop(() => {
      const t = performance.now();
      echoAfter(50, "row"); // waits without using the CPU, but holds the thread
      spent = performance.now() - t;
    }, { beatMs: 5 });
    assert.equal(
      report.beats,
      0,
      `a thread blocked in a synchronous call runs no timer; yours counted ${report.beats}`,
    );
    assert.ok(
      report.longestStallMs >= spent - 1, // 1 ms of slack for a clock with whole milliseconds
      `the stall covers the ${spent.toFixed(1)} ms call; yours ${report.longestStallMs.toFixed(1)}`,
    );
  });
});

describe("task 6: compareCpuBound() (hidden)", () => {
  it("compareCpuBound() rejects an empty inputs with RangeError", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(
      () => compareCpuBound(pool, "spin", []),
      { name: "RangeError" },
      'compareCpuBound(pool, "spin", [])',
    );
    assert.equal(pool.threads, 0, "nothing runs for no input");
  });

  it("compareCpuBound() runs the main-thread jobs one after another and the pool jobs all at once", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    const c = await compareCpuBound<string>(pool, "echoAfter", [[30, "a"], [30, "b"], [30, "c"]], {
      beatMs: 5,
    });
    assert.ok(
      c.main.ms >= 89,
      `three 30 ms calls in a row on the main thread take at least 90 ms; yours ${
        c.main.ms.toFixed(0)
      }`,
    );
    assert.equal(c.main.beats, 0, `the blocked main thread beats 0 times; yours ${c.main.beats}`);
    assert.equal(
      pool.threads,
      3,
      `the pool ran the 3 jobs at once, so it needed 3 threads; yours used ${pool.threads}`,
    );
  });

  it("compareCpuBound() keeps the pool results in input order, not in finishing order", async () => {
    await using pool = new WorkerPool(JOBS, { size: 3 });
    await Promise.all([1, 2, 3].map(() => pool.run("add", [1, 1]))); // start the 3 threads first
    // The first job takes longest: on the pool the jobs finish in the opposite order.
    const c = await compareCpuBound<string>(pool, "echoAfter", [[200, "a"], [100, "b"], [1, "c"]]);
    assert.deepEqual(
      c.main.value,
      ["a", "b", "c"],
      `main-thread results in input order; yours ${c.main.value}`,
    );
    assert.deepEqual(
      c.pool.value,
      ["a", "b", "c"],
      `pool results in input order; yours ${c.pool.value}`,
    );
  });

  it("compareCpuBound() passes beatMs to both watches", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(
      () => compareCpuBound(pool, "spin", [[1]], { beatMs: 0 }),
      { name: "RangeError" },
      'compareCpuBound(pool, "spin", [[1]], { beatMs: 0 })',
    );
    const c = await compareCpuBound<number>(pool, "echoAfter", [[40, 1]], { beatMs: 5000 });
    assert.equal(
      c.pool.beats,
      0,
      `with beatMs 5000 no beat fits in a 40 ms job; yours counted ${c.pool.beats} (was beatMs passed on?)`,
    );
  });

  it("compareCpuBound() rejects with the job's error", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    await rejectsWith(
      compareCpuBound(pool, "divmod", [[4, 2], [1, 0]]),
      { name: "ZeroDivisionError" },
      'compareCpuBound(pool, "divmod", [[4, 2], [1, 0]])',
    );
  });

  it("compareCpuBound() imports the job module before it starts timing the main thread", async () => {
    // slow_load.ts blocks 300 ms while it loads; nothing else in this process imports it.
    await using pool = new WorkerPool(new URL("./slow_load.ts", import.meta.url), { size: 1 });
    const c = await compareCpuBound<number>(pool, "double", [[1], [2]]);
    assert.deepEqual(c.main.value, [2, 4], `double on the main thread; yours ${c.main.value}`);
    assert.ok(
      c.main.ms < 150,
      `loading the module (300 ms) is not the jobs' work: import pool.moduleUrl before watchLoop starts; your main run took ${
        c.main.ms.toFixed(0)
      } ms for two calls of double()`,
    );
  });

  it("compareCpuBound() runs the same function on the main thread and on the pool", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const c = await compareCpuBound<number>(pool, "pow", [[2, 10], [3, 3]]);
    assert.deepEqual(c.main.value, [1024, 27], `pow on the main thread; yours ${c.main.value}`);
    assert.deepEqual(c.pool.value, [1024, 27], `pow on the pool; yours ${c.pool.value}`);
    assert.ok(
      Number.isFinite(c.speedup) && c.speedup > 0,
      `speedup is a positive number; yours ${c.speedup}`,
    );
  });

  it("compareCpuBound() reports an empty inputs as a rejected promise, never as a synchronous throw", async () => {
    await using pool = new WorkerPool(JOBS, { size: 1 });
    let result: Promise<unknown> | undefined;
    try {
      result = compareCpuBound(pool, "spin", []);
    } catch (error) {
      assert.fail(
        `compareCpuBound(pool, "spin", []) must return a promise that rejects with RangeError; yours threw synchronously: ${error}`,
      );
    }
    await rejectsWith(result!, { name: "RangeError" }, 'compareCpuBound(pool, "spin", [])');
  });

  it("compareCpuBound() rejects with the error of a job that fails only on the pool", async () => {
    await using pool = new WorkerPool(JOBS, { size: 2 });
    const counter = shared(1);
    // The main thread takes tickets 1 and 2; on the pool, the call that takes ticket 4 throws.
    await rejectsWith(
      compareCpuBound(pool, "ticket", [[counter, 4], [counter, 4]]),
      { name: "TicketError" },
      'compareCpuBound(pool, "ticket", [[counter, 4], [counter, 4]]) (the 4th call fails, on the pool)',
    );
  });
});
