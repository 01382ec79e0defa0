// GIVEN: the blocking jobs the tests run in Worker threads; you do not edit it
/**
 * Blocking jobs for the thread bridge: the functions the tests run inside Worker threads.
 *
 * Every function here is synchronous and blocks its thread for real time (through the kit's
 * `blockFor` and `BlockingDb`), like a call into a synchronous database driver or a CPU-heavy
 * library would. Called on the main thread, each one freezes every timer and promise until it
 * returns; called through `toThread()`, the main thread stays free. A few jobs also report
 * through shared memory (`SharedArrayBuffer` + `Atomics`), which both threads see at once: that is
 * how the tests tell whether a thread is still alive, or how many run at the same time.
 *
 * It imports the blocking driver from its own module rather than from `lib/mod.ts` so that each
 * Worker starts quickly (the kit's entry point would load the whole virtual clock into every
 * thread).
 *
 * @module
 */
import { blockFor, BlockingDb, DbError, type Row } from "../../lib/kit/blocking_driver.ts";

/**
 * Adds two numbers (after blocking for `ms`, default 0).
 *
 * @example
 * ```ts
 * import { add } from "./jobs.ts";
 * add(2, 3); // 5
 * ```
 */
export function add(a: number, b: number, ms = 0): number {
  blockFor(ms);
  return a + b;
}

/**
 * Runs a query on the fake blocking database: `SELECT 1`, `SELECT * FROM users`, `SLEEP <ms>`;
 * anything else throws a DbError with `code` and `sql`.
 *
 * @example
 * ```ts
 * import { query } from "./jobs.ts";
 * query("SELECT * FROM users", 1).length; // 2
 * ```
 */
export function query(sql: string, latencyMs = 10): Row[] {
  return new BlockingDb({ latencyMs }).query(sql);
}

/**
 * Blocks for `ms`, then returns `value` unchanged (after a trip through structured clone).
 *
 * @example
 * ```ts
 * import { echoAfter } from "./jobs.ts";
 * echoAfter(5, { id: 1 }); // { id: 1 }
 * ```
 */
export function echoAfter<T>(ms: number, value: T): T {
  blockFor(ms);
  return value;
}

/**
 * Blocks until the main thread has beaten `wanted` times (it increments `beats[0]` and calls
 * `Atomics.notify`), and returns the count seen. Throws after `capMs` without enough beats: the
 * main thread was not running, so whoever called this blocked it.
 *
 * @example
 * ```ts
 * import { waitForHeartbeats } from "./jobs.ts";
 * const beats = new Int32Array(new SharedArrayBuffer(4));
 * beats[0] = 3;
 * waitForHeartbeats(beats, 3, 100); // 3
 * ```
 */
export function waitForHeartbeats(beats: Int32Array, wanted: number, capMs: number): number {
  const deadline = Date.now() + capMs;
  for (;;) {
    const seen = Atomics.load(beats, 0);
    if (seen >= wanted) return seen;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new Error(
        `the main thread beat ${seen} of ${wanted} times in ${capMs} ms: its event loop was blocked ` +
          `while this job ran, so the job did not run in a Worker`,
      );
    }
    Atomics.wait(beats, 0, seen, left); // sleeps until a beat (notify) or the deadline
  }
}

/**
 * Counts up in `counter[0]` for `steps` steps: each step blocks for `ms`, adds 1 and then yields
 * to the worker's event loop. A counter that stops growing after an abort proves the thread was
 * terminated. (Deno stops a terminated Worker at its next event-loop turn, so the step under way
 * may still finish; Bun stops it at once.)
 *
 * @example
 * ```ts
 * import { countUp } from "./jobs.ts";
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * await countUp(counter, 3, 1); // 3
 * ```
 */
export async function countUp(counter: Int32Array, steps: number, ms: number): Promise<number> {
  for (let i = 0; i < steps; i++) {
    blockFor(ms);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return Atomics.load(counter, 0);
}

/**
 * Throws `value` itself, whatever it is (not necessarily an Error).
 *
 * @example
 * ```ts
 * import { throwValue } from "./jobs.ts";
 * try { throwValue("boom"); } catch (e) { e; } // "boom"
 * ```
 */
export function throwValue(value: unknown): never {
  throw value;
}

/**
 * Fails to load a user: a TypeError whose `cause` is the DbError underneath.
 *
 * @example
 * ```ts
 * import { loadUser } from "./jobs.ts";
 * try { loadUser(7); } catch (e) { (e as Error).cause; } // a DbError
 * ```
 */
export function loadUser(id: number): never {
  const sql = `SELECT * FROM users WHERE id = ${id}`;
  throw new TypeError(`could not load user ${id}`, {
    cause: new DbError("database is locked", "SQLITE_BUSY", sql),
  });
}

/**
 * An async job: waits `ms` on the worker's own (real) timers, then doubles `n`.
 *
 * @example
 * ```ts
 * import { doubleLater } from "./jobs.ts";
 * await doubleLater(21, 1); // 42
 * ```
 */
export async function doubleLater(n: number, ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return n * 2;
}

/**
 * An async job that fails: waits `ms` on the worker's own (real) timers, then throws a DbError.
 * Its promise rejects; nothing is thrown synchronously.
 *
 * @example
 * ```ts
 * import { queryLater } from "./jobs.ts";
 * await queryLater("SELECT * FROM invoices", 1).catch((e) => e.code); // "SQLITE_ERROR"
 * ```
 */
export async function queryLater(sql: string, ms: number): Promise<never> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  throw new DbError("no such table: invoices", "SQLITE_ERROR", sql);
}

