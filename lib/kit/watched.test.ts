// watched(): a course primitive says its state in words at a deadlock, and is otherwise the
// learner's class unchanged. The deadlocks here are the two shapes the specs' hints name: a lock
// whose release() wakes nobody, a queue whose put() wakes no getter (and an empty queue whose
// consumers wait for a sentinel that never comes).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, runWithClock } from "../mod.ts";
import { LOCK, QUEUE } from "./primitive_specs.ts";
import { watch, watched } from "./watched.ts";
import { CourseQueue, ForgetfulLock } from "./testdata/primitives.ts";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../clock/real.ts";

const UNHANDLED = fileURLToPath(new URL("./testdata/watched_unhandled.ts", import.meta.url));

const Lock = watched(ForgetfulLock, LOCK);
const Queue = watched(CourseQueue, QUEUE);

async function deadlock(run: Promise<unknown>): Promise<DeadlockError> {
  const error = await run.then(() => undefined, (e) => e);
  assert.ok(error instanceof DeadlockError, `expected a DeadlockError, got ${error}`);
  return error;
}

async function withLock(
  lock: InstanceType<typeof Lock>,
  ms: number,
  sleep: (ms: number) => Promise<void>,
) {
  await lock.acquire();
  try {
    await sleep(ms);
  } finally {
    lock.release();
  }
}

