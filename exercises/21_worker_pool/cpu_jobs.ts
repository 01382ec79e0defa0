// GIVEN: the jobs the tests and the benchmark run, on the pool or on the main thread; you do not edit it
/**
 * Jobs for the worker pool. Three kinds, on purpose:
 *
 * - **CPU-bound**: `countPrimes(limit)` does a fixed amount of arithmetic; `spin(ms)` keeps the
 *   CPU busy for `ms` of wall-clock time. On the main thread they freeze the event loop; in a
 *   Worker they use another core (when one is free).
 * - **Blocking I/O**: `echoAfter(ms, value)` blocks its thread without using the CPU
 *   (`Atomics.wait`), like a synchronous driver waiting for the disk.
 * - **Async I/O**: `sleepThen(ms, value)` waits on a timer: the thread's event loop stays free.
 *
 * A few jobs report through shared memory (`SharedArrayBuffer` + `Atomics`), which every thread
 * sees at once: how many run now, whether a thread is still alive, when to go on. This module
 * imports nothing, so a Worker starts quickly.
 *
 * @module
 */

/** Blocks the thread for `ms` without using the CPU. */
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * `a ** b`.
 *
 * @example
 * ```ts
 * import { pow } from "./cpu_jobs.ts";
 * pow(2, 8); // 256
 * ```
 */
export function pow(a: number, b: number): number {
  return a ** b;
}

/**
 * `a + b`.
 *
 * @example
 * ```ts
 * import { add } from "./cpu_jobs.ts";
 * add(2, 3); // 5
 * ```
 */
export function add(a: number, b: number): number {
  return a + b;
}

/**
 * The absolute value of `x`.
 *
 * @example
 * ```ts
 * import { abs } from "./cpu_jobs.ts";
 * abs(-5); // 5
 * ```
 */
export function abs(x: number): number {
  return Math.abs(x);
}

/**
 * Python's `divmod(a, b)`: `[Math.floor(a / b), a mod b]`; throws an Error named
 * "ZeroDivisionError" when `b` is 0.
 *
 * @example
 * ```ts
 * import { divmod } from "./cpu_jobs.ts";
 * divmod(7, 2); // [3, 1]
 * ```
 */
export function divmod(a: number, b: number): [number, number] {
  if (b === 0) {
    const error = new Error("integer division or modulo by zero");
    error.name = "ZeroDivisionError";
    throw error;
  }
  const q = Math.floor(a / b);
  return [q, a - q * b];
}

/**
 * CPU-bound: counts the primes below `limit` by trial division. The same `limit` is always the
 * same amount of work (about 25 ms for 100 000 on a laptop core).
 *
 * @example
 * ```ts
 * import { countPrimes } from "./cpu_jobs.ts";
 * countPrimes(100); // 25
 * ```
 */
export function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/**
 * CPU-bound: keeps the CPU busy for `ms` of wall-clock time and returns how many loop turns it
 * managed (fewer when other work shares the core).
 *
 * @example
 * ```ts
 * import { spin } from "./cpu_jobs.ts";
 * spin(5) > 0; // true
 * ```
 */
export function spin(ms: number): number {
  const end = performance.now() + ms;
  let turns = 0;
  while (performance.now() < end) turns++;
  return turns;
}

/**
 * Blocking I/O: blocks the thread for `ms` without using the CPU, then returns `value`.
 *
 * @example
 * ```ts
 * import { echoAfter } from "./cpu_jobs.ts";
 * echoAfter(5, "hi"); // "hi"
 * ```
 */
export function echoAfter<T>(ms: number, value: T): T {
  block(ms);
  return value;
}

/**
 * Async I/O: waits `ms` on the thread's timers (its event loop stays free), then returns `value`.
 *
 * @example
 * ```ts
 * import { sleepThen } from "./cpu_jobs.ts";
 * await sleepThen(5, "hi"); // "hi"
 * ```
 */
export async function sleepThen<T>(ms: number, value: T): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return value;
}

/**
 * Counts concurrent jobs across threads: `counters[0]` is how many run now, `counters[1]` the
 * most that ever ran at once, `counters[2]` how many finished. Keeps the CPU busy for `ms` in
 * between. Returns how many ran at once when it started.
 *
 * @example
 * ```ts
 * import { occupy } from "./cpu_jobs.ts";
 * const counters = new Int32Array(new SharedArrayBuffer(12));
 * occupy(counters, 1); // 1
 * ```
 */
export function occupy(counters: Int32Array, ms: number): number {
  const now = Atomics.add(counters, 0, 1) + 1;
  for (let max = Atomics.load(counters, 1); now > max; max = Atomics.load(counters, 1)) {
    if (Atomics.compareExchange(counters, 1, max, now) === max) break;
  }
  spin(ms);
  Atomics.sub(counters, 0, 1);
  Atomics.add(counters, 2, 1);
  return now;
}

