/**
 * An alternative correct asyncio.Queue: the items live in a growable ring buffer, the waiters in
 * intrusive doubly linked lists (O(1) removal on abort), and every waiter carries its own state
 * ("waiting" -> "woken" -> done, or "revoked" when shutdown(true) drops what it was promised)
 * instead of the reference's counters of promised items and slots.
 *
 * @module
 */

/** `getNowait()` found the queue empty (Python's `asyncio.QueueEmpty`). */
export class QueueEmpty extends Error {
  override name = "QueueEmpty";
  constructor(message = "getNowait() found the queue empty") {
    super(message);
  }
}

/** `putNowait()` found the queue full (Python's `asyncio.QueueFull`). */
export class QueueFull extends Error {
  override name = "QueueFull";
  constructor(message = "putNowait() found the queue full") {
    super(message);
  }
}

/** The queue was shut down (Python 3.13's `asyncio.QueueShutDown`). */
export class QueueShutDown extends Error {
  override name = "QueueShutDown";
  constructor(message = "the queue was shut down") {
    super(message);
  }
}

/** Options of every call that can wait. */
export interface WaitOptions {
  /** Aborting it makes the call reject with `signal.reason`. */
  signal?: AbortSignal;
}

/** A first-in, first-out ring buffer that doubles when full. */
class Ring<T> {
  #buf: (T | undefined)[] = new Array(8);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#buf.length) {
      const bigger: (T | undefined)[] = new Array(this.#buf.length * 2);
      for (let i = 0; i < this.#size; i++) {
        bigger[i] = this.#buf[(this.#head + i) % this.#buf.length];
      }
      this.#buf = bigger;
      this.#head = 0;
    }
    this.#buf[(this.#head + this.#size) % this.#buf.length] = item;
    this.#size++;
  }

  shift(): T {
    const item = this.#buf[this.#head] as T;
    this.#buf[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#buf.length;
    this.#size--;
    return item;
  }

  clear(): void {
    this.#buf = new Array(8);
    this.#head = 0;
    this.#size = 0;
  }
}

type State = "waiting" | "woken" | "revoked";

/** One parked call, linked into the list it waits in. */
interface Node {
  state: State;
  prev: Node | null;
  next: Node | null;
  resolve(): void;
  reject(error: unknown): void;
}

/** An intrusive doubly linked list of parked calls, oldest first. */
class Line {
  head: Node | null = null;
  tail: Node | null = null;

  append(node: Node): void {
    node.prev = this.tail;
    node.next = null;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
  }

  remove(node: Node): void {
    if (node.prev) node.prev.next = node.next;
    else if (this.head === node) this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else if (this.tail === node) this.tail = node.prev;
    node.prev = node.next = null;
  }

  shift(): Node | null {
    const node = this.head;
    if (node) this.remove(node);
    return node;
  }
}

/** A FIFO queue for async producers and consumers, with Python's asyncio.Queue semantics. */
export class Queue<T> {
  readonly maxsize: number;
  #items = new Ring<T>();
  #getters = new Line();
  #putters = new Line();
  #joiners = new Line();
  /** Getters that were woken (promised an item) and have not resumed yet, oldest first. */
  #wokenGetters = new Line();
  #wokenPutterCount = 0;
  #wokenGetterCount = 0;
  #unfinished = 0;
  #closed = false;

  constructor(maxsize = 0) {
    if (typeof maxsize !== "number" || !Number.isInteger(maxsize) || maxsize < 0) {
      throw new RangeError(`maxsize must be an integer >= 0 (0 means unbounded), not ${maxsize}`);
    }
    this.maxsize = maxsize;
  }

  qsize(): number {
    return this.#items.size - this.#wokenGetterCount;
  }

  empty(): boolean {
    return this.qsize() <= 0;
  }

  full(): boolean {
    if (this.maxsize === 0) return false;
    return this.#items.size + this.#wokenPutterCount >= this.maxsize;
  }

