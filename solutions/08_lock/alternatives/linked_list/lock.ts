/**
 * Lock, another correct style: the waiters form a singly linked list of nodes (O(1) removal of
 * the head; an aborted node is marked `cancelled` and skipped later instead of searched for and
 * spliced out), each node owns its promise, the abort listener is removed in a `finally`, and
 * `BankAccount` uses acquire() with try/finally instead of `runExclusive()`.
 *
 * @module
 */

import { checkAmount, invalidState } from "./given_helpers.ts";

/** Options of a call that may block. */
export interface AcquireOptions {
  /** Stops waiting; an abort wins until the call resumes (the lock then goes to the next waiter). */
  signal?: AbortSignal;
}

/** One queued acquire(). */
class Node {
  next: Node | null = null;
  cancelled = false;
  readonly granted: Promise<void>;
  grant!: () => void;
  fail!: (reason: unknown) => void;

  constructor() {
    this.granted = new Promise<void>((resolve, reject) => {
      this.grant = resolve;
      this.fail = reject;
    });
  }
}

/** A mutual-exclusion lock for async code (Python's `asyncio.Lock`), over a linked list. */
export class Lock {
  #held = false;
  #head: Node | null = null;
  #tail: Node | null = null;

  /** Whether a live (not cancelled) node is queued. Cancelled nodes are skipped lazily. */
  #hasWaiters(): boolean {
    this.#dropCancelled();
    return this.#head !== null;
  }

  #dropCancelled(): void {
    while (this.#head && this.#head.cancelled) this.#head = this.#head.next;
    if (!this.#head) this.#tail = null;
  }

  #enqueue(node: Node): void {
    if (this.#tail) this.#tail.next = node;
    else this.#head = node;
    this.#tail = node;
  }

  #dequeue(): Node | null {
    this.#dropCancelled();
    const node = this.#head;
    if (!node) return null;
    this.#head = node.next;
    if (!this.#head) this.#tail = null;
    node.next = null;
    return node;
  }

  /**
   * Takes the lock, waiting in line.
   *
   * @param options `{ signal }`.
   * @returns A lease that releases once when disposed.
   */
  async acquire(options: AcquireOptions = {}): Promise<Disposable> {
    const signal = options.signal;
    if (signal?.aborted) throw signal.reason;
    if (!this.#held && !this.#hasWaiters()) {
      this.#held = true;
      return this.#makeLease();
    }
    const node = new Node();
    this.#enqueue(node);
    const onAbort = () => {
      node.cancelled = true; // still queued: the list skips it; already granted: no effect
      node.fail(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort);
    try {
      await node.granted;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
    if (signal?.aborted) {
      // Granted, but the abort came before we resumed: give the lock away.
      this.release();
      throw signal.reason;
    }
    return this.#makeLease();
  }

  /** Hands the lock to the oldest live waiter, or frees it. */
  release(): void {
    if (!this.#held) throw invalidState("release() of a lock that is not locked");
    const node = this.#dequeue();
    if (node) node.grant();
    else this.#held = false;
  }

  /** Whether held. */
  locked(): boolean {
    return this.#held;
  }

  /** Runs fn under the lock. */
  async runExclusive<T>(fn: () => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    const lease = await this.acquire(options);
    try {
      return await fn();
    } finally {
      lease[Symbol.dispose]();
    }
  }

  #makeLease(): Disposable {
    let done = false;
    return {
      [Symbol.dispose]: () => {
        if (!done) {
          done = true;
          this.release();
        }
      },
    };
  }
}

/** Options of a bank account. */
export interface BankAccountOptions {
  /** Virtual ms of one database round trip. Default 10. */
  latencyMs?: number;
}

/** A bank balance in a slow "database", guarded by a lock. */
export class BankAccount {
  readonly #lock = new Lock();
  readonly #latencyMs: number;
  #balance: number;

  /**
   * @param initial The opening balance (>= 0).
   * @param options `{ latencyMs }`.
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

  #roundTrip(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }

  /** Withdraws if covered. */
  async withdraw(amount: number, options: AcquireOptions = {}): Promise<boolean> {
    checkAmount(amount, "withdraw");
    const lease = await this.#lock.acquire(options);
    try {
      const current = this.#balance;
      await this.#roundTrip();
      if (amount > current) return false;
      this.#balance = current - amount;
      return true;
    } finally {
      lease[Symbol.dispose]();
    }
  }

  /** Deposits. */
  async deposit(amount: number, options: AcquireOptions = {}): Promise<void> {
    checkAmount(amount, "deposit");
    const lease = await this.#lock.acquire(options);
    try {
      const current = this.#balance;
      await this.#roundTrip();
      this.#balance = current + amount;
    } finally {
      lease[Symbol.dispose]();
    }
  }
}
