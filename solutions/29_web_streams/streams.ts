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

/**
 * A readable stream of the chunks a socket pushes, with back-pressure: the socket is paused
 * (`readStop()`) as soon as the queue is full (`desiredSize <= 0`) and resumed (`readStart()`)
 * when the stream asks for more (`pull()`). The socket's end closes the stream, its error errors
 * it at once (dropping the chunks still queued), and cancelling the stream closes the socket with
 * the cancel reason.
 *
 * @param socket The socket (paused until the stream first asks for data).
 * @param options `highWaterMark` (default 4 chunks).
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { socketStream } from "./streams.ts";
 * import { Socket } from "./given_devices.ts";
 * for await (const chunk of socketStream(new Socket(["a", "b"]))) console.log(chunk);
 * ```
 */
export function socketStream(
  socket: Socket,
  options: QueueOptions = {},
): ReadableStream<string> {
  const { highWaterMark = 4 } = options;
  return new ReadableStream<string>({
    start(controller) {
      socket.ondata = (chunk) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) socket.readStop();
      };
      socket.onend = () => controller.close();
      socket.onerror = (error) => controller.error(error);
    },
    pull() {
      socket.readStart();
    },
    cancel(reason) {
      socket.close(reason);
    },
  }, new CountQueuingStrategy({ highWaterMark }));
}

/**
 * A readable stream of a cursor's rows, pulled one at a time: `cursor.next()` is called only
 * when the stream asks for more (`desiredSize > 0`), never twice at once. After the last row the
 * stream closes and so does the cursor; cancelling the stream closes the cursor with the cancel
 * reason; a failing `next()` errors the stream with its error.
 *
 * @param cursor The cursor.
 * @param options `highWaterMark` (default 4 rows).
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { cursorStream } from "./streams.ts";
 * import { Cursor } from "./given_devices.ts";
 * const reader = cursorStream(new Cursor([1, 2])).getReader();
 * await reader.read(); // { done: false, value: 1 }
 * ```
 */
export function cursorStream<Row>(
  cursor: Cursor<Row>,
  options: QueueOptions = {},
): ReadableStream<Row> {
  const { highWaterMark = 4 } = options;
  return new ReadableStream<Row>({
    async pull(controller) {
      const next = await cursor.next();
      if (next.done) {
        controller.close();
        cursor.close();
      } else {
        controller.enqueue(next.value);
      }
    },
    cancel(reason) {
      cursor.close(reason);
    },
  }, new CountQueuingStrategy({ highWaterMark }));
}

/**
 * A writable stream onto a slow disk: one `disk.write()` at a time, in order, with up to
 * `highWaterMark` chunks queued before `writer.ready` makes the producer wait. Closing the
 * stream closes the disk after the last write; aborting it aborts the disk with the reason.
 *
 * @param disk The disk.
 * @param options `highWaterMark` (default 2 chunks).
 * @returns The stream.
 *
 * @example
 * ```ts
 * import { diskSink } from "./streams.ts";
 * import { Disk } from "./given_devices.ts";
 * const writer = diskSink(new Disk()).getWriter();
 * await writer.write("a");
 * await writer.close();
 * ```
 */
export function diskSink(disk: Disk, options: QueueOptions = {}): WritableStream<string> {
  const { highWaterMark = 2 } = options;
  return new WritableStream<string>({
    write(chunk) {
      return disk.write(chunk);
    },
    close() {
      return disk.close();
    },
    abort(reason) {
      disk.abort(reason);
    },
  }, new CountQueuingStrategy({ highWaterMark }));
}

/** Options of {@linkcode writeAll}. */
export interface WriteAllOptions {
  /** Stops writing: the stream is aborted with `signal.reason` and the call rejects with it. */
  signal?: AbortSignal;
}

/**
 * Writes every chunk of a source to a writable stream by hand, the way `pipeTo` does it: waits
 * for `writer.ready` before each write (the `await writer.drain()` of asyncio), does not wait for
 * each write to finish, and closes the stream at the end. If the source throws or a write fails,
 * the stream is aborted (a failed write has already errored it) and the call rejects with that
 * error. A signal that is already aborted, or that aborts during the loop, aborts the stream with
 * `signal.reason` at once, even while the loop waits for `ready`, and the call rejects with
 * `signal.reason`. The writer's lock and the
 * abort listener are released on every path, and a source stopped early is closed.
 *
 * @param writable The stream to write to.
 * @param source The chunks (an iterable or an async iterable).
 * @param options `signal`.
 * @returns How many chunks were written.
 *
 * @example
 * ```ts
 * import { diskSink, writeAll } from "./streams.ts";
 * import { Disk } from "./given_devices.ts";
 * await writeAll(diskSink(new Disk()), ["a", "b", "c"]); // 3
 * ```
 */
export async function writeAll<T>(
  writable: WritableStream<T>,
  source: Iterable<T> | AsyncIterable<T>,
  options: WriteAllOptions = {},
): Promise<number> {
  const { signal } = options;
  const writer = writable.getWriter();
  // Abort at once, so that the sink learns it and a pending `ready` rejects.
  const onAbort = () => void writer.abort(signal!.reason).catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  let count = 0;
  try {
    signal?.throwIfAborted();
    for await (const chunk of source) {
      await writer.ready;
      // Not awaited: the stream queues it; a failure shows up in the next `ready` or in close().
      writer.write(chunk).catch(() => {});
      count++;
    }
    await writer.close();
    return count;
  } catch (error) {
    const reason = signal?.aborted ? signal.reason : error;
    await writer.abort(reason).catch(() => {});
    throw reason;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    writer.releaseLock();
  }
}

/** Options of {@linkcode copy}. */
export interface CopyOptions<I, O> {
  /** Changes each chunk on its way (default: none). Called one chunk at a time. */
  map?: (chunk: I) => O | Promise<O>;
  /** Stops the copy: see `pipeTo()`. */
  signal?: AbortSignal;
}

/**
 * Copies a readable stream into a writable stream through a transform that applies `map`
 * (`source.pipeThrough(transform).pipeTo(sink, { signal })`). The copy keeps the back-pressure
 * of both ends, buffers nothing beyond the streams' water marks, and resolves with how many
 * chunks it copied once the sink is closed. An abort of the signal cancels the source and
 * aborts the sink with `signal.reason`, and the copy rejects with it; an error anywhere (source,
 * `map`, sink) cancels or aborts the other end with that error and the copy rejects with it.
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
 * await copy(cursorStream(new Cursor([1, 2])), diskSink(new Disk()), { map: String }); // 2
 * ```
 */
export async function copy<I, O>(
  source: ReadableStream<I>,
  sink: WritableStream<O>,
  options: CopyOptions<I, O> = {},
): Promise<number> {
  const { map = (chunk: I) => chunk as unknown as O, signal } = options;
  let count = 0;
  const transform = new TransformStream<I, O>({
    async transform(chunk, controller) {
      controller.enqueue(await map(chunk));
      count++;
    },
  });
  await source.pipeThrough(transform).pipeTo(sink, { signal });
  return count;
}
