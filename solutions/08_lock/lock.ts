/**
 * Lock: Python's `asyncio.Lock`, and the bank account that needs one.
 *
 * Single-threaded JavaScript still has race conditions: every `await` is a point where other
 * tasks run. A withdrawal that reads the balance, awaits the database, then writes
 * `balance - amount` loses updates when two withdrawals interleave at that await. A lock makes
 * the read-await-write a critical section that one task at a time may enter.
 *
 * This file holds:
 * - `Lock`: `acquire({ signal })` resolves with a `Disposable` lease (`using lease = await
 *   lock.acquire()` is Python's `async with lock:`), `release()`, `locked()` and
 *   `runExclusive(fn)`. Waiters are served first come, first served, and a release hands the
 *   lock straight to the oldest waiter, so a newcomer can never jump the queue.
 * - `BankAccount`: a balance whose `withdraw` and `deposit` use the lock around a simulated
 *   database round trip.
 *
 * @module
 */

import { checkAmount, invalidState } from "./given_helpers.ts";

/** Options of a call that may block. */
export interface AcquireOptions {
  /**
   * Stops waiting: the call rejects with `signal.reason` and leaves the queue. An abort wins
   * until the call resumes, even when `release()` already handed it the lock: the lock then goes
   * to the next waiter.
   */
  signal?: AbortSignal;
}

/** A task waiting for the lock. `grant()` hands it the lock and removes its abort listener. */
interface Waiter {
  grant: () => void;
}

/**
 * A mutual-exclusion lock for async code (Python's `asyncio.Lock`).
 *
 * @example Python's `async with lock:`
 * ```ts
 * import { Lock } from "./lock.ts";
 * const lock = new Lock();
 * {
 *   using _lease = await lock.acquire();
 *   // critical section: one task at a time
 * } // released here, even if the block threw
 * ```
 */
export class Lock {
  #locked = false;
  readonly #waiters: Waiter[] = [];

  /**
   * Waits until the lock is free, takes it, and resolves with a lease that releases it when
   * disposed (disposing twice releases once). Waiters are served first in, first out, and a
   * newcomer never takes the lock while others wait.
   *
   * @param options `{ signal }`: abort to stop waiting (rejects with `signal.reason`; an abort
   *   after `release()` handed this call the lock, before it resumed, passes the lock on).
   * @returns A `Disposable` lease.
   *
   * @example Give up after 1 s (Python: `await asyncio.wait_for(lock.acquire(), 1)`)
   * ```ts
   * import { Lock } from "./lock.ts";
   * const lock = new Lock();
   * using _lease = await lock.acquire({ signal: AbortSignal.timeout(1000) });
   * ```
   */
  async acquire(options: AcquireOptions = {}): Promise<Disposable> {
    const { signal } = options;
    // An aborted signal never fires its listeners again: check before anything else.
    signal?.throwIfAborted();
    // Free and nobody queued: take it now. A newcomer never jumps over waiters (no barging).
    if (!this.#locked && this.#waiters.length === 0) {
      this.#locked = true;
      return this.#lease();
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        // Still queued (an abort after the hand-over finds nothing to remove): leave the queue.
        const index = this.#waiters.indexOf(waiter);
        if (index !== -1) this.#waiters.splice(index, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    // release() handed the lock over: #locked stayed true the whole time. The abort still wins
    // until this waiter resumes (CPython's `except CancelledError` branch does the same): an
    // abort that came after the hand-over passes the lock on to the next waiter, or frees it.
    if (signal?.aborted) {
      this.release();
      throw signal.reason;
    }
    return this.#lease();
  }

  /**
   * Releases the lock: hands it to the oldest waiter, or frees it.
   *
   * @throws An Error named "InvalidStateError" when the lock is not locked.
   *
   * @example
   * ```ts
   * import { Lock } from "./lock.ts";
   * const lock = new Lock();
   * await lock.acquire();
   * lock.release();
   * ```
   */
  release(): void {
    if (!this.#locked) {
      throw invalidState("Lock.release() called on an unlocked lock (Python raises RuntimeError)");
    }
    // Hand the lock straight to the oldest waiter: it stays locked, so nobody can barge in
    // between this release and the waiter resuming.
    const next = this.#waiters.shift();
    if (next) next.grant();
    else this.#locked = false;
  }

  /**
   * Whether some task holds the lock.
   *
   * @returns True while held.
   *
   * @example
   * ```ts
   * import { Lock } from "./lock.ts";
   * new Lock().locked(); // false
   * ```
   */
  locked(): boolean {
    return this.#locked;
  }

  /**
   * Runs `fn` while holding the lock and releases it afterwards, also when `fn` throws.
   *
   * @typeParam T What `fn` resolves with.
   * @param fn The critical section.
   * @param options `{ signal }`: abort to stop waiting for the lock (it does not stop `fn` once
   *   `fn` has started).
   * @returns What `fn` returned.
   *
   * @example
   * ```ts
   * import { Lock } from "./lock.ts";
   * const lock = new Lock();
   * let counter = 0;
   * await Promise.all(Array.from({ length: 100 }, () =>
   *   lock.runExclusive(async () => {
   *     const seen = counter;
   *     await Promise.resolve(); // a yield inside the critical section
   *     counter = seen + 1;
   *   })
   * )); // counter === 100
   * ```
   */
  async runExclusive<T>(fn: () => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    // Release the lock on every path: `using` disposes the lease when the block exits,
    // whether fn returned or threw.
    using _lease = await this.acquire(options);
    return await fn();
  }

  #lease(): Disposable {
    let released = false;
    return {
      [Symbol.dispose]: () => {
        if (released) return; // a second dispose must not release someone else's hold
        released = true;
        this.release();
      },
    };
  }
}

