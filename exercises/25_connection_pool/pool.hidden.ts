/**
 * Hidden tests for 25_connection_pool: run by the grader (`deno task grade 25`), not by
 * `bun test` or `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert, { AssertionError } from "node:assert/strict";
import {
  isNotImplemented,
  POOL,
  rejectsWith,
  throwsWith,
  watched,
  withClock,
} from "../../lib/mod.ts";
import { Pool as LearnerPool } from "./pool.ts";
import { type FakeConnection, fakeDb } from "./given_fake_db.ts";

// Your class, describing its state if a test deadlocks (lib/kit/watched.ts).
const Pool = watched(LearnerPool, POOL);
type Pool<C> = LearnerPool<C>;

/** A pool that polls fires thousands of timers; a correct one needs a few per connection. */
const BUDGET = { maxTimers: 200 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `start` (which must return a promise) and fails in the student's terms when it throws
 * synchronously instead: callers chain `.catch()` on the promise, and a throw skips it.
 */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    throw new AssertionError({
      message: `${what} returns a promise: it must reject, not throw from the call (yours threw ${
        String(error)
      })`,
    });
  }
}

/** What a promise did, in words, for messages. */
function outcome(work: Promise<unknown>): Promise<string> {
  return work.then(() => "resolved", (e) => `rejected with ${String(e)}`);
}