/**
 * Returns a function, which cannot be copied to another thread.
 *
 * @example
 * ```ts
 * import { makeCallback } from "./jobs.ts";
 * typeof makeCallback(); // "function"
 * ```
 */
export function makeCallback(): () => number {
  return () => 42;
}

/**
 * Starts a timer in the worker that adds 1 to `counter[0]` every 2 ms, forever, and returns at
 * once. The counter keeps growing for as long as the thread lives: if it still grows after
 * `toThread()` settled, the Worker was left running.
 *
 * @example
 * ```ts
 * import { tickForever } from "./jobs.ts";
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * tickForever(counter); // "ticking"
 * ```
 */
export function tickForever(counter: Int32Array): string {
  setInterval(() => Atomics.add(counter, 0, 1), 2);
  return "ticking";
}

/**
 * Like {@linkcode tickForever}, then throws a DbError: the thread keeps ticking after the failure
 * unless it is terminated.
 *
 * @example
 * ```ts
 * import { tickThenThrow } from "./jobs.ts";
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * try { tickThenThrow(counter); } catch (e) { (e as Error).name; } // "DbError"
 * ```
 */
export function tickThenThrow(counter: Int32Array): never {
  tickForever(counter);
  throw new DbError("disk I/O error", "SQLITE_IOERR", "VACUUM");
}

/**
 * Crashes the thread: schedules an error that nothing catches (the Worker's "error" event) and
 * returns a promise that never settles, so no reply ever comes.
 *
 * @example
 * ```ts
 * import { crashLater } from "./jobs.ts";
 * crashLater("segfault in the driver"); // the thread dies a moment later
 * ```
 */
export function crashLater(message: string): Promise<never> {
  setTimeout(() => {
    throw new Error(message);
  }, 0);
  return new Promise<never>(() => {});
}

/**
 * A rendezvous: adds 1 to `counter[0]`, then blocks until `n` jobs have arrived, and returns how
 * many arrived. It throws after `capMs` if fewer than `n` jobs ever run at the same time, so it
 * succeeds only when `n` calls really run at once, each on its own thread.
 *
 * @example
 * ```ts
 * import { meet } from "./jobs.ts";
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * meet(counter, 1, 100); // 1
 * ```
 */
export function meet(counter: Int32Array, n: number, capMs: number): number {
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  const deadline = Date.now() + capMs;
  for (;;) {
    const seen = Atomics.load(counter, 0);
    if (seen >= n) return seen;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`only ${seen} of ${n} jobs ever ran at the same time`);
    Atomics.wait(counter, 0, seen, left);
  }
}

/**
 * Adds 1 to `counter[0]` and returns the new count: a call counter both threads can read.
 *
 * @example
 * ```ts
 * import { countCall } from "./jobs.ts";
 * countCall(new Int32Array(new SharedArrayBuffer(4))); // 1
 * ```
 */
export function countCall(counter: Int32Array): number {
  return Atomics.add(counter, 0, 1) + 1;
}

/**
 * Returns its arguments, as the thread received them.
 *
 * @example
 * ```ts
 * import { echoArgs } from "./jobs.ts";
 * echoArgs("test", { something: true }); // ["test", { something: true }]
 * ```
 */
export function echoArgs(...args: unknown[]): unknown[] {
  return args;
}

/**
 * Throws an Error with the given name and message (`fail("InvalidStateError", "test")` is the
 * workbook's RuntimeError).
 *
 * @example
 * ```ts
 * import { fail } from "./jobs.ts";
 * try { fail("InvalidStateError", "test"); } catch (e) { (e as Error).name; } // "InvalidStateError"
 * ```
 */
export function fail(name: string, message: string): never {
  const error = new Error(message);
  error.name = name;
  throw error;
}

/**
 * Adds 1 to `counter[0]` (the main thread can wait for it), then blocks the thread for `ms`
 * without ever yielding: a long synchronous call already under way.
 *
 * @example
 * ```ts
 * import { startThenBlock } from "./jobs.ts";
 * startThenBlock(new Int32Array(new SharedArrayBuffer(4)), 5); // "done"
 * ```
 */
export function startThenBlock(counter: Int32Array, ms: number): string {
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
  blockFor(ms);
  return "done";
}