/** Options of a bank account. */
export interface BankAccountOptions {
  /** Virtual ms of one database round trip inside a withdrawal or deposit. Default 10. */
  latencyMs?: number;
}

/**
 * A bank balance kept in a slow "database": each operation reads the balance, waits one round
 * trip, and writes the new balance. The lock makes each read-wait-write atomic.
 *
 * @example
 * ```ts
 * import { BankAccount } from "./lock.ts";
 * const account = new BankAccount(100);
 * await Promise.all([account.withdraw(30), account.withdraw(30)]);
 * account.balance; // 40: no update lost
 * ```
 */
export class BankAccount {
  readonly #lock = new Lock();
  readonly #latencyMs: number;
  #balance: number;

  /**
   * @param initial The opening balance (>= 0).
   * @param options `{ latencyMs }` of the simulated database.
   * @throws RangeError for a negative or non-finite opening balance.
   */
  constructor(initial: number, options: BankAccountOptions = {}) {
    if (!Number.isFinite(initial) || initial < 0) {
      throw new RangeError(`BankAccount needs an opening balance >= 0; received ${initial}`);
    }
    this.#balance = initial;
    this.#latencyMs = options.latencyMs ?? 10;
  }

  /** The current balance. */
  get balance(): number {
    return this.#balance;
  }

  /** One round trip to the simulated database (a yield inside the critical section). */
  #roundTrip(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }

  /**
   * Withdraws `amount` if the balance covers it.
   *
   * @param amount How much (> 0).
   * @param options `{ signal }`: abort to stop waiting for the lock.
   * @returns True when withdrawn, false when the balance was too low (nothing changes; the
   *   refused withdrawal still takes its round trip).
   *   Rejects with RangeError for an amount that is not a positive finite number.
   *
   * @example
   * ```ts
   * import { BankAccount } from "./lock.ts";
   * await new BankAccount(10).withdraw(20); // false
   * ```
   */
  async withdraw(amount: number, options: AcquireOptions = {}): Promise<boolean> {
    checkAmount(amount, "withdraw");
    // Read, wait and write while holding the lock: nobody else can read the old balance
    // in between, so no withdrawal is lost and the balance never goes negative.
    return await this.#lock.runExclusive(async () => {
      const current = this.#balance;
      await this.#roundTrip();
      if (current < amount) return false;
      this.#balance = current - amount;
      return true;
    }, options);
  }

  /**
   * Deposits `amount`.
   *
   * @param amount How much (> 0).
   * @param options `{ signal }`: abort to stop waiting for the lock.
   * @returns Resolves once deposited. Rejects with RangeError for an amount that is not a
   *   positive finite number.
   *
   * @example
   * ```ts
   * import { BankAccount } from "./lock.ts";
   * const account = new BankAccount(0);
   * await account.deposit(5); // account.balance === 5
   * ```
   */
  async deposit(amount: number, options: AcquireOptions = {}): Promise<void> {
    checkAmount(amount, "deposit");
    await this.#lock.runExclusive(async () => {
      const current = this.#balance;
      await this.#roundTrip();
      this.#balance = current + amount;
    }, options);
  }
}