  putNowait(item: T): void {
    if (this.#closed) throw new QueueShutDown("putNowait() after shutdown()");
    if (this.full()) throw new QueueFull();
    this.#store(item);
  }

  getNowait(): T {
    if (this.empty()) {
      throw this.#closed
        ? new QueueShutDown("getNowait() on a shut-down, empty queue")
        : new QueueEmpty();
    }
    return this.#takeOldest();
  }

  async put(item: T, { signal }: WaitOptions = {}): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.#closed) throw new QueueShutDown("put() after shutdown()");
    if (!this.full()) return this.#store(item);
    const node = await this.#wait(this.#putters, signal);
    this.#wokenPutterCount--;
    node.state = "waiting"; // done with it
    if (signal?.aborted) {
      this.#wakePutter();
      throw signal.reason;
    }
    if (this.#closed) throw new QueueShutDown("put() woken, then the queue was shut down");
    this.#store(item);
  }

  async get({ signal }: WaitOptions = {}): Promise<T> {
    if (signal?.aborted) throw signal.reason;
    if (!this.empty()) return this.#takeOldest();
    if (this.#closed) throw new QueueShutDown("get() on a shut-down, empty queue");
    const node = await this.#wait(this.#getters, signal);
    if (node.state === "revoked") {
      if (signal?.aborted) throw signal.reason;
      throw new QueueShutDown("get() woken, then shutdown(true) dropped the items");
    }
    this.#wokenGetters.remove(node);
    this.#wokenGetterCount--;
    if (signal?.aborted) {
      this.#wakeGetter();
      throw signal.reason;
    }
    return this.#takeOldest();
  }

  taskDone(): void {
    if (this.#unfinished === 0) throw new RangeError("taskDone() called too many times");
    this.#unfinished -= 1;
    if (this.#unfinished === 0) {
      for (let node = this.#joiners.shift(); node; node = this.#joiners.shift()) node.resolve();
    }
  }

  async join({ signal }: WaitOptions = {}): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.#unfinished > 0) {
      await this.#wait(this.#joiners, signal);
      if (signal?.aborted) throw signal.reason;
    }
  }

  shutdown(immediate = false): void {
    this.#closed = true;
    if (immediate) {
      const dropped = this.#items.size;
      this.#items.clear();
      this.#unfinished = Math.max(0, this.#unfinished - dropped);
      for (let node = this.#wokenGetters.shift(); node; node = this.#wokenGetters.shift()) {
        node.state = "revoked";
      }
      this.#wokenGetterCount = 0;
      if (this.#unfinished === 0) {
        for (let node = this.#joiners.shift(); node; node = this.#joiners.shift()) node.resolve();
      }
    }
    for (let node = this.#getters.shift(); node; node = this.#getters.shift()) {
      node.reject(new QueueShutDown("get() waiting when the queue was shut down"));
    }
    for (let node = this.#putters.shift(); node; node = this.#putters.shift()) {
      node.reject(new QueueShutDown("put() waiting when the queue was shut down"));
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    while (true) {
      let item: T;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueShutDown) break;
        throw error;
      }
      yield item;
    }
  }

  #store(item: T): void {
    this.#items.push(item);
    this.#unfinished += 1;
    this.#wakeGetter();
  }

  #takeOldest(): T {
    const item = this.#items.shift();
    this.#wakePutter();
    return item;
  }

  #wakeGetter(): void {
    const node = this.#getters.shift();
    if (!node) return;
    node.state = "woken";
    this.#wokenGetters.append(node);
    this.#wokenGetterCount++;
    node.resolve();
  }

  #wakePutter(): void {
    const node = this.#putters.shift();
    if (!node) return;
    node.state = "woken";
    this.#wokenPutterCount++;
    node.resolve();
  }

  /** Parks in `line`; resolves with the node once woken, rejects on abort or shutdown. */
  #wait(line: Line, signal: AbortSignal | undefined): Promise<Node> {
    return new Promise<Node>((resolve, reject) => {
      const onAbort = () => {
        if (node.state !== "waiting") return; // already woken: the caller decides when it resumes
        line.remove(node);
        reject(signal!.reason);
      };
      const node: Node = {
        state: "waiting",
        prev: null,
        next: null,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(node);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      line.append(node);
    });
  }
}
