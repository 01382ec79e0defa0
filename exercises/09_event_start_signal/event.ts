// deno-lint-ignore-file no-unused-vars require-await -- the stub does not use its parameters yet; your code will
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
  // Add the private state you need here (a flag, the waiters...).

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
    // TODO: set the flag and wake every task waiting right now (not just the first one)
    throw new Error("not implemented: Event.set() (task 1)");
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
    // TODO: reset the flag without stranding the tasks that are already waiting
    throw new Error("not implemented: Event.clear() (task 2)");
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
    // TODO: report the flag
    throw new Error("not implemented: Event.isSet() (task 1)");
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
    // TODO: resolve at once when set; otherwise queue a waiter that set() wakes and that an abort removes (task 2 adds the signal)
    throw new Error("not implemented: Event.wait() (task 1)");
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
  // TODO: spawn the workers (each waits for a "ready" Event), run start-up, then set the event
  throw new Error("not implemented: runServer() (task 3)");
}
