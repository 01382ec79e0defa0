/**
 * Web Streams with back-pressure: a socket and a database cursor as readable streams, a slow
 * disk as a writable stream, a producer loop that waits for `writer.ready`, and a copy from one
 * stream to another through a transform, stopped by an `AbortSignal`.
 *
 * Each stream keeps a queue with one water mark, `highWaterMark`. `controller.desiredSize` is
 * the mark minus what is queued: while it is above 0 the stream asks its source for more
 * (`pull()`), and a writer's `ready` promise is settled; at 0 or below, the source should stop
 * and the writer should wait.
 *
 * @module
 */
import type { Cursor, Disk, Socket } from "./given_devices.ts";

/** Options of the streams that take a queue size. */
export interface QueueOptions {
  /** How many chunks the stream's queue may hold before it pushes back (a number >= 0). */
  highWaterMark?: number;
}

/** The socket as an underlying source object of its own. */
class SocketSource implements UnderlyingDefaultSource<string> {
  #paused = true;
  constructor(private readonly socket: Socket) {}
  start(controller: ReadableStreamDefaultController<string>): void {
    this.socket.ondata = (chunk) => {
      controller.enqueue(chunk);
      if (controller.desiredSize !== null && controller.desiredSize < 1) {
        this.#paused = true;
        this.socket.readStop();
      }
    };
    this.socket.onend = () => controller.close();
    this.socket.onerror = (error) => controller.error(error);
  }
  pull(): void {
    if (this.#paused) {
      this.#paused = false;
      this.socket.readStart();
    }
  }
  cancel(reason: unknown): void {
    this.socket.close(reason);
  }
}

/**
 * A readable stream over a socket (a class-based source).
 *
 * @param socket The socket.
 * @param options `highWaterMark` (default 4).
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { socketStream } from "./streams.ts";
 * import { Socket } from "./given_devices.ts";
 * socketStream(new Socket(["a"]));
 * ```
 */
export function socketStream(socket: Socket, options: QueueOptions = {}): ReadableStream<string> {
  return new ReadableStream(new SocketSource(socket), {
    highWaterMark: options.highWaterMark ?? 4,
    size: () => 1,
  });
}

/**
 * A readable stream of a cursor's rows (promise chains instead of async/await).
 *
 * @param cursor The cursor.
 * @param options `highWaterMark` (default 4).
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { cursorStream } from "./streams.ts";
 * import { Cursor } from "./given_devices.ts";
 * cursorStream(new Cursor([1]));
 * ```
 */
export function cursorStream<Row>(
  cursor: Cursor<Row>,
  options: QueueOptions = {},
): ReadableStream<Row> {
  let finished = false;
  return new ReadableStream<Row>({
    pull: (controller) =>
      cursor.next().then((next) => {
        if (!next.done) return controller.enqueue(next.value);
        finished = true;
        cursor.close();
        controller.close();
      }),
    cancel: (reason) => {
      if (!finished) cursor.close(reason);
    },
  }, { highWaterMark: options.highWaterMark ?? 4 });
}

/**
 * A writable stream onto a disk.
 *
 * @param disk The disk.
 * @param options `highWaterMark` (default 2).
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { diskSink } from "./streams.ts";
 * import { Disk } from "./given_devices.ts";
 * diskSink(new Disk());
 * ```
 */
export function diskSink(disk: Disk, options: QueueOptions = {}): WritableStream<string> {
  return new WritableStream<string>({
    write: async (chunk) => {
      await disk.write(chunk);
    },
    close: async () => {
      await disk.close();
    },
    abort: (reason) => disk.abort(reason),
  }, { highWaterMark: options.highWaterMark ?? 2 });
}

/** Options of {@linkcode writeAll}. */
export interface WriteAllOptions {
  /** Stops writing. */
  signal?: AbortSignal;
}

/**
 * Writes every chunk through a writer (the source is driven by hand).
 *
 * @param writable The stream.
 * @param source The chunks.
 * @param options `signal`.
 * @returns How many chunks were written.
 *
 * @example
 * ```ts
 * import { diskSink, writeAll } from "./streams.ts";
 * import { Disk } from "./given_devices.ts";
 * await writeAll(diskSink(new Disk()), ["a"]);
 * ```
 */
