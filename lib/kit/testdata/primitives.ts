// Code under test for watched.test.ts: primitives with the course's public methods (locked(),
// qsize(), full(), maxsize), each with the learner's commonest bug: a lock whose release() wakes
// nobody, a queue whose put() wakes no getter.

/** A lock whose release() frees it but never resumes a queued waiter (a lost wake-up). */
export class ForgetfulLock {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** Whether someone holds it. */
  locked(): boolean {
    return this.#locked;
  }

  /** Takes the lock, waiting while someone holds it. */
  acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Frees the lock; the bug: nobody is woken. */
  release(): void {
    this.#locked = false;
  }
}

/** A bounded FIFO queue; with `wakeGetters: false`, put() forgets to wake a waiting get(). */
export class CourseQueue<T> {
  /** The capacity (0: unbounded). */
  readonly maxsize: number;
  readonly #items: T[] = [];
  readonly #getters: (() => void)[] = [];
  readonly #wakeGetters: boolean;

  constructor(maxsize = 0, wakeGetters = true) {
    this.maxsize = maxsize;
    this.#wakeGetters = wakeGetters;
  }

  /** Items queued. */
  qsize(): number {
    return this.#items.length;
  }

  /** Whether a put would wait. */
  full(): boolean {
    return this.maxsize > 0 && this.#items.length >= this.maxsize;
  }

  /** Adds an item (never waits here) and, unless buggy, wakes the first getter. */
  put(item: T): Promise<void> {
    this.#items.push(item);
    if (this.#wakeGetters) this.#getters.shift()?.();
    return Promise.resolve();
  }

  /** Takes the first item, waiting while there is none. */
  async get(): Promise<T> {
    while (this.#items.length === 0) {
      await new Promise<void>((resolve) => this.#getters.push(resolve));
    }
    return this.#items.shift()!;
  }
}
