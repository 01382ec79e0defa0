/**
 * Semaphore, another correct style: no `async` methods, a linked list of waiters, and the waiter's
 * "resume" step (where a late abort is noticed) run in a microtask queued by `release()`.
 *
 * @module
 */

/** Options of a call that may block. */
export interface AcquireOptions {
  /** Stops waiting: the call rejects with `signal.reason` and leaves the queue. */
  signal?: AbortSignal;
}

interface Node {
  prev: Node | null;
  next: Node | null;
  state: "waiting" | "woken";
  wake: () => void;
}

/** A counting semaphore (Python's `asyncio.Semaphore`). */
export class Semaphore {
  #free: number;
  #head: Node | null = null;
  #tail: Node | null = null;

  /** @param value The number of permits (an integer >= 0). Default 1. */
  constructor(value = 1) {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`new Semaphore(${value}): the value must be an integer >= 0`);
    }
    this.#free = value;
  }

  /** Permits held by nobody and not handed to a waiter. */
  get value(): number {
    return this.#free;
  }

  /** @returns True when a new acquire() would have to wait. */
  locked(): boolean {
    return this.#free === 0 || this.#head !== null;
  }

  /**
   * Waits for a permit and takes it.
   *
   * @param options `{ signal }`.
   * @returns A Disposable permit.
   */
  acquire(options: AcquireOptions = {}): Promise<Disposable> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.locked()) {
      this.#free -= 1;
      return Promise.resolve(this.#permit());
    }
    return new Promise<Disposable>((resolve, reject) => {
      const node: Node = { prev: this.#tail, next: null, state: "waiting", wake: () => {} };
      const onAbort = () => {
        if (node.state !== "waiting") return;
        this.#unlink(node);
        this.#drain();
        reject(signal!.reason);
      };
      node.wake = () => {
        node.state = "woken";
        queueMicrotask(() => {
          // The waiter resumes: an abort that came after the hand-over still wins.
          signal?.removeEventListener("abort", onAbort);
          this.#unlink(node);
          if (signal?.aborted) {
            this.#free += 1;
            this.#drain();
            reject(signal.reason);
            return;
          }
          this.#drain();
          resolve(this.#permit());
        });
      };
      if (this.#tail) this.#tail.next = node;
      else this.#head = node;
      this.#tail = node;
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** @returns A permit when acquire() would not wait, else null. */
  tryAcquire(): Disposable | null {
    if (this.locked()) return null;
    this.#free -= 1;
    return this.#permit();
  }

  /** Gives a permit back: to the oldest waiter not yet woken, or to the free permits. */
  release(): void {
    const next = this.#firstWaiting();
    if (next) next.wake();
    else this.#free += 1;
  }

  /**
   * Runs `fn` while holding a permit.
   *
   * @param fn The work.
   * @param options `{ signal }` for the wait.
   * @returns What `fn` returned.
   */
  runExclusive<T>(fn: () => Promise<T> | T, options: AcquireOptions = {}): Promise<T> {
    return this.acquire(options).then((permit) =>
      new Promise<T>((resolve) => resolve(fn())).finally(() => permit[Symbol.dispose]())
    );
  }

  #firstWaiting(): Node | null {
    let n = this.#head;
    while (n && n.state !== "waiting") n = n.next;
    return n;
  }

  #drain(): void {
    while (this.#free > 0) {
      const next = this.#firstWaiting();
      if (!next) return;
      this.#free -= 1;
      next.wake();
    }
  }

  #unlink(node: Node): void {
    if (node.prev) node.prev.next = node.next;
    else if (this.#head === node) this.#head = node.next;
    if (node.next) node.next.prev = node.prev;
    else if (this.#tail === node) this.#tail = node.prev;
    node.prev = node.next = null;
  }

  #permit(): Disposable {
    let done = false;
    return {
      [Symbol.dispose]: () => {
        if (done) return;
        done = true;
        this.release();
      },
    };
  }
}

/** A semaphore that refuses to be released more often than acquired. */
export class BoundedSemaphore extends Semaphore {
  readonly #limit: number;

  /** @param value The number of permits and the most there may be free. */
  constructor(value = 1) {
    super(value);
    this.#limit = value;
  }

  /** Gives a permit back; RangeError when every permit is already free. */
  override release(): void {
    if (this.value + 1 > this.#limit) {
      throw new RangeError("BoundedSemaphore released too many times");
    }
    super.release();
  }
}
