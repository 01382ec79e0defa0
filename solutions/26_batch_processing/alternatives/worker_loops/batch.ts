/**
 * Another correct batch.ts, in another style: `pooledMap` runs `concurrency` worker loops that
 * pull from a shared iterator (one pull at a time) and put each result in a reorder buffer keyed
 * by its input index; `mapInChunks` reads its chunks by hand instead of through `batched`.
 *
 * @module
 */
import { checkPositiveInteger, type Items, open } from "./given_helpers.ts";

export type { Items } from "./given_helpers.ts";

/** Options of {@linkcode mapInChunks}. */
export interface ChunkOptions {
  size: number;
  signal?: AbortSignal;
}

/** Options of {@linkcode pooledMap} and {@linkcode mapSettled}. */
export interface PoolOptions {
  concurrency: number;
  signal?: AbortSignal;
}

/** Groups items into arrays of `size`; the last array may be shorter. */
export function batched<T>(items: Items<T>, size: number): AsyncGenerator<T[], void, undefined> {
  checkPositiveInteger(size, "batched(): size");
  return (async function* () {
    const iterator = open(items);
    let done = false;
    try {
      while (!done) {
        const batch: T[] = [];
        while (batch.length < size) {
          const next = await iterator.next();
          if (next.done) {
            done = true;
            break;
          }
          batch.push(next.value);
        }
        if (batch.length > 0) yield batch;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  })();
}

/** Chunk by chunk, as the tutorial does with asyncio.gather. */
export function mapInChunks<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  options: ChunkOptions,
): AsyncGenerator<R, void, undefined> {
  const { size } = options;
  checkPositiveInteger(size, "mapInChunks(): size");
  const signal = options.signal ?? new AbortController().signal;
  return (async function* () {
    if (signal.aborted) throw signal.reason;
    const iterator = open(items);
    let done = false;
    try {
      while (!done) {
        if (signal.aborted) throw signal.reason; // aborted between chunks: start no further chunk
        const chunk: T[] = [];
        while (chunk.length < size) {
          const next = await iterator.next();
          if (next.done) {
            done = true;
            break;
          }
          chunk.push(next.value);
        }
        type Outcome = { ok: true; value: R } | { ok: false; error: unknown };
        const outcomes: Outcome[] = await Promise.all(chunk.map(async (item): Promise<Outcome> => {
          try {
            return { ok: true, value: await fn(item, signal) };
          } catch (error) {
            return { ok: false, error };
          }
        }));
        if (signal.aborted) throw signal.reason;
        const errors = outcomes.filter((o) => !o.ok).map((o) => (o as { error: unknown }).error);
        if (errors.length) throw new AggregateError(errors, "mapInChunks(): some calls failed");
        for (const o of outcomes) yield (o as { value: R }).value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  })();
}

type Result<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** A pool of `concurrency` worker loops; results reordered by input index. */
export function pooledMap<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  options: PoolOptions,
): AsyncGenerator<R, void, undefined> {
  const { concurrency, signal: outer } = options;
  checkPositiveInteger(concurrency, "pooledMap(): concurrency");
  return (async function* () {
    if (outer?.aborted) throw outer.reason;
    const stopper = new AbortController();
    const follow = () => stopper.abort(outer!.reason);
    outer?.addEventListener("abort", follow);
    const iterator = open(items);
    const ready = new Map<number, Result<R>>();
    let pulled = 0;
    let exhausted = false;
    let failed = false;
    let pulling: Promise<unknown> = Promise.resolve();
    let poke = () => {};
    const changed = () => new Promise<void>((resolve) => (poke = resolve));

    /** Pulls the next item, one pull at a time across the workers. */
    const pull = (): Promise<{ index: number; item: T } | undefined> => {
      const turn = pulling.then(async () => {
        if (exhausted || failed || stopper.signal.aborted) return undefined;
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          return undefined;
        }
        return { index: pulled++, item: next.value };
      });
      pulling = turn.catch(() => {});
      return turn;
    };

    const worker = async () => {
      for (;;) {
        const job = await pull();
        if (!job) return;
        try {
          ready.set(job.index, { ok: true, value: await fn(job.item, stopper.signal) });
        } catch (error) {
          ready.set(job.index, { ok: false, error });
          failed = true;
        }
        poke();
      }
    };

    let live = concurrency;
    const workers = Array.from({ length: concurrency }, () =>
      worker().finally(() => {
        live--;
        poke();
      }));
    let next = 0;
    try {
      for (;;) {
        const head = ready.get(next);
        if (!failed && !stopper.signal.aborted && head?.ok) {
          ready.delete(next++);
          yield head.value;
          continue;
        }
        if (live === 0) break;
        await changed();
      }
      if (stopper.signal.aborted) throw stopper.signal.reason;
      const errors = [...ready.entries()]
        .filter(([, r]) => !r.ok)
        .sort(([a], [b]) => a - b)
        .map(([, r]) => (r as { error: unknown }).error);
      if (errors.length) throw new AggregateError(errors, "pooledMap(): some calls failed");
    } finally {
      outer?.removeEventListener("abort", follow);
      if (live > 0) {
        stopper.abort(new DOMException("pooledMap() stopped", "AbortError"));
        await Promise.all(workers);
      }
      if (!exhausted) await iterator.return?.();
    }
  })();
}

/** Every outcome, in input order, through pooledMap. */
export async function mapSettled<T, R>(
  items: Items<T>,
  fn: (item: T, signal: AbortSignal) => R | Promise<R>,
  options: PoolOptions,
): Promise<PromiseSettledResult<R>[]> {
  const outcomes: PromiseSettledResult<R>[] = [];
  const never = async (item: T, signal: AbortSignal): Promise<PromiseSettledResult<R>> => {
    try {
      return { status: "fulfilled", value: await fn(item, signal) };
    } catch (reason) {
      if (signal.aborted) throw reason;
      return { status: "rejected", reason };
    }
  };
  for await (const o of pooledMap(items, never, options)) outcomes.push(o);
  return outcomes;
}