/**
 * A rendezvous: adds 1 to `counter[0]`, then blocks until `n` jobs have arrived, and returns how
 * many arrived. Throws after `capMs` if fewer than `n` jobs ever run at the same time, so it
 * succeeds only when `n` jobs really run at once, each on its own thread.
 *
 * @example
 * ```ts
 * import { meet } from "./cpu_jobs.ts";
 * meet(new Int32Array(new SharedArrayBuffer(4)), 1, 100); // 1
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
 * Blocks until the main thread opens gate `index` (sets `gates[index]` to non-zero and calls
 * `Atomics.notify`), then returns `value`. Throws after `capMs` with the gate still shut. The
 * test decides the order in which jobs finish, whatever the machine's speed.
 *
 * @example
 * ```ts
 * import { awaitGate } from "./cpu_jobs.ts";
 * const gates = new Int32Array(new SharedArrayBuffer(4));
 * gates[0] = 1;
 * awaitGate(gates, 0, "open", 100); // "open"
 * ```
 */
export function awaitGate<T>(gates: Int32Array, index: number, value: T, capMs: number): T {
  const deadline = Date.now() + capMs;
  while (Atomics.load(gates, index) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`gate ${index} stayed shut for ${capMs} ms`);
    Atomics.wait(gates, index, 0, left);
  }
  return value;
}

/**
 * Counts up in `counter[0]` for `steps` steps: each step keeps the CPU busy for `ms`, adds 1 and
 * yields to the thread's event loop. A counter that stops growing proves the thread was
 * terminated. (Deno stops a terminated Worker at its next event-loop turn, so the step under way
 * may still finish; Bun stops it at once.)
 *
 * @example
 * ```ts
 * import { countUp } from "./cpu_jobs.ts";
 * await countUp(new Int32Array(new SharedArrayBuffer(4)), 3, 1); // 3
 * ```
 */
export async function countUp(counter: Int32Array, steps: number, ms: number): Promise<number> {
  for (let i = 0; i < steps; i++) {
    spin(ms);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return Atomics.load(counter, 0);
}

/**
 * Blocks until the main thread has beaten `wanted` times (it increments `beats[0]` and calls
 * `Atomics.notify`), and returns the count seen. Throws after `capMs` without enough beats: the
 * main thread was not running, so whoever called this blocked it.
 *
 * @example
 * ```ts
 * import { waitForHeartbeats } from "./cpu_jobs.ts";
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
        `the main thread beat ${seen} of ${wanted} times in ${capMs} ms: its event loop was blocked`,
      );
    }
    Atomics.wait(beats, 0, seen, left);
  }
}

/**
 * Crashes the thread: schedules an error that nothing catches (the Worker's "error" event) and
 * returns a promise that never settles, so no reply ever comes.
 *
 * @example
 * ```ts
 * import { crashLater } from "./cpu_jobs.ts";
 * crashLater("out of memory"); // the thread dies a moment later
 * ```
 */
export function crashLater(message: string): Promise<never> {
  setTimeout(() => {
    throw new Error(message);
  }, 0);
  return new Promise<never>(() => {});
}

/**
 * Returns `value` at once, and crashes its thread later, while it is idle: once the main thread
 * opens gate `index` (sets `gates[index]` to non-zero), an error that nothing catches ends it (the
 * Worker's "error" event, with no job running).
 *
 * @example
 * ```ts
 * import { crashWhenOpened } from "./cpu_jobs.ts";
 * const gates = new Int32Array(new SharedArrayBuffer(4));
 * crashWhenOpened(gates, 0, "lost the GPU", "done"); // "done"; the thread dies once gates[0] is 1
 * ```
 */
export function crashWhenOpened<T>(
  gates: Int32Array,
  index: number,
  message: string,
  value: T,
): T {
  const poll = setInterval(() => {
    if (Atomics.load(gates, index) === 0) return;
    clearInterval(poll);
    throw new Error(message);
  }, 1);
  return value;
}

/**
 * Returns its arguments, as the thread received them.
 *
 * @example
 * ```ts
 * import { echoArgs } from "./cpu_jobs.ts";
 * echoArgs("test", { something: true }); // ["test", { something: true }]
 * ```
 */
export function echoArgs(...args: unknown[]): unknown[] {
  return args;
}

/**
 * Throws an Error with the given name and message.
 *
 * @example
 * ```ts
 * import { fail } from "./cpu_jobs.ts";
 * try { fail("RangeError", "too big"); } catch (e) { (e as Error).name; } // "RangeError"
 * ```
 */
export function fail(name: string, message: string): never {
  const error = new Error(message);
  error.name = name;
  throw error;
}

/**
 * Returns a function, which cannot be copied to another thread.
 *
 * @example
 * ```ts
 * import { makeCallback } from "./cpu_jobs.ts";
 * typeof makeCallback(); // "function"
 * ```
 */
export function makeCallback(): () => number {
  return () => 42;
}

/**
 * Takes the next number from `counter[0]` (1, 2, 3, ...) and returns it: tells the order of calls
 * on every thread. The call that takes number `failAt` throws an Error named "TicketError" instead.
 *
 * @example
 * ```ts
 * import { ticket } from "./cpu_jobs.ts";
 * const counter = new Int32Array(new SharedArrayBuffer(4));
 * ticket(counter); // 1
 * ticket(counter); // 2
 * ```
 */
export function ticket(counter: Int32Array, failAt = 0): number {
  const n = Atomics.add(counter, 0, 1) + 1;
  if (n === failAt) {
    const error = new Error(`ticket ${n} failed`);
    error.name = "TicketError";
    throw error;
  }
  return n;
}