export async function writeAll<T>(
  writable: WritableStream<T>,
  source: Iterable<T> | AsyncIterable<T>,
  options: WriteAllOptions = {},
): Promise<number> {
  const signal = options.signal;
  const writer = writable.getWriter();
  const iterator = Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : (source as Iterable<T>)[Symbol.iterator]();
  let aborting: Promise<void> | undefined;
  const abortWith = (reason: unknown) => (aborting ??= writer.abort(reason).catch(() => {}));
  const onAbort = () => void abortWith(signal!.reason);
  signal?.addEventListener("abort", onAbort);
  let written = 0;
  let sourceDone = false;
  try {
    if (signal?.aborted) throw signal.reason;
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      await writer.ready;
      void writer.write(next.value).then(undefined, () => undefined);
      written += 1;
    }
    await writer.close();
    return written;
  } catch (error) {
    const reason = signal?.aborted ? signal.reason : error;
    if (!sourceDone) await iterator.return?.();
    await abortWith(reason);
    throw reason;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    writer.releaseLock();
  }
}

/** Options of {@linkcode copy}. */
export interface CopyOptions<I, O> {
  /** Changes each chunk on its way (default: none). */
  map?: (chunk: I) => O | Promise<O>;
  /** Stops the copy. */
  signal?: AbortSignal;
}

/**
 * Copies a readable stream into a writable stream by hand: a reader, a writer and a loop, with
 * the shutdown rules of pipeTo written out.
 *
 * @param source Where the chunks come from.
 * @param sink Where they go.
 * @param options `map` and `signal`.
 * @returns How many chunks were written.
 *
 * @example
 * ```ts
 * import { copy, cursorStream, diskSink } from "./streams.ts";
 * import { Cursor, Disk } from "./given_devices.ts";
 * await copy(cursorStream(new Cursor([1])), diskSink(new Disk()), { map: String });
 * ```
 */
export async function copy<I, O>(
  source: ReadableStream<I>,
  sink: WritableStream<O>,
  options: CopyOptions<I, O> = {},
): Promise<number> {
  const map = options.map ?? ((chunk: I) => chunk as unknown as O);
  const signal = options.signal;
  const reader = source.getReader();
  const writer = sink.getWriter();
  let stopping: Promise<never> | undefined;
  const stop = (reason: unknown, cancelSource: boolean, abortSink: boolean): Promise<never> =>
    stopping ??= Promise.all([
      cancelSource ? reader.cancel(reason).catch(() => {}) : undefined,
      abortSink ? writer.abort(reason).catch(() => {}) : undefined,
    ]).then(() => {
      throw reason;
    });
  let rejectAbort!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, reject) => (rejectAbort = reject));
  aborted.catch(() => {});
  const onAbort = () => rejectAbort(signal!.reason);
  signal?.addEventListener("abort", onAbort);
  let count = 0;
  try {
    if (signal?.aborted) throw signal.reason;
    for (;;) {
      let next: ReadableStreamReadResult<I>;
      try {
        next = await Promise.race([reader.read(), aborted]);
      } catch (error) {
        return await stop(signal?.aborted ? signal.reason : error, true, true);
      }
      if (next.done) break;
      let out: O;
      try {
        out = await Promise.race([Promise.resolve().then(() => map(next.value)), aborted]);
      } catch (error) {
        return await stop(signal?.aborted ? signal.reason : error, true, true);
      }
      try {
        await Promise.race([writer.ready, aborted]);
      } catch (error) {
        return await stop(signal?.aborted ? signal.reason : error, true, !!signal?.aborted);
      }
      void writer.write(out).catch(() => {});
      count++;
    }
    try {
      await Promise.race([writer.close(), aborted]);
    } catch (error) {
      return await stop(signal?.aborted ? signal.reason : error, false, !!signal?.aborted);
    }
    return count;
  } catch (error) {
    return await stop(error, true, true);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
    writer.releaseLock();
  }
}
