// GIVEN: the FIFO Lock of exercise 08 and the InvalidStateError helper, for condition.ts; you do not edit it

/** Options of a call that may block. */
export interface WaitOptions {
  /**
   * Stops waiting: the call rejects with `signal.reason`. An abort wins until the call resumes
   * (the course-wide late-abort rule).
   */
  signal?: AbortSignal;
}

/**
 * Builds the error for an operation in the wrong state (Python's RuntimeError): an Error named
 * "InvalidStateError".
 *
 * @param message What was wrong.
 * @returns The error.
 *
 * @example
 * ```ts
 * import { invalidState } from "./given_lock.ts";
 * invalidState("cannot notify on an un-acquired lock").name; // "InvalidStateError"
 * ```
 */
export function invalidState(message: string): Error {
  const error = new Error(message);
  error.name = "InvalidStateError";
  return error;
}

/**
 * A FIFO async lock (Python's `asyncio.Lock`, as exercise 08 builds it): `acquire({ signal })`
 * resolves with a Disposable lease, `release()` hands the lock straight to the oldest waiter (it
 * stays locked in between, so nobody barges in). An abort that comes after `release()` handed a
 * waiter the lock, before that waiter resumed, still wins: its `acquire()` rejects and the lock
 * goes to the next waiter.
 *
 * @example
 * ```ts
 * import { Lock } from "./given_lock.ts";
 * const lock = new Lock();
 * {
 *   using _lease = await lock.acquire();
 * } // released here
 * ```
 */
export class Lock {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  /**
   * Takes the lock, waiting in line while it is held.
   *
   * @param options `{ signal }`: abort to stop waiting.
   * @returns A lease; disposing it releases the lock (once).
   *
   * @example
   * ```ts
   * import { Lock } from "./given_lock.ts";
   * const lease = await new Lock().acquire();
   * lease[Symbol.dispose]();
   * ```
   */
  async acquire(options: WaitOptions = {}): Promise<Disposable> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#locked || this.#waiters.length > 0) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = this.#waiters.indexOf(grant);
          if (index !== -1) this.#waiters.splice(index, 1);
          reject(signal!.reason);
        };
        const grant = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        this.#waiters.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
      if (signal?.aborted) {
        // Handed the lock, but the abort came first: pass it on.
        this.release();
        throw signal.reason;
      }
    }
    this.#locked = true;
    let released = false;
    return {
      [Symbol.dispose]: () => {
        if (!released) {
          released = true;
          this.release();
        }
      },
    };
  }

  /**
   * Releases the lock: hands it to the oldest waiter, or frees it.
   *
   * @throws An Error named "InvalidStateError" when the lock is not locked.
   *
   * @example
   * ```ts
   * import { Lock } from "./given_lock.ts";
   * const lock = new Lock();
   * await lock.acquire();
   * lock.release();
   * ```
   */
  release(): void {
    if (!this.#locked) throw invalidState("Lock.release() called on an unlocked lock");
    const next = this.#waiters.shift();
    if (next) next(); // stays locked: the waiter takes it over
    else this.#locked = false;
  }

  /**
   * Whether the lock is held.
   *
   * @returns True while held.
   *
   * @example
   * ```ts
   * import { Lock } from "./given_lock.ts";
   * new Lock().locked(); // false
   * ```
   */
  locked(): boolean {
    return this.#locked;
  }
}
