// Code under test for lib's own tests: an asyncio-style Queue (right), one whose put() never
// wakes a waiting get() (wrong), and a consumer that stops at a sentinel.

/** The end-of-work marker. */
export const DONE: unique symbol = Symbol("DONE");

/** A FIFO queue; with `wakeGetters: false`, put() forgets to wake a waiting get(). */
export class Queue<T> {
  readonly #items: T[] = [];
  readonly #getters: (() => void)[] = [];
  readonly #wakeGetters: boolean;

  constructor(options: { wakeGetters?: boolean } = {}) {
    this.#wakeGetters = options.wakeGetters ?? true;
  }

  /** Items waiting. */
  get size(): number {
    return this.#items.length;
  }

  /** Getters waiting. */
  get getters(): number {
    return this.#getters.length;
  }

  /** Adds an item and wakes the first waiting getter. */
  put(item: T): void {
    this.#items.push(item);
    if (this.#wakeGetters) this.#getters.shift()?.();
  }

  /** Takes the first item, waiting while there is none. */
  async get(): Promise<T> {
    while (this.#items.length === 0) {
      await new Promise<void>((resolve) => this.#getters.push(resolve));
    }
    return this.#items.shift()!;
  }
}

/** Takes items until the sentinel, sleeping `ms` on each; returns how many it handled. */
export async function consumer<T>(queue: Queue<T | typeof DONE>, ms: number): Promise<number> {
  let handled = 0;
  for (;;) {
    const item = await queue.get();
    if (item === DONE) return handled;
    await new Promise((resolve) => setTimeout(resolve, ms));
    handled++;
  }
}
