/**
 * Merging streams: reading several async iterables at once, and stopping on a signal.
 *
 * `merge` interleaves several streams in the order their items arrive, pulling at most one item
 * ahead from each, and stops every source however it ends. `withAbort` makes any stream
 * stoppable with an AbortSignal: the waiting `next()` rejects at once with the abort reason, even
 * if the source is stuck inside an `await` and cannot be interrupted itself.
 *
 * @module
 */

/**
 * Interleaves several streams: yields each item as soon as any source produces it. Keeps one
 * pending `next()` per source and pulls a source again only when the consumer asks for more.
 * Ends when every source has ended. A source that fails (its `next()` rejects or throws) fails
 * the merge. However the merge ends, every source that has not ended is stopped (its `return()`
 * is called and awaited; its errors are ignored) before the end, the error or the stop goes on.
 *
 * @typeParam T The item type.
 * @param sources The streams to interleave.
 * @returns An async generator that ends when every source has ended.
 *
 * @example
 * ```ts
 * import { merge } from "./merge.ts";
 * async function* every(ms: number, label: string, count: number) {
 *   for (let i = 1; i <= count; i++) {
 *     await new Promise((resolve) => setTimeout(resolve, ms));
 *     yield `${label}${i}`;
 *   }
 * }
 * for await (const item of merge(every(100, "a", 2), every(150, "b", 2))) {
 *   console.log(item); // a1 (t=100), b1 (t=150), a2 (t=200), b2 (t=300)
 * }
 * ```
 */
export function merge<T>(
  ...sources: AsyncIterable<T>[]
): AsyncGenerator<T, void, undefined> {
  // Another style: no async generator, a hand-written iterator object (see MergedStream below).
  return new MergedStream(sources) as unknown as AsyncGenerator<T, void, undefined>;
}

/**
 * Makes any stream stoppable: yields the items of `source` until `signal` aborts, then rejects
 * the waiting `next()` with `signal.reason` at once, even if the source is stuck inside an await.
 * An already-aborted signal fails the first `next()` without pulling anything; an abort between
 * items fails the next pull.
 *
 * A stuck source cannot be interrupted from outside: its `return()` only takes effect when it
 * next reaches a `yield`. So withAbort calls `source.return()` without waiting for it when the
 * source is stuck, and waits for it otherwise (after a `break` or an abort between items). Its
 * errors are ignored. A source that ended by itself (done, or failed) is not closed again.
 *
 * @typeParam T The item type.
 * @param source Any async iterable.
 * @param signal The signal that stops the stream.
 * @returns An async generator of the source's items.
 *
 * @example
 * ```ts
 * import { withAbort } from "./merge.ts";
 * async function* forever() {
 *   for (let n = 1; ; n++) {
 *     await new Promise((resolve) => setTimeout(resolve, 100));
 *     yield n;
 *   }
 * }
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 250);
 * try {
 *   for await (const n of withAbort(forever(), stop.signal)) console.log(n); // 1, 2
 * } catch (e) {
 *   // e === stop.signal.reason, thrown at t=250
 * }
 * ```
 */
export function withAbort<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  // Another style: no async generator, a hand-written iterator object (see AbortableStream).
  return new AbortableStream(source, signal) as unknown as AsyncGenerator<T, void, undefined>;
}

const DONE = { done: true, value: undefined } as const;

/** merge() as an iterator object: explicit state instead of a generator's suspended frame. */
class MergedStream<T> {
  readonly #iterators: AsyncIterator<T>[];
  readonly #pulls = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  readonly #open = new Set<number>();
  #started = false;
  #finished = false;
  #again: number | undefined; // the source whose item was handed out last: pulled at the next next()

  constructor(sources: AsyncIterable<T>[]) {
    this.#iterators = sources.map((source) => source[Symbol.asyncIterator]());
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #pull(index: number): void {
    let next: Promise<IteratorResult<T>>;
    try {
      next = Promise.resolve(this.#iterators[index].next());
    } catch (error) {
      next = Promise.reject(error);
    }
    const pull = next.then((result) => ({ index, result }), (error) => {
      this.#open.delete(index);
      throw error;
    });
    pull.catch(() => {});
    this.#pulls.set(index, pull);
  }

  async next(): Promise<IteratorResult<T, void>> {
    if (this.#finished) return DONE;
    if (!this.#started) {
      this.#started = true;
      for (const index of this.#iterators.keys()) {
        this.#open.add(index);
        this.#pull(index);
      }
    }
    if (this.#again !== undefined) {
      this.#pull(this.#again);
      this.#again = undefined;
    }
    try {
      while (this.#pulls.size > 0) {
        const { index, result } = await Promise.race(this.#pulls.values());
        this.#pulls.delete(index);
        if (result.done) {
          this.#open.delete(index);
          continue;
        }
        this.#again = index;
        return { done: false, value: result.value };
      }
    } catch (error) {
      await this.#close();
      throw error;
    }
    await this.#close();
    return DONE;
  }

  async return(): Promise<IteratorResult<T, void>> {
    await this.#close();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<T, void>> {
    await this.#close();
    throw error;
  }

  async #close(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    const open = [...this.#open];
    this.#open.clear();
    await Promise.allSettled(open.map(async (index) => {
      await this.#iterators[index].return?.();
    }));
  }
}

/** withAbort() as an iterator object. */
class AbortableStream<T> {
  readonly #source: AsyncIterable<T>;
  readonly #signal: AbortSignal;
  #iterator: AsyncIterator<T> | undefined;
  #aborted: Promise<never> | undefined;
  readonly #onAbort: () => void;
  #rejectAborted: ((reason: unknown) => void) | undefined;
  #started = false;
  #finished = false;
  #stuck = false;
  #ended = false;

  constructor(source: AsyncIterable<T>, signal: AbortSignal) {
    this.#source = source;
    this.#signal = signal;
    this.#onAbort = () => this.#rejectAborted?.(signal.reason);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T, void>> {
    if (this.#finished) return DONE;
    const signal = this.#signal;
    if (!this.#started) {
      this.#started = true;
      if (signal.aborted) {
        this.#finished = true;
        throw signal.reason;
      }
      this.#iterator = this.#source[Symbol.asyncIterator]();
      this.#aborted = new Promise<never>((_, reject) => (this.#rejectAborted = reject));
      this.#aborted.catch(() => {});
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (signal.aborted) {
      await this.#finish();
      throw signal.reason;
    }
    this.#stuck = true;
    const pulled = this.#iterator!.next().then((result) => {
      if (result.done) this.#ended = true;
      return result;
    }, (error) => {
      this.#ended = true;
      throw error;
    });
    let result: IteratorResult<T>;
    try {
      result = await Promise.race([pulled, this.#aborted!]);
    } catch (error) {
      await this.#finish(); // stuck: return() is started, not awaited
      throw error;
    }
    this.#stuck = false;
    if (result.done) {
      await this.#finish();
      return DONE;
    }
    return { done: false, value: result.value };
  }

  async return(): Promise<IteratorResult<T, void>> {
    await this.#finish();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<T, void>> {
    await this.#finish();
    throw error;
  }

  async #finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    this.#signal.removeEventListener("abort", this.#onAbort);
    if (this.#ended || !this.#iterator) return;
    const iterator = this.#iterator;
    const closing = (async () => {
      await iterator.return?.();
    })().catch(() => {});
    if (!this.#stuck) await closing;
  }
}
