// Code under test for lib's own tests: a Lock whose release() frees the lock but never wakes a
// queued waiter (a lost wake-up), as a learner might write it.

/** A lock with a lost wake-up. */
export class ForgetfulLock {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Whether someone holds the lock. */
  get locked(): boolean {
    return this.#locked;
  }

  /** How many wait to acquire. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** Takes the lock, waiting while someone holds it. */
  acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Frees the lock; the bug: the first waiter is never resumed. */
  release(): void {
    this.#locked = false;
  }
}

/** Runs `work` holding the lock. */
export async function withLock<T>(lock: ForgetfulLock, work: () => Promise<T>): Promise<T> {
  await lock.acquire();
  try {
    return await work();
  } finally {
    lock.release();
  }
}