describe("watched()", () => {
  it("watched() keeps the class: same name, instanceof, methods, results and statics", () => {
    class Base {
      static made = 0;
      #n: number;
      constructor(n: number) {
        this.#n = n;
        Base.made++;
      }
      locked(): boolean {
        return this.#n > 0;
      }
      acquire(): Promise<number> {
        return Promise.resolve(this.#n);
      }
    }
    const W = watched(Base, LOCK);
    const w = new W(2);
    assert.equal(W.name, "Base");
    assert.ok(w instanceof Base);
    assert.equal(w.locked(), true);
    assert.equal(W.made, 1, "statics are inherited");
    assert.deepEqual(Object.keys(w), [], "nothing is added to the instance");
    return w.acquire().then((v) => assert.equal(v, 2));
  });

  it("watched() answers instanceof as the base does, for the base's subclasses too", () => {
    class Sem {
      locked(): boolean {
        return false;
      }
    }
    class Bounded extends Sem {}
    const WSem = watched(Sem, LOCK);
    const WBounded = watched(Bounded, LOCK);
    assert.ok(
      new WBounded() instanceof WSem,
      "a wrapped subclass is an instance of the wrapped base",
    );
    assert.ok(new Bounded() instanceof WSem, "so is an unwrapped one");
    assert.ok(!(new WSem() instanceof WBounded), "a base instance is no subclass instance");
    assert.ok(!({} instanceof WSem));
  });

  it("watched() keeps the learner's class name in stack frames (Deno: Base.where)", () => {
    class Base {
      locked(): boolean {
        return false;
      }
      where(): string {
        return new Error().stack!.split("\n")[1];
      }
    }
    const frame = new (watched(Base, LOCK))().where();
    assert.doesNotMatch(frame, /Watched|named|Object\./, frame);
    if (runtimeName === "deno") assert.match(frame, /at Base\.where /, frame);
  });

  it("watched() adds no method the class lacks", () => {
    class OnlyLocked {
      locked(): boolean {
        return false;
      }
    }
    const W = watched(OnlyLocked, LOCK);
    assert.equal("acquire" in new W(), false);
  });

  it("watched() passes a thrown error through unchanged", () => {
    class Throws {
      locked(): boolean {
        return false;
      }
      acquire(): Promise<void> {
        throw new RangeError("no");
      }
    }
    const W = watched(Throws, LOCK);
    assert.throws(() => new W().acquire(), RangeError);
  });

  it("watched() describes a lost wake-up: Lock free, 2 acquire() calls waiting, and the hint", async () => {
    const error = await deadlock(runWithClock(async (clock) => {
      const lock = new Lock();
      const sleep = (ms: number) => clock.sleep(ms);
      await Promise.all([
        withLock(lock, 100, sleep),
        withLock(lock, 100, sleep),
        withLock(lock, 100, sleep),
      ]);
    }, { track: true }));
    assert.deepEqual(error.diagnosis.details, [
      "Lock: free, 2 acquire() calls waiting (free while acquire() waits: did release() wake the next waiter?)",
    ]);
    assert.match(error.message, /Lock: free, 2 acquire\(\) calls waiting/);
  });

  it("watched() describes a getter never woken: items queued while get() waits", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<number>(5, false);
      const got = queue.get();
      await queue.put(1);
      await got;
    }, { track: true }));
    assert.deepEqual(error.diagnosis.details, [
      "Queue: 1 item, maxsize 5, 1 get() call waiting (items queued while get() waits: did put() wake a getter?)",
    ]);
  });

  it("watched() describes a missing sentinel: an empty queue, 1 get() call waiting", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<string>();
      const consume = async () => {
        while ((await queue.get()) !== "DONE");
      };
      const consumers = [consume(), consume()];
      await queue.put("DONE"); // one sentinel for two consumers
      await Promise.all(consumers);
    }, { track: true }));
    assert.deepEqual(error.diagnosis.details, [
      "Queue: empty, 1 get() call waiting (empty while get() waits: a put() or a sentinel per consumer missing?)",
    ]);
  });

  it("watched() counts exactly past its compaction: 500 settled calls dropped, 300 stuck ones kept", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<number>();
      for (let i = 0; i < 500; i++) await queue.put(i);
      for (let i = 0; i < 500; i++) await queue.get();
      const stuck = Array.from({ length: 300 }, () => queue.get());
      await Promise.all(stuck);
    }, { track: true }));
    assert.match(error.diagnosis.details[0] ?? "", /^Queue: empty, 300 get\(\) calls waiting /);
  });

  it("watched() counts nothing without tracking: passing tests pay no bookkeeping", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queue = new Queue<number>();
      await queue.get();
    }));
    assert.deepEqual(error.diagnosis.details, ["Queue: empty"]);
  });

  it("watched() leaves an unhandled rejection reported: it attaches no handler", () => {
    // In a child process, as the harness runs tests: the runner here has its own listeners.
    const args = runtimeName === "deno" ? ["run", "--no-check", "-A", UNHANDLED] : [UNHANDLED];
    const out = execFileSync(process.execPath, args, { encoding: "utf8", timeout: 20_000 });
    assert.deepEqual(JSON.parse(out.trim().split("\n").pop()!), {
      tracked: "UnhandledRejectionError",
      untracked: "UnhandledRejectionError",
    });
  });

  it("watched() describes at most 4 instances and counts the rest", async () => {
    const error = await deadlock(runWithClock(async () => {
      const queues = Array.from({ length: 6 }, () => new Queue<number>());
      await queues[0].get();
    }));
    assert.equal(error.diagnosis.details.length, 5);
    assert.equal(error.diagnosis.details[4], "and 2 more watched");
  });

  it("watched() skips a describer that throws and keeps the others", async () => {
    class Broken {
      locked(): boolean {
        throw new Error("odd state");
      }
    }
    const B = watched(Broken, LOCK);
    const error = await deadlock(runWithClock(async () => {
      new B();
      const queue = new Queue<number>();
      await queue.get();
    }));
    assert.deepEqual(error.diagnosis.details, ["Queue: empty"]);
  });

  it("watch() describes an object with the counts it keeps itself", async () => {
    const error = await deadlock(runWithClock(async () => {
      const q = { qsize: () => 0, full: () => false, maxsize: 2 };
      watch(q, QUEUE, () => ({ get: 2 }));
      await new Promise(() => {});
    }));
    assert.deepEqual(error.diagnosis.details, [
      "Queue: empty, maxsize 2, 2 get() calls waiting (empty while get() waits: a put() or a sentinel per consumer missing?)",
    ]);
  });

  it("watch() outside a clock registers nothing and does not throw", () => {
    watch({ qsize: () => 0, full: () => false }, QUEUE, () => ({}));
  });
});
