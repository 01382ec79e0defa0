/**
 * An asyncio-style Event and the server start-up pattern built on it.
 *
 * An Event is a one-bit broadcast: tasks `await ready.wait()` until someone calls `ready.set()`,
 * and then every one of them runs on. `runServer()` uses one to hold its workers back: they are
 * spawned at once, wait for the "ready" signal, and only start taking jobs once the server's
 * start-up work (opening sockets, warming caches) has finished.
 *
 * @module
 */

/** One waiter: how to wake it, and how to undo its abort listener. */
interface Waiter {
  resolve(value: true): void;
  cleanup(): void;
}

/**
 * A one-bit broadcast flag that tasks can wait for (Python's `asyncio.Event`).
 *
 * Note: this class shadows the DOM's global `Event` inside modules that import it. Import it
 * under another name (`import { Event as AsyncEvent } from "./event.ts"`) if you need both.
 *
 * @example
 * ```ts
 * import { Event } from "./event.ts";
 * const ready = new Event();
 * setTimeout(() => ready.set(), 100);
 * await ready.wait(); // true, at t=100
 * ```
 */
export class Event {
  #flag = false;
  // Waiters of the current "unset" period. set() hands this whole list over and starts a new one,
  // so clear() never has to touch it: whoever was waiting when set() ran has already been woken.
  #waiters: Waiter[] = [];

  /**
   * Sets the flag and wakes every task waiting right now. Idempotent: setting a set event does
   * nothing.
   *
   * @example
   * ```ts
   * import { Event } from "./event.ts";
   * const ev = new Event();
   * ev.set();
   * ev.isSet(); // true
   * ```
   */
  set(): void {
    // Wake every current waiter, not just the first: an Event is a broadcast. The list is
    // detached first so a waiter that runs on and waits again joins a fresh list.
    if (this.#flag) return;
    this.#flag = true;
    const woken = this.#waiters;
    this.#waiters = [];
    for (const waiter of woken) {
      waiter.cleanup();
      waiter.resolve(true);
    }
  }

  /**
   * Resets the flag: tasks that call `wait()` from now on block until the next `set()`. Tasks
   * already woken by an earlier `set()` stay woken, even if they have not run yet.
   *
   * @example
   * ```ts
   * import { Event } from "./event.ts";
   * const ev = new Event();
   * ev.set();
   * ev.clear();
   * ev.isSet(); // false
   * ```
   */
  clear(): void {
    // Only the flag changes. Waiters queued while unset stay queued for the next set().
    this.#flag = false;
  }

  /**
   * Whether the flag is set.
   *
   * @returns True between a `set()` and the next `clear()`.
   *
   * @example
   * ```ts
   * import { Event } from "./event.ts";
   * new Event().isSet(); // false
   * ```
   */
  isSet(): boolean {
    return this.#flag;
  }

  /**
   * Waits until the flag is set. Resolves at once (with `true`, like Python) when it already is.
   *
   * @param opts `signal` aborts this wait only: it rejects with `signal.reason` and leaves every
   *   other waiter in place. A signal that is already aborted rejects at once, even when the event
   *   is set.
   * @returns `true` once the event is set.
   *
   * @example
   * ```ts
   * import { Event } from "./event.ts";
   * const ev = new Event();
   * const controller = new AbortController();
   * const waiting = ev.wait({ signal: controller.signal });
   * controller.abort(); // waiting rejects with an AbortError
   * ```
   */
  wait(opts: { signal?: AbortSignal } = {}): Promise<true> {
    // Check the signal before blocking (a listener added after the abort would never fire),
    // queue a waiter, and on abort remove only that waiter and its listener.
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#flag) return Promise.resolve(true);
    return new Promise<true>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i !== -1) this.#waiters.splice(i, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve,
        cleanup: () => signal?.removeEventListener("abort", onAbort),
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** How `runServer()` runs. */
export interface ServerOptions<J> {
  /** How many workers to spawn (an integer >= 1). */
  workers: number;
  /** The jobs; workers share them and each job is handled once. */
  jobs: Iterable<J>;
  /** The server's start-up work. Workers must not handle anything before it resolves. */
  startup: (signal: AbortSignal) => Promise<void>;
  /** Handles one job on one worker (numbered from 1). */
  handle: (job: J, worker: number, signal: AbortSignal) => Promise<void>;
  /** Stops the server: start-up and jobs see the abort, and `runServer()` rejects with its reason. */
  signal?: AbortSignal;
}

/**
 * Runs a server: spawns `workers` workers that wait for a "ready" Event, runs `startup`, sets the
 * event, and resolves once the workers have handled every job (each job once). If start-up or a
 * job fails (rejects or throws), the other workers are stopped and `runServer()` rejects with that
 * first error once they have all stopped; an outer abort rejects with its reason (at once when
 * the signal is already aborted, before start-up).
 *
 * @param opts Workers, jobs, start-up work, the job handler and an optional signal.
 * @returns Resolves when every job is done. Rejects with RangeError unless `workers` is an
 *   integer >= 1.
 *
 * @example
 * ```ts
 * import { runServer } from "./event.ts";
 * await runServer({
 *   workers: 3,
 *   jobs: ["a", "b", "c"],
 *   startup: () => new Promise((r) => setTimeout(r, 500)),
 *   handle: async (job, worker) => console.log(`worker ${worker} handles ${job}`),
 * }); // every job is handled at t=500, none before
 * ```
 */
export async function runServer<J>(opts: ServerOptions<J>): Promise<void> {
  // Spawn the workers first (each waits on the ready event), then run start-up and set the
  // event. One controller stops everybody on the first failure or an outer abort.
  const { workers, startup, handle, signal } = opts;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`runServer() needs workers to be an integer >= 1; received ${workers}`);
  }
  signal?.throwIfAborted();
  const stop = new AbortController();
  const stopSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const ready = new Event();
  const jobs = opts.jobs[Symbol.iterator](); // one shared iterator: each job goes to one worker
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown) => {
    // The first failure wins; the others are the consequences of stopping.
    if (!failure && !stopSignal.aborted) failure = { error };
    stop.abort(error);
  };

  const worker = async (id: number) => {
    try {
      await ready.wait({ signal: stopSignal });
      for (let next = jobs.next(); !next.done; next = jobs.next()) {
        stopSignal.throwIfAborted();
        await handle(next.value, id, stopSignal);
      }
    } catch (error) {
      fail(error);
    }
  };

  const running = Array.from({ length: workers }, (_, i) => worker(i + 1));
  try {
    await startup(stopSignal);
    stopSignal.throwIfAborted();
    ready.set();
  } catch (error) {
    fail(error);
  }
  await Promise.all(running); // workers never reject: they report through fail()
  if (failure) throw failure.error;
  signal?.throwIfAborted();
}