/**
 * An AbortController whose signal counts the abort listeners added to it and not yet removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingController(): { controller: AbortController; active: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map<unknown, boolean>(); // listener -> added with { once: true }
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

describe("task 1: new Pool(), size and idleCount", () => {
  it(
    "new Pool() rejects a max that is not an integer >= 1 with RangeError",
    withClock(() => {
      const db = fakeDb();
      for (const max of [0, -1, 1.5, Number.NaN, Infinity]) {
        throwsWith(
          () => new Pool<FakeConnection>({ ...db.callbacks, max }),
          { name: "RangeError" },
          `new Pool({ max: ${max} })`,
        );
      }
      assert.equal(new Pool({ ...db.callbacks, max: 1 }).max, 1, "max 1 is a valid pool of one");
    }),
  );

  it(
    "new Pool() rejects an acquireTimeoutMs that is not a number >= 0, and accepts 0, fractions and Infinity",
    withClock(() => {
      const db = fakeDb();
      for (const acquireTimeoutMs of [-1, Number.NaN, -Infinity]) {
        throwsWith(
          () => new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs }),
          { name: "RangeError" },
          `new Pool({ acquireTimeoutMs: ${acquireTimeoutMs} })`,
        );
      }
      for (const acquireTimeoutMs of [0, 2.5, Infinity, undefined]) {
        try {
          new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs });
        } catch (error) {
          if (isNotImplemented(error)) throw error;
          assert.fail(
            `new Pool({ acquireTimeoutMs: ${acquireTimeoutMs} }) is valid; yours threw ${error}`,
          );
        }
      }
    }),
  );

  it(
    "Pool.size stops counting a connection when its destroy() is called",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
      assert.equal(pool.size, 2, `two leased connections: size should be 2; yours is ${pool.size}`);
      await a.release();
      await b.release();
      assert.equal(
        pool.idleCount,
        2,
        `both released: idleCount should be 2; yours is ${pool.idleCount}`,
      );
      const drained = pool.drain();
      await sleep(1); // the two destroy() calls take 10 ms
      assert.equal(
        pool.size,
        0,
        `destroy() was called for both: size should be 0; yours is ${pool.size}`,
      );
      assert.equal(
        pool.idleCount,
        0,
        `destroyed connections are not idle; idleCount is ${pool.idleCount}`,
      );
      await drained;
    }),
  );

  it(
    "Pool.size counts a connection while validate() checks it, so max holds during the check",
    withClock(async () => {
      const db = fakeDb();
      const validate = async (c: FakeConnection) => {
        await sleep(20);
        return !c.broken;
      };
      const pool = new Pool<FakeConnection>({ ...db.callbacks, validate, max: 1 });
      await (await pool.acquire()).release(); // t=100: one idle connection
      const checked = pool.acquire(); // its check runs until t=120
      const second = pool.acquire(); // must wait: the only slot is taken by the check
      await sleep(10);
      assert.deepEqual(
        [pool.size, pool.idleCount],
        [1, 0],
        `at t=110 the connection is being checked: [size, idleCount] should be [1, 0]; yours is [${pool.size}, ${pool.idleCount}]`,
      );
      const lease = await checked;
      assert.equal(
        db.creates,
        1,
        `with max 1 the check holds the only slot: the second acquire() must wait, not create; yours called create() ${db.creates} times`,
      );
      await lease.release();
      await (await second).release();
      await pool.drain();
    }),
  );
});

describe("task 2: Pool.acquire() reuses or creates", () => {
  it(
    "Pool counts connections being created towards max",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
      const users = Array.from({ length: 10 }, () => pool.use(() => sleep(50)));
      await sleep(1);
      assert.equal(
        db.creates,
        3,
        `10 acquire() calls at t=0 on a pool of 3 should start exactly 3 create() calls; yours started ${db.creates} (reserve the slot before awaiting create())`,
      );
      assert.equal(
        pool.size,
        3,
        `size counts the 3 connections being created; yours is ${pool.size}`,
      );
      await Promise.all(users);
      assert.ok(
        db.maxOpen <= 3,
        `at most 3 connections may ever be open; yours opened ${db.maxOpen}`,
      );
      assert.equal(
        db.creates,
        3,
        `the 7 later callers reuse the 3 connections; yours called create() ${db.creates} times`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool hands out a valid idle connection at once, validated once, without creating a new one",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      await (await pool.acquire()).release();
      const before = clock.now();
      const lease = await pool.acquire();
      assert.equal(
        clock.now(),
        before,
        "an idle connection that passes validate() is handed out without waiting",
      );
      assert.equal(
        db.validations,
        1,
        `an idle connection is validated once before it is handed out again; yours called validate() ${db.validations} times`,
      );
      assert.equal(
        db.creates,
        1,
        `a valid idle connection is reused; yours called create() ${db.creates} times`,
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool tries the next idle connection when one fails validation",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
      await a.release();
      await b.release();
      a.connection.broken = true;
      b.connection.broken = true;
      const lease = await pool.acquire();
      assert.equal(
        lease.connection.id,
        3,
        `both idle connections are broken: a new one (id 3) must be opened; yours handed out ${lease.connection.id}`,
      );
      assert.deepEqual(
        [...db.destroyCalls].sort(),
        [1, 2],
        `both broken connections must be destroyed; destroy() got ${
          JSON.stringify(db.destroyCalls)
        }`,
      );
      assert.equal(
        clock.now(),
        200,
        `one create() (100 ms) after t=100: t=200 expected; yours at t=${clock.now()}`,
      );
      assert.ok(db.maxOpen <= 2, `at most 2 connections may be open; yours opened ${db.maxOpen}`);
      await lease.release();
      const again = await pool.acquire();
      assert.equal(again.connection.id, 3, "the replacement is reused like any connection");
      await again.release();
      await pool.drain();
    }),
  );

  it(
    "Pool replaces a connection whose validate() throws or rejects, as if it returned false",
    withClock(async () => {
      for (const kind of ["throws", "rejects"] as const) {
        const db = fakeDb();
        const validate = (c: FakeConnection) => {
          if (!c.broken) return true;
          if (kind === "throws") throw new Error("ping failed");
          return Promise.reject(new Error("ping failed"));
        };
        const pool = new Pool<FakeConnection>({ ...db.callbacks, validate, max: 1 });
        const first = await pool.acquire();
        await first.release();
        first.connection.broken = true;
        const second = await callAsync(() => pool.acquire(), "pool.acquire()").catch((e) => {
          throw new AssertionError({
            message:
              `a validate() that ${kind} means "not usable": acquire() must open a replacement, not reject; yours rejected with ${e}`,
          });
        });
        assert.equal(
          second.connection.id,
          2,
          `validate() ${kind}: the connection is replaced by a new one (id 2); yours handed out ${second.connection.id}`,
        );
        assert.deepEqual(
          db.destroyCalls,
          [1],
          `validate() ${kind}: the connection must be destroyed; destroy() got ${
            JSON.stringify(db.destroyCalls)
          }`,
        );
        await second.release();
        await pool.drain();
      }
    }),
  );

  it(
    "Pool validates only connections that sat idle, with an async validate() too",
    withClock(async (clock) => {
      const db = fakeDb();
      let checks = 0;
      const validate = async (c: FakeConnection) => {
        checks++;
        await sleep(20);
        return !c.broken;
      };
      const pool = new Pool<FakeConnection>({ ...db.callbacks, validate, max: 1 });
      const lease = await pool.acquire();
      assert.equal(
        checks,
        0,
        `a new connection needs no check; yours called validate() ${checks} times`,
      );
      await lease.release();
      const again = await pool.acquire();
      assert.equal(
        checks,
        1,
        `an idle connection is checked once; yours called validate() ${checks} times`,
      );
      assert.equal(
        clock.now(),
        120,
        `the check takes 20 ms: t=120 expected; yours at t=${clock.now()}`,
      );
      assert.equal(again.connection.id, 1, "the checked connection is handed out");
      await again.release();
      await pool.drain();
    }),
  );

  it(
    "Pool frees the slot of a failed create() for the next waiting caller",
    withClock(async (clock) => {
      const db = fakeDb({ failFirstCreates: 1 });
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const first = pool.acquire();
      const second = pool.acquire();
      await rejectsWith(
        first,
        { message: "connection refused" },
        "the first acquire() when its create() fails",
      );
      const lease = await second;
      assert.equal(
        clock.now(),
        200,
        `the second caller gets a new connection once the freed slot is used: t=200 expected; yours at t=${clock.now()}`,
      );
      assert.equal(pool.size, 1, `one connection exists: size should be 1; yours is ${pool.size}`);
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() rejects when create() throws synchronously, and frees the slot",
    withClock(async () => {
      let calls = 0;
      const error = new TypeError("bad connection string");
      const create = (): Promise<FakeConnection> => {
        if (++calls === 1) throw error;
        return Promise.resolve({ id: calls, broken: false });
      };
      const pool = new Pool<FakeConnection>({ create, destroy: () => {}, max: 1 });
      await rejectsWith(
        callAsync(() => pool.acquire(), "pool.acquire()"),
        { is: error },
        "acquire() when create() throws synchronously",
      );
      assert.equal(
        pool.size,
        0,
        `the slot reserved for the failed create() must be freed: size should be 0; yours is ${pool.size}`,
      );
      const lease = await pool.acquire();
      assert.equal(
        lease.connection.id,
        2,
        "the next acquire() opens a connection in the freed slot",
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() handles a create() that fails after its caller gave up",
    withClock(async () => {
      let calls = 0;
      const create = async (): Promise<FakeConnection> => {
        const n = ++calls;
        await sleep(n === 1 ? 100 : 10); // the first takes 100 ms and fails, the next ones 10 ms
        if (n === 1) throw new Error("connection refused");
        return { id: n, broken: false };
      };
      const pool = new Pool<FakeConnection>({
        create,
        destroy: () => {},
        max: 1,
        acquireTimeoutMs: 50,
      });
      await rejectsWith(
        pool.acquire(),
        { name: "TimeoutError" },
        "acquire() whose create() takes longer than the timeout",
      );
      await sleep(60); // the create() fails at t=100, with nobody left to tell
      assert.equal(
        pool.size,
        0,
        `the failed create() frees its slot even with nobody waiting; size should be 0, yours is ${pool.size}`,
      );
      const lease = await pool.acquire();
      assert.equal(
        lease.connection.id,
        2,
        "the next acquire() opens a connection in the freed slot",
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool lease released twice, by release() and by disposal, gives the connection back once",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const lease = await pool.acquire();
      await lease.release();
      await lease[Symbol.asyncDispose]();
      await lease.release();
      assert.equal(
        pool.idleCount,
        1,
        `release() then dispose then release() gives the connection back once; yours made idleCount ${pool.idleCount}`,
      );
      const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
      assert.notEqual(
        a.connection.id,
        b.connection.id,
        "two leases must never share one connection",
      );
      await a.release();
      await b.release();
      await pool.drain();
    }),
  );
});

describe("task 3: waiting in line", () => {
  it(
    "Pool.acquire() wakes five waiters in the order they called it",
    withClock(BUDGET, async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const held = await Promise.all([pool.acquire(), pool.acquire()]);
      const order: number[] = [];
      const waiters = [4, 2, 5, 1, 3].map(async (n) => {
        const lease = await pool.acquire();
        order.push(n);
        await sleep(10);
        await lease.release();
      });
      await sleep(5);
      assert.equal(
        pool.waiting,
        5,
        `five callers wait; waiting should be 5, yours is ${pool.waiting}`,
      );
      for (const lease of held) await lease.release();
      await Promise.all(waiters);
      assert.deepEqual(
        order,
        [4, 2, 5, 1, 3],
        `waiters must get connections in the order they called acquire() (4, 2, 5, 1, 3); yours: ${order}`,
      );
      assert.equal(
        db.creates,
        2,
        `the waiters reuse the 2 connections; yours called create() ${db.creates} times`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() does not let a newcomer take a released connection from a waiter",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const order: string[] = [];
      const waiter = pool.acquire().then((lease) => {
        order.push("waiter");
        return lease;
      });
      await sleep(1);
      void holder.release();
      const newcomer = pool.acquire().then((lease) => {
        order.push("newcomer");
        return lease;
      });
      await (await waiter).release();
      await (await newcomer).release();
      assert.deepEqual(
        order,
        ["waiter", "newcomer"],
        `no barging: the newcomer queues behind the waiter; your order: ${order}`,
      );
      assert.equal(
        db.creates,
        1,
        `one connection serves both in turn; yours called create() ${db.creates} times`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() that timed out does not swallow the next connection",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 150 });
      const holder = await pool.acquire();
      await rejectsWith(
        pool.acquire(),
        { name: "TimeoutError" },
        "acquire() while the only connection is leased",
      );
      assert.equal(
        clock.now(),
        250,
        `acquire() at t=100 with acquireTimeoutMs 150 gives up at t=250; yours at t=${clock.now()}`,
      );
      await sleep(50);
      await holder.release();
      assert.equal(
        pool.idleCount,
        1,
        "the connection released at t=300 must go back to the pool, not to the caller that gave up",
      );
      const lease = await pool.acquire();
      assert.equal(
        clock.now(),
        300,
        `the next acquire() gets the idle connection at once (t=300); yours at t=${clock.now()}`,
      );
      assert.equal(
        db.creates,
        1,
        `no new connection was needed; yours called create() ${db.creates} times`,
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() after a timeout passes the connection to the next live waiter",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 150 });
      const holder = await pool.acquire();
      const early = pool.acquire();
      await sleep(50);
      const late = pool.acquire();
      await rejectsWith(early, { name: "TimeoutError" }, "the acquire() queued at t=100");
      await sleep(20);
      await holder.release();
      const lease = await late;
      assert.equal(
        clock.now(),
        270,
        `released at t=270: the waiter queued at t=150 gets it at once; yours at t=${clock.now()}`,
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() counts the time create() takes towards acquireTimeoutMs, and keeps the late connection",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 50 });
      await rejectsWith(
        pool.acquire(),
        { name: "TimeoutError" },
        "acquire() whose create() takes 100 ms, with a 50 ms timeout",
      );
      assert.equal(
        clock.now(),
        50,
        `the timeout runs from the acquire() call: t=50 expected; yours at t=${clock.now()}`,
      );
      await sleep(60);
      assert.equal(
        pool.idleCount,
        1,
        `the connection that arrived at t=100 goes idle for the next caller; idleCount is ${pool.idleCount}`,
      );
      assert.equal(pool.size, 1, `it still counts: size should be 1; yours is ${pool.size}`);
      const lease = await pool.acquire();
      assert.equal(
        db.creates,
        1,
        `the next caller reuses it; yours called create() ${db.creates} times`,
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() clears its timeout when it gets a connection",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 5000 });
      const holder = await pool.acquire();
      assert.equal(
        clock.pending().length,
        0,
        "once acquire() got its new connection, its 5000 ms timeout must be cleared",
      );
      const waiting = pool.acquire();
      await sleep(10);
      await holder.release();
      const lease = await waiting;
      assert.deepEqual(
        clock.pending().map((t) => t.delay),
        [],
        "once the waiter got the released connection, its 5000 ms timeout must be cleared",
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() with acquireTimeoutMs 0 takes an idle connection and times out at once otherwise",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 0 });
      await rejectsWith(
        pool.acquire(),
        { name: "TimeoutError" },
        "acquire() with acquireTimeoutMs 0 on an empty pool",
      );
      assert.equal(
        clock.now(),
        0,
        `nothing is free and the timeout is 0: reject at t=0; yours at t=${clock.now()}`,
      );
      await sleep(110); // the create() started for it ends at t=100: the connection goes idle
      const lease = await pool.acquire();
      assert.equal(
        lease.connection.id,
        1,
        "an idle connection needs no waiting, so timeout 0 still gets it",
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() with acquireTimeoutMs Infinity waits as long as it takes",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({
        ...db.callbacks,
        max: 1,
        acquireTimeoutMs: Infinity,
      });
      const holder = await pool.acquire();
      setTimeout(() => void holder.release(), 10_000);
      const outcomeOf = outcome(pool.acquire().then((lease) => lease.release()));
      assert.equal(
        await outcomeOf,
        "resolved",
        "acquireTimeoutMs Infinity means no limit: the waiter must get the connection",
      );
      assert.equal(
        clock.now(),
        10_100,
        `the waiter gets the connection when it is released (t=10100); yours settled at t=${clock.now()}`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() with an already aborted signal rejects at once and takes nothing",
    withClock(async (clock) => {
      const db = fakeDb();
      let checks = 0;
      const validate = async (c: FakeConnection) => (checks++, await sleep(20), !c.broken);
      const pool = new Pool<FakeConnection>({ ...db.callbacks, validate, max: 1 });
      const reason = new Error("already cancelled");
      await rejectsWith(
        callAsync(
          () => pool.acquire({ signal: AbortSignal.abort(reason) }),
          "pool.acquire({ signal })",
        ),
        { is: reason },
        "acquire() with a pre-aborted signal on an empty pool",
      );
      assert.equal(clock.now(), 0, "it rejects at once");
      assert.equal(
        db.creates,
        0,
        `a pre-aborted acquire() must not open a connection; yours called create() ${db.creates} times`,
      );
      await (await pool.acquire()).release();
      const before = clock.now();
      await rejectsWith(
        callAsync(
          () => pool.acquire({ signal: AbortSignal.abort(reason) }),
          "pool.acquire({ signal })",
        ),
        { is: reason },
        "acquire() with a pre-aborted signal and an idle connection",
      );
      assert.equal(
        clock.now() - before,
        0,
        `a pre-aborted acquire() rejects at once, without checking the idle connection (validate() takes 20 ms); yours took ${
          clock.now() - before
        } ms`,
      );
      assert.equal(
        checks,
        0,
        `a pre-aborted acquire() must not call validate(); yours called it ${checks} time(s)`,
      );
      assert.equal(
        pool.idleCount,
        1,
        `a pre-aborted acquire() must not take the idle connection; idleCount is ${pool.idleCount}`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() aborted while waiting rejects with the exact reason at the moment of the abort",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const controller = new AbortController();
      const reason = new Error("request cancelled");
      const waiting = pool.acquire({ signal: controller.signal });
      setTimeout(() => controller.abort(reason), 30);
      await rejectsWith(waiting, { is: reason }, "acquire() aborted with a custom reason");
      assert.equal(
        clock.now(),
        130,
        `it rejects when the signal aborts (t=130); yours at t=${clock.now()}`,
      );
      assert.equal(pool.waiting, 0, `and leaves the line; waiting is ${pool.waiting}`);
      await holder.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() aborted after the hand-over gives the connection back when nobody else waits",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const controller = new AbortController();
      const reason = new Error("too late");
      const waiting = pool.acquire({ signal: controller.signal });
      await sleep(10);
      void holder.release();
      controller.abort(reason);
      await rejectsWith(
        waiting,
        { is: reason },
        "acquire({ signal }) aborted after the hand-over, before it resumed",
      );
      assert.equal(
        pool.idleCount,
        1,
        `nobody else waits: the connection goes back to the idle ones; idleCount is ${pool.idleCount}`,
      );
      assert.equal(
        pool.size,
        1,
        `the connection is kept, not lost: size should be 1; yours is ${pool.size}`,
      );
      const lease = await pool.acquire();
      assert.equal(
        db.creates,
        1,
        `the next caller reuses it; yours called create() ${db.creates} times`,
      );
      await lease.release();
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() aborted while an idle connection is being validated puts it back",
    withClock(async () => {
      const db = fakeDb();
      const validate = async (c: FakeConnection) => (await sleep(20), !c.broken);
      const pool = new Pool<FakeConnection>({ ...db.callbacks, validate, max: 1 });
      await (await pool.acquire()).release();
      const controller = new AbortController();
      const reason = new Error("gave up");
      const waiting = pool.acquire({ signal: controller.signal });
      await sleep(10);
      controller.abort(reason);
      await rejectsWith(
        waiting,
        { is: reason },
        "acquire({ signal }) aborted while its connection was being validated",
      );
      await sleep(20); // validation is over in any case
      assert.equal(
        pool.idleCount,
        1,
        `the valid connection goes back to the idle ones; idleCount is ${pool.idleCount}`,
      );
      assert.deepEqual(
        db.destroyCalls,
        [],
        `a valid connection must not be destroyed; destroy() got ${
          JSON.stringify(db.destroyCalls)
        }`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() removes its abort listener on every path",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 500 });
      const got = countingController();
      const first = await pool.acquire({ signal: got.controller.signal }); // served by a create()
      assert.equal(
        got.active(),
        0,
        `acquire() got a new connection: its abort listener must be removed; ${got.active()} left`,
      );
      const waited = countingController();
      const waiting = pool.acquire({ signal: waited.controller.signal });
      await sleep(10);
      await first.release();
      const second = await waiting;
      assert.equal(
        waited.active(),
        0,
        `acquire() got a released connection: its abort listener must be removed; ${waited.active()} left`,
      );
      const timedOut = countingController();
      await rejectsWith(pool.acquire({ signal: timedOut.controller.signal }), {
        name: "TimeoutError",
      }, "acquire() that times out");
      assert.equal(
        timedOut.active(),
        0,
        `acquire() timed out: its abort listener must be removed; ${timedOut.active()} left`,
      );
      const drained = countingController();
      const failing = pool.acquire({ signal: drained.controller.signal });
      await sleep(10);
      const done = pool.drain();
      await rejectsWith(
        failing,
        { name: "InvalidStateError" },
        "acquire() waiting when drain() is called",
      );
      assert.equal(
        drained.active(),
        0,
        `acquire() failed by drain(): its abort listener must be removed; ${drained.active()} left`,
      );
      await second.release();
      await done;
    }),
  );

  it(
    "Pool.acquire() that resolved is not affected by a later abort",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const controller = new AbortController();
      const lease = await pool.acquire({ signal: controller.signal });
      controller.abort(new Error("after the fact"));
      await sleep(10);
      assert.equal(
        pool.idleCount,
        0,
        `the lease still holds the connection after the abort; idleCount is ${pool.idleCount}`,
      );
      assert.equal(pool.size, 1, `size should be 1; yours is ${pool.size}`);
      await lease.release();
      assert.equal(pool.idleCount, 1, "released normally afterwards");
      await pool.drain();
    }),
  );

  it(
    "Pool.acquire() waits without polling",
    withClock({ maxTimers: 50 }, async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1, acquireTimeoutMs: 60_000 });
      const holder = await pool.acquire();
      const waiters = Array.from({ length: 5 }, () => pool.acquire().then((l) => l.release()));
      await sleep(30_000);
      await holder.release();
      await Promise.all(waiters);
      assert.ok(
        clock.trace.length <= 10,
        `waiting 30 s needs no timer of its own firing; yours fired ${clock.trace.length} timers (polling?)`,
      );
      await pool.drain();
    }),
  );
});

describe("task 4: Pool.use()", () => {
  it(
    "Pool.use() releases on a synchronous throw and on a rejection",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const error = new Error("deadlock detected");
      await rejectsWith(
        callAsync(() =>
          pool.use(() => {
            throw error;
          }), "pool.use(fn)"),
        { is: error },
        "use() of a function that throws synchronously",
      );
      assert.equal(
        pool.idleCount,
        1,
        `after a synchronous throw the connection is back; idleCount is ${pool.idleCount}`,
      );
      await rejectsWith(
        pool.use(async () => {
          await sleep(5);
          throw error;
        }),
        { is: error },
        "use() of a function that rejects later",
      );
      assert.equal(
        pool.idleCount,
        1,
        `after a rejection the connection is back; idleCount is ${pool.idleCount}`,
      );
      assert.equal(
        db.creates,
        1,
        `one connection served all; yours called create() ${db.creates} times`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.use() holds the connection until fn's promise settles",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const slow = pool.use(async (conn) => {
        await sleep(200);
        return conn.id;
      });
      await sleep(150);
      assert.equal(
        pool.idleCount,
        0,
        "fn is still running at t=150: the connection must still be leased",
      );
      const other = pool.use((conn) => `${conn.id}@${clock.now()}`);
      assert.equal(await slow, 1, "use() resolves with what fn resolved");
      assert.equal(
        await other,
        "1@300",
        `the next use() gets the connection when fn settled at t=300; yours: ${await other}`,
      );
      await pool.drain();
    }),
  );

  it(
    "Pool.use() with an aborted signal never calls fn, and an abort while fn runs does not cut it off",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const reason = new Error("cancelled before");
      let calls = 0;
      await rejectsWith(
        callAsync(
          () => pool.use(() => calls++, { signal: AbortSignal.abort(reason) }),
          "pool.use(fn, { signal })",
        ),
        { is: reason },
        "use(fn, { signal: aborted })",
      );
      assert.equal(
        calls,
        0,
        `fn must not run when the signal is already aborted; yours called it ${calls} time(s)`,
      );
      const controller = new AbortController();
      const value = await pool.use(async () => {
        controller.abort(new Error("too late to cancel"));
        await sleep(50);
        return "finished";
      }, { signal: controller.signal });
      assert.equal(
        value,
        "finished",
        `the signal bounds only the wait: once fn runs, use() resolves with its value; yours gave ${value}`,
      );
      assert.equal(
        pool.idleCount,
        1,
        `the connection is back afterwards; idleCount is ${pool.idleCount}`,
      );
      await pool.drain();
    }),
  );
});

describe("task 5: Pool.drain()", () => {
  it(
    "Pool.drain() destroys idle connections at once and leased ones as they come back",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 3 });
      const [a, b, c] = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
      await a.release();
      setTimeout(() => void b.release(), 100);
      setTimeout(() => void c.release(), 300);
      const drained = pool.drain();
      await sleep(20);
      assert.deepEqual(
        db.destroyed,
        [a.connection.id],
        `the idle connection is destroyed as soon as drain() is called (done by t=110); destroyed: ${
          JSON.stringify(db.destroyed)
        }`,
      );
      await drained;
      assert.equal(
        clock.now(),
        410,
        `drain() resolves after the last lease came back (t=400) and was destroyed (10 ms); yours at t=${clock.now()}`,
      );
      assert.equal(db.open, 0, `every connection is destroyed; ${db.open} still open`);
      assert.equal(pool.size, 0, `the pool is empty: size should be 0; yours is ${pool.size}`);
    }),
  );

  it(
    "Pool.drain() resolves when a create() still in flight fails",
    withClock(async (clock) => {
      const db = fakeDb({ failFirstCreates: 1 });
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const waiting = pool.acquire().catch((e) => e); // its create() fails at t=100
      await sleep(10);
      const drained = pool.drain();
      await drained;
      assert.equal(
        clock.now(),
        100,
        `the only create() in flight failed at t=100: nothing is left to destroy, so drain() resolves then; yours at t=${clock.now()}`,
      );
      assert.ok(
        (await waiting) instanceof Error,
        "the acquire() whose connection was being created rejects (drain()'s InvalidStateError or create()'s error)",
      );
    }),
  );

  it(
    "Pool.acquire() rejects with InvalidStateError when drain() is called while it validates an idle connection",
    withClock(async () => {
      for (const broken of [false, true]) {
        const db = fakeDb();
        const validate = async (c: FakeConnection) => {
          await sleep(20);
          return !c.broken;
        };
        const pool = new Pool<FakeConnection>({ ...db.callbacks, validate, max: 1 });
        const first = await pool.acquire();
        first.connection.broken = broken;
        await first.release();
        const checking = pool.acquire(); // no signal; its check runs for 20 ms
        await sleep(10);
        const drained = pool.drain();
        await rejectsWith(
          checking,
          { name: "InvalidStateError" },
          `acquire() whose idle connection (${
            broken ? "broken" : "valid"
          }) was being validated when drain() was called`,
        );
        await drained;
        assert.equal(
          db.creates,
          1,
          `the pool was draining: no new connection may be opened; yours called create() ${db.creates} times`,
        );
        assert.equal(db.open, 0, `every connection is destroyed; ${db.open} still open`);
      }
    }),
  );

  it(
    "Pool.drain() of idle connections resolves when their destroy() calls have finished",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
      await a.release();
      await b.release();
      await pool.drain();
      assert.equal(
        clock.now(),
        110,
        `both idle connections are destroyed at t=100 and their destroy() takes 10 ms: drain() should resolve at t=110; yours at t=${clock.now()}`,
      );
      assert.deepEqual(
        [...db.destroyed].sort(),
        [1, 2],
        `both connections are destroyed by then; destroyed: ${JSON.stringify(db.destroyed)}`,
      );
    }),
  );

  it(
    "Pool.drain() destroys a connection that was still being created",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const waiting = pool.acquire();
      const failed = rejectsWith(
        waiting,
        { name: "InvalidStateError" },
        "an acquire() waiting for a new connection when drain() is called",
      );
      await sleep(50);
      await pool.drain();
      await failed;
      assert.equal(
        clock.now(),
        110,
        `drain() at t=50 waits for the create() in flight (t=100) and its destroy (t=110); yours resolved at t=${clock.now()}`,
      );
      assert.equal(db.open, 0, "the connection created during drain() is destroyed, not leaked");
    }),
  );

  it(
    "Pool.drain() called twice waits for the same shutdown and destroys each connection once",
    withClock(async (clock) => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 2 });
      const [a, b] = await Promise.all([pool.acquire(), pool.acquire()]);
      await a.release();
      setTimeout(() => void b.release(), 50);
      const ends: number[] = [];
      await Promise.all([
        pool.drain().then(() => ends.push(clock.now())),
        pool.drain().then(() => ends.push(clock.now())),
      ]);
      assert.deepEqual(
        ends,
        [160, 160],
        `both drain() calls resolve when the last destroy ends (t=160); yours at ${ends}`,
      );
      assert.deepEqual(
        [...db.destroyCalls].sort(),
        [1, 2],
        `each connection is destroyed once; destroy() got ${JSON.stringify(db.destroyCalls)}`,
      );
      await b.release();
      assert.deepEqual(
        [...db.destroyCalls].sort(),
        [1, 2],
        "a second release() after drain() destroys nothing again",
      );
    }),
  );

  it(
    "Pool.drain() ignores a destroy() that fails and resolves at once on an empty pool",
    withClock(async (clock) => {
      for (const kind of ["rejects", "throws"] as const) {
        let calls = 0;
        const destroy = (): Promise<void> => {
          calls++;
          if (kind === "throws") throw new Error("socket already closed");
          return Promise.reject(new Error("socket already closed"));
        };
        const pool = new Pool<FakeConnection>({
          create: () => Promise.resolve({ id: 1, broken: false }),
          destroy,
          max: 1,
        });
        await (await pool.acquire()).release();
        const result = await outcome(callAsync(() => pool.drain(), "pool.drain()"));
        assert.equal(
          result,
          "resolved",
          `drain() with a destroy() that ${kind}: the connection is gone either way, drain() must resolve; yours ${result}`,
        );
        assert.equal(calls, 1, `destroy() is called once; yours called it ${calls} times`);
      }
      const empty = new Pool<FakeConnection>({ ...fakeDb().callbacks, max: 1 });
      const before = clock.now();
      await empty.drain();
      assert.equal(clock.now(), before, "drain() of a pool with no connection resolves at once");
    }),
  );

  it(
    "Pool.use() after drain() rejects with InvalidStateError and never calls fn",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      await pool.drain();
      let calls = 0;
      await rejectsWith(callAsync(() => pool.use(() => calls++), "pool.use(fn)"), {
        name: "InvalidStateError",
      }, "use() after drain()");
      assert.equal(calls, 0, `fn must not run on a drained pool; yours called it ${calls} time(s)`);
      assert.equal(
        db.creates,
        0,
        `a drained pool opens nothing; yours called create() ${db.creates} times`,
      );
    }),
  );

  it(
    "Pool.drain() destroys a connection whose waiter aborted after the hand-over",
    withClock(async () => {
      const db = fakeDb();
      const pool = new Pool<FakeConnection>({ ...db.callbacks, max: 1 });
      const holder = await pool.acquire();
      const controller = new AbortController();
      const reason = new Error("too late");
      const waiting = pool.acquire({ signal: controller.signal });
      await sleep(10);
      void holder.release();
      controller.abort(reason);
      const drained = pool.drain();
      const got = await outcome(waiting);
      if (got === "resolved") await (await waiting).release();
      await drained;
      assert.equal(
        db.open,
        0,
        `drain() must destroy the connection whatever the aborted waiter did; ${db.open} still open`,
      );
      assert.deepEqual(
        db.destroyCalls,
        [1],
        `destroyed once; destroy() got ${JSON.stringify(db.destroyCalls)}`,
      );
    }),
  );
});
