/**
 * Hidden tests for 29_web_streams: run by the grader (`deno task grade 29`), not by `bun test` or
 * `deno test`. They pin every behaviour the README promises, in virtual time.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isNotImplemented, rejectsWith, withClock } from "../../lib/mod.ts";
import { copy, cursorStream, diskSink, socketStream, writeAll } from "./streams.ts";
import { Cursor, Disk, Socket } from "./given_devices.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "c0", "c1", ... */
const chunks = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

/** 0, 1, 2, ... n-1. */
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Reads a stream to its end. */
async function readAll<T>(stream: ReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

/** Calls `start()` and fails in the learner's terms if it throws instead of returning a promise. */
function callAsync<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return start();
  } catch (error) {
    if (isNotImplemented(error)) throw error;
    assert.fail(
      `${what} must return a rejected promise, not throw synchronously; it threw ${String(error)}`,
    );
  }
}

/**
 * An AbortController whose signal counts the abort listeners added to it and not yet removed
 * (a listener added with `{ once: true }` counts as removed once the signal has aborted).
 */
function countingController(): { controller: AbortController; active: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Map<unknown, boolean>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") {
        live.set(listener, typeof opts === "object" && !!(opts as AddEventListenerOptions)?.once);
      }
      add(type, listener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
  signal.removeEventListener =
    ((type: string, listener: EventListenerOrEventListenerObject, opts?: unknown) => {
      if (type === "abort") live.delete(listener);
      remove(type, listener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
  const active = () => [...live.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, active };
}

describe("task 1: socketStream()", () => {
  it(
    "socketStream() with highWaterMark 2 lets the socket push 2 chunks, then pauses it",
    withClock(async () => {
      const socket = new Socket(chunks(20));
      const _stream = socketStream(socket, { highWaterMark: 2 });
      await sleep(500);
      assert.equal(
        socket.emitted,
        2,
        `highWaterMark 2: 2 chunks, then a pause; it pushed ${socket.emitted}`,
      );
      assert.equal(
        socket.stops,
        1,
        `the socket is paused once; readStop() paused it ${socket.stops} times`,
      );
    }),
  );

  it(
    "socketStream() with highWaterMark 0 starts the socket only when someone reads",
    withClock(async () => {
      const socket = new Socket(chunks(5));
      const reader = socketStream(socket, { highWaterMark: 0 }).getReader();
      await sleep(500);
      assert.equal(
        socket.starts,
        0,
        `highWaterMark 0 wants nothing ahead: the socket must not start before a read; it started ${socket.starts} times`,
      );
      const first = await reader.read();
      assert.deepEqual(first, { done: false, value: "c0" }, "the read gets the first chunk");
      await sleep(500);
      assert.equal(
        socket.emitted,
        1,
        `after one read with highWaterMark 0, nothing more is wanted; the socket pushed ${socket.emitted} chunks`,
      );
      assert.equal(socket.reading, false, "the socket must be paused again after the read");
    }),
  );

  it(
    "socketStream() never queues more than highWaterMark chunks for a slow reader",
    withClock(async () => {
      const socket = new Socket(chunks(30)); // a chunk every 10 ms
      const reader = socketStream(socket).getReader(); // highWaterMark 4
      let read = 0;
      let maxQueued = 0;
      for (;;) {
        maxQueued = Math.max(maxQueued, socket.emitted - read);
        const { done } = await reader.read();
        if (done) break;
        read++;
        await sleep(25); // the reader is slower than the socket
      }
      assert.equal(read, 30, `every chunk is read in the end; ${read} were`);
      assert.ok(
        maxQueued <= 4,
        `with highWaterMark 4 the socket must pause before a 5th chunk is queued; up to ${maxQueued} were`,
      );
    }),
  );

  it(
    "socketStream() pauses and resumes the socket as the reader catches up, and still delivers everything",
    withClock(async () => {
      const socket = new Socket(chunks(12));
      const reader = socketStream(socket, { highWaterMark: 3 }).getReader();
      const got: string[] = [];
      await sleep(200);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        got.push(value);
        if (got.length % 3 === 0) await sleep(200);
      }
      assert.deepEqual(got, chunks(12), `every chunk in order; yours gave [${got}]`);
      assert.ok(
        socket.stops >= 3,
        `the socket must be paused each time the queue fills; it was paused ${socket.stops} times`,
      );
      assert.equal(
        socket.starts,
        socket.stops + 1,
        `each pause is followed by one resume (plus the first start); starts ${socket.starts}, stops ${socket.stops}`,
      );
    }),
  );

  it(
    "socketStream() closes the socket with the reason when the stream is cancelled",
    withClock(async (clock) => {
      const socket = new Socket(chunks(20));
      const stream = socketStream(socket);
      await sleep(25);
      const reason = new Error("not interested any more");
      await stream.cancel(reason);
      assert.equal(socket.closed, true, "cancelling the stream must close the socket");
      assert.equal(
        socket.closeReason,
        reason,
        `the socket must be closed with the cancel reason itself; it got ${
          String(socket.closeReason)
        }`,
      );
      assert.deepEqual(clock.pending(), [], "a closed socket leaves no timer behind");
    }),
  );

  it(
    "socketStream() delivers the chunks read before the socket's error, then rejects with it",
    withClock(async () => {
      const broken = new Error("connection reset");
      const socket = new Socket(["a", "b"], { error: broken });
      const reader = socketStream(socket).getReader();
      assert.deepEqual(await reader.read(), { done: false, value: "a" }, "the first chunk arrives");
      assert.deepEqual(
        await reader.read(),
        { done: false, value: "b" },
        "the second chunk arrives",
      );
      await rejectsWith(reader.read(), { is: broken }, "the read after the socket failed");
    }),
  );

  it(
    "socketStream() errors at once on the socket's error: the chunks still queued are dropped",
    withClock(async () => {
      const broken = new Error("connection reset");
      const socket = new Socket(["a", "b", "c"], { error: broken });
      const reader = socketStream(socket).getReader(); // highWaterMark 4: b and c wait in the queue
      assert.deepEqual(await reader.read(), { done: false, value: "a" }, "the first chunk arrives");
      await sleep(100); // b at t=20, c at t=30, the error at t=40
      await rejectsWith(
        reader.read(),
        { is: broken },
        "the first read after the socket failed, with b and c still queued (controller.error() drops them, as the README says)",
      );
    }),
  );

  it(
    "socketStream() of an empty socket ends at once",
    withClock(async () => {
      const got = await readAll(socketStream(new Socket([])));
      assert.deepEqual(
        got,
        [],
        `a socket with no chunks gives an empty stream; yours gave [${got}]`,
      );
    }),
  );
});

describe("task 2: cursorStream()", () => {
  it(
    "cursorStream() with highWaterMark 0 fetches a row only when someone reads",
    withClock(async () => {
      const cursor = new Cursor([1, 2, 3]);
      const reader = cursorStream(cursor, { highWaterMark: 0 }).getReader();
      await sleep(100);
      assert.equal(
        cursor.requests,
        0,
        `nothing is wanted ahead: next() must wait for a read; it was called ${cursor.requests} times`,
      );
      assert.deepEqual(
        await reader.read(),
        { done: false, value: 1 },
        "the read gets the first row",
      );
      await sleep(100);
      assert.equal(
        cursor.requests,
        1,
        `one read, one next(); yours called it ${cursor.requests} times`,
      );
    }),
  );

  it(
    "cursorStream() with highWaterMark 2 keeps 2 rows ahead of the reader",
    withClock(async () => {
      const cursor = new Cursor(range(10));
      const reader = cursorStream(cursor, { highWaterMark: 2 }).getReader();
      await sleep(100);
      assert.equal(
        cursor.requests,
        2,
        `2 rows ahead before any read; next() was called ${cursor.requests} times`,
      );
      await reader.read();
      await sleep(100);
      assert.equal(
        cursor.requests,
        3,
        `one row read, one more fetched; next() was called ${cursor.requests} times`,
      );
    }),
  );

  it(
    "cursorStream() never calls next() twice at once, even for a fast reader",
    withClock(async () => {
      const cursor = new Cursor(range(20));
      const rows = await readAll(cursorStream(cursor, { highWaterMark: 8 }));
      assert.deepEqual(rows, range(20), "every row, in order");
      assert.equal(
        cursor.maxInFlight,
        1,
        `next() must run one at a time; yours ran ${cursor.maxInFlight} at once`,
      );
    }),
  );

  it(
    "cursorStream() stops calling next() once the cursor is done",
    withClock(async () => {
      const cursor = new Cursor(["a", "b"]);
      const rows = await readAll(cursorStream(cursor));
      await sleep(100);
      assert.deepEqual(rows, ["a", "b"], `every row; yours gave [${rows}]`);
      assert.equal(
        cursor.requests,
        3,
        `two rows and one "done": three next() calls, none after the end; yours made ${cursor.requests}`,
      );
      assert.equal(cursor.closed, true, "the cursor must be closed after its last row");
    }),
  );

  it(
    "cursorStream() stops fetching once the stream is cancelled",
    withClock(async () => {
      const cursor = new Cursor(range(20));
      const reader = cursorStream(cursor).getReader();
      await reader.read();
      const reason = "cancelled";
      await reader.cancel(reason);
      const requests = cursor.requests;
      await sleep(200);
      assert.equal(
        cursor.requests,
        requests,
        "no next() may be called after the stream was cancelled",
      );
      assert.equal(
        cursor.closeReason,
        reason,
        "the cursor is closed with the cancel reason itself",
      );
    }),
  );

  it(
    "cursorStream() errors the stream with the error of a failing next()",
    withClock(async () => {
      const broken = new Error("row 2 is corrupt");
      const cursor = new Cursor([1, 2, 3], { failAt: 1, error: broken });
      const reader = cursorStream(cursor).getReader();
      assert.deepEqual(await reader.read(), { done: false, value: 1 }, "the first row arrives");
      await rejectsWith(reader.read(), { is: broken }, "the read after next() failed");
    }),
  );

  it(
    "cursorStream() of an empty cursor ends at once and closes the cursor",
    withClock(async () => {
      const cursor = new Cursor<number>([]);
      const rows = await readAll(cursorStream(cursor));
      assert.deepEqual(rows, [], `no rows; yours gave [${rows}]`);
      assert.equal(cursor.closed, true, "the cursor must be closed at the end");
    }),
  );
});

describe("task 3: diskSink()", () => {
  it(
    "diskSink() with highWaterMark 4 lets 4 chunks queue before ready waits",
    withClock(async () => {
      const writer = diskSink(new Disk(), { highWaterMark: 4 }).getWriter();
      assert.equal(
        writer.desiredSize,
        4,
        `desiredSize starts at highWaterMark (4); yours is ${writer.desiredSize}`,
      );
      for (const chunk of chunks(4)) void writer.write(chunk);
      assert.equal(
        writer.desiredSize,
        0,
        `4 chunks queued: desiredSize 0; yours is ${writer.desiredSize}`,
      );
      await writer.close();
    }),
  );

  it(
    "diskSink() with highWaterMark 0 keeps 0: ready waits from the start",
    withClock(async () => {
      const disk = new Disk();
      const writer = diskSink(disk, { highWaterMark: 0 }).getWriter();
      assert.equal(
        writer.desiredSize,
        0,
        `highWaterMark 0 is a valid queue size (no chunk ahead), not a missing one: desiredSize 0; yours is ${writer.desiredSize}`,
      );
      await writer.write("a");
      await writer.close();
      assert.deepEqual(
        disk.written,
        ["a"],
        `a write still goes through; the disk got [${disk.written}]`,
      );
    }),
  );

  it(
    "diskSink() never writes two chunks at once, whatever the producer does",
    withClock(async () => {
      const disk = new Disk();
      const writer = diskSink(disk, { highWaterMark: 10 }).getWriter();
      const writes = chunks(6).map((chunk) => writer.write(chunk));
      await Promise.all(writes);
      await writer.close();
      assert.equal(
        disk.maxInFlight,
        1,
        `the disk must get one write at a time; yours got ${disk.maxInFlight} at once`,
      );
      assert.deepEqual(disk.written, chunks(6), `in order; the disk got [${disk.written}]`);
    }),
  );

  it(
    "diskSink() closes the disk only after the last write",
    withClock(async (clock) => {
      const disk = new Disk();
      const writer = diskSink(disk).getWriter();
      void writer.write("a");
      void writer.write("b");
      const closing = writer.close();
      await sleep(30);
      assert.equal(disk.closed, false, "the disk must not be closed while writes are pending");
      await closing;
      assert.equal(disk.closed, true, "the disk is closed once close() resolves");
      assert.equal(
        clock.now(),
        60,
        `two writes and the close, 20 ms each: t=60; yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "diskSink() errors the stream when a disk write fails, and writes nothing after it",
    withClock(async () => {
      const full = new Error("disk full");
      const disk = new Disk({ failAt: 1, error: full });
      const writer = diskSink(disk).getWriter();
      const results = chunks(4).map((chunk) => writer.write(chunk).then(() => "ok", (e) => e));
      await rejectsWith(writer.close(), { is: full }, "close() after a failed write");
      const settled = await Promise.all(results);
      assert.equal(settled[0], "ok", "the first write succeeded");
      assert.equal(settled[1], full, "the failing write rejects with the disk's error");
      assert.deepEqual(
        disk.written,
        ["c0"],
        `nothing is written after the failure; the disk got [${disk.written}]`,
      );
      assert.equal(disk.writes, 2, `no write may be tried after the failure; ${disk.writes} were`);
    }),
  );

  it(
    "diskSink() aborted while writes are queued drops them and aborts the disk",
    withClock(async () => {
      const disk = new Disk();
      const stream = diskSink(disk, { highWaterMark: 4 });
      const writer = stream.getWriter();
      const results = chunks(4).map((chunk) =>
        writer.write(chunk).then(() => "ok", () => "dropped")
      );
      await sleep(5);
      const reason = new Error("stop");
      await writer.abort(reason);
      await Promise.all(results);
      assert.equal(disk.abortReason, reason, "the disk is aborted with the reason itself");
      assert.ok(
        disk.writes <= 1,
        `queued chunks are dropped, not written; ${disk.writes} writes were made`,
      );
    }),
  );
});

describe("task 4: writeAll()", () => {
  it(
    "writeAll() takes an async iterable too",
    withClock(async () => {
      async function* slowly() {
        for (const chunk of ["x", "y", "z"]) {
          await sleep(5);
          yield chunk;
        }
      }
      const disk = new Disk();
      const count = await writeAll(diskSink(disk), slowly());
      assert.equal(count, 3, `3 chunks; yours returned ${count}`);
      assert.deepEqual(disk.written, ["x", "y", "z"], `the disk got [${disk.written}]`);
    }),
  );

  it(
    "writeAll() of no chunks closes the stream and returns 0",
    withClock(async () => {
      const disk = new Disk();
      const count = await writeAll(diskSink(disk), []);
      assert.equal(count, 0, `no chunks: 0; yours returned ${count}`);
      assert.equal(disk.closed, true, "the stream is closed even with nothing to write");
    }),
  );

  it(
    "writeAll() does not wait for each write: the source makes the next chunk while the disk writes",
    withClock(async (clock) => {
      async function* slowSource() {
        for (const chunk of chunks(5)) {
          await sleep(10); // each chunk takes 10 ms to make
          yield chunk;
        }
      }
      const disk = new Disk(); // each write takes 20 ms
      await writeAll(diskSink(disk), slowSource());
      assert.deepEqual(disk.written, chunks(5), `the disk got [${disk.written}]`);
      assert.equal(
        clock.now(),
        130,
        `the disk writes back to back from t=10 while the source works: done at t=110, closed at t=130; yours ended at t=${clock.now()} (t=180 means each write was awaited before the next chunk was made)`,
      );
    }),
  );

  it(
    "writeAll() with an already aborted signal writes nothing and aborts the stream",
    withClock(async () => {
      const disk = new Disk();
      const stream = diskSink(disk);
      const reason = new Error("too late");
      await rejectsWith(
        callAsync(
          () => writeAll(stream, chunks(3), { signal: AbortSignal.abort(reason) }),
          "writeAll() with an aborted signal",
        ),
        { is: reason },
        "writeAll(stream, chunks, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(disk.writes, 0, `nothing may be written; ${disk.writes} writes were made`);
      assert.equal(
        disk.abortReason,
        reason,
        "the stream is aborted with the reason, as pipeTo() does",
      );
      assert.equal(stream.locked, false, "the writer's lock must be released");
      let taken = 0;
      function* counted() {
        for (const chunk of chunks(3)) {
          taken++;
          yield chunk;
        }
      }
      await rejectsWith(
        callAsync(
          () => writeAll(diskSink(new Disk()), counted(), { signal: AbortSignal.abort(reason) }),
          "writeAll() with an aborted signal",
        ),
        { is: reason },
        "writeAll(stream, generator, { signal: AbortSignal.abort(reason) })",
      );
      assert.equal(
        taken,
        0,
        `an aborted signal is checked before the first chunk is taken; your writeAll() took ${taken} from the source`,
      );
    }),
  );

  it(
    "writeAll() aborted while it waits for ready drops the queued chunks: only the write in progress ends",
    withClock(async (clock) => {
      const disk = new Disk({ latencyMs: 100 });
      const controller = new AbortController();
      const reason = new Error("stop now");
      setTimeout(() => controller.abort(reason), 30); // c0 is being written, c1 waits in the queue
      await rejectsWith(
        writeAll(diskSink(disk), chunks(10), { signal: controller.signal }),
        { is: reason },
        "writeAll() aborted while waiting for ready",
      );
      assert.deepEqual(
        disk.written,
        ["c0"],
        `the abort must reach the stream at once, so that the queued chunk is dropped; the disk wrote [${disk.written}]`,
      );
      assert.equal(
        disk.writes,
        1,
        `only the write in progress may end; ${disk.writes} writes were started`,
      );
      assert.equal(disk.abortReason, reason, "the disk is aborted with the reason itself");
      assert.equal(
        clock.now(),
        100,
        `writeAll() rejects once the stream is aborted, when the write in progress ends (t=100); yours at t=${clock.now()}`,
      );
    }),
  );

  it(
    "writeAll() aborts the stream with the source's error, rejects with it and closes nothing",
    withClock(async () => {
      const broken = new Error("the source failed");
      function* failing() {
        yield "a";
        yield "b";
        throw broken;
      }
      const disk = new Disk();
      const stream = diskSink(disk);
      await rejectsWith(
        writeAll(stream, failing()),
        { is: broken },
        "writeAll() from a failing source",
      );
      assert.equal(disk.abortReason, broken, "the stream is aborted with the source's error");
      assert.equal(
        disk.closed,
        false,
        "a failed copy must not close the disk as if it were complete",
      );
      assert.equal(stream.locked, false, "the writer's lock must be released");
    }),
  );

  it(
    "writeAll() rejects with a failed write's error and closes the source",
    withClock(async () => {
      const full = new Error("disk full");
      const disk = new Disk({ failAt: 1, error: full });
      let closed = false;
      function* produce() {
        try {
          yield* chunks(10);
        } finally {
          closed = true;
        }
      }
      const stream = diskSink(disk);
      await rejectsWith(
        writeAll(stream, produce()),
        { is: full },
        "writeAll() onto a disk that fails",
      );
      assert.equal(
        closed,
        true,
        "the source must be closed (its finally runs) when writing stops early",
      );
      assert.equal(stream.locked, false, "the writer's lock must be released");
    }),
  );

  it(
    "writeAll() releases the writer's lock after success, and leaves no abort listener",
    withClock(async () => {
      const { controller, active } = countingController();
      const stream = diskSink(new Disk());
      await writeAll(stream, chunks(3), { signal: controller.signal });
      assert.equal(stream.locked, false, "the stream must be unlocked once writeAll() is done");
      assert.equal(active(), 0, `writeAll() must remove its abort listener; ${active()} left`);
    }),
  );

  it(
    "writeAll() leaves no abort listener after an abort or a failure",
    withClock(async () => {
      const aborted = countingController();
      setTimeout(() => aborted.controller.abort(), 30);
      await rejectsWith(
        writeAll(diskSink(new Disk()), chunks(10), { signal: aborted.controller.signal }),
        { name: "AbortError" },
        "writeAll() aborted at t=30",
      );
      assert.equal(
        aborted.active(),
        0,
        `no abort listener may be left after an abort; ${aborted.active()} left`,
      );
      const failed = countingController();
      await rejectsWith(
        writeAll(diskSink(new Disk({ failAt: 0 })), chunks(3), {
          signal: failed.controller.signal,
        }),
        { message: "disk full" },
        "writeAll() onto a failing disk",
      );
      assert.equal(
        failed.active(),
        0,
        `no abort listener may be left after a failure; ${failed.active()} left`,
      );
    }),
  );
});

describe("task 5: copy()", () => {
  it(
    "copy() without map copies the chunks as they are",
    withClock(async () => {
      const disk = new Disk();
      const count = await copy(socketStream(new Socket(["a", "b"])), diskSink(disk));
      assert.equal(count, 2, `2 chunks; yours returned ${count}`);
      assert.deepEqual(disk.written, ["a", "b"], `the disk got [${disk.written}]`);
    }),
  );

  it(
    "copy() calls an async map one chunk at a time, in order",
    withClock(async () => {
      let running = 0;
      let maxRunning = 0;
      const map = async (n: number) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await sleep(7);
        running--;
        return `#${n}`;
      };
      const disk = new Disk({ latencyMs: 1 });
      await copy(cursorStream(new Cursor(range(6), { latencyMs: 1 })), diskSink(disk), { map });
      assert.equal(
        maxRunning,
        1,
        `map must run one chunk at a time; yours ran ${maxRunning} at once`,
      );
      assert.deepEqual(
        disk.written,
        range(6).map((n) => `#${n}`),
        `the disk got [${disk.written}]`,
      );
    }),
  );

  it(
    "copy() buffers nothing beyond the water marks between a fast source and a slow sink",
    withClock(async () => {
      const cursor = new Cursor(range(40), { latencyMs: 1 });
      const disk = new Disk({ latencyMs: 20 });
      let maxGap = 0;
      const watch = setInterval(() => {
        maxGap = Math.max(maxGap, cursor.fetched - disk.written.length);
      }, 1);
      await copy(cursorStream(cursor, { highWaterMark: 2 }), diskSink(disk, { highWaterMark: 2 }), {
        map: String,
      });
      clearInterval(watch);
      assert.equal(disk.written.length, 40, "all 40 rows reach the disk");
      assert.ok(
        maxGap <= 7,
        `source and sink hold 2 + 2, the transform 1, plus a chunk in each hand: at most 7 rows fetched and not yet written; yours had ${maxGap}`,
      );
    }),
  );

  it(
    "copy() stopped by its signal rejects at the abort, and the sink writes nothing more",
    withClock(async (clock) => {
      const disk = new Disk();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await rejectsWith(
        copy(cursorStream(new Cursor(range(20))), diskSink(disk), {
          map: String,
          signal: controller.signal,
        }),
        { name: "AbortError" },
        "copy() aborted at t=50",
      );
      const written = disk.written.length;
      await sleep(200);
      assert.equal(disk.written.length, written, "nothing may be written after the abort");
      assert.ok(clock.now() >= 50, "the copy ran until the abort");
    }),
  );

  it(
    "copy() with an already aborted signal copies nothing and closes both ends with the reason",
    withClock(async () => {
      const cursor = new Cursor(range(5));
      const disk = new Disk();
      const reason = new Error("never mind");
      await rejectsWith(
        callAsync(
          () =>
            copy(cursorStream(cursor, { highWaterMark: 0 }), diskSink(disk), {
              map: String,
              signal: AbortSignal.abort(reason),
            }),
          "copy() with an aborted signal",
        ),
        { is: reason },
        "copy(source, sink, { signal: AbortSignal.abort(reason) })",
      );
      await sleep(10); // let a row fetch already under way end
      assert.equal(disk.writes, 0, `nothing may be written; ${disk.writes} writes were made`);
      assert.equal(cursor.closeReason, reason, "the source is cancelled with the reason");
      assert.equal(disk.abortReason, reason, "the sink is aborted with the reason");
    }),
  );

  it(
    "copy() rejects with the sink's error and cancels the source with it",
    withClock(async () => {
      const full = new Error("disk full");
      const cursor = new Cursor(range(20));
      await rejectsWith(
        copy(cursorStream(cursor), diskSink(new Disk({ failAt: 2, error: full })), { map: String }),
        { is: full },
        "copy() onto a disk that fails",
      );
      assert.equal(cursor.closeReason, full, "the source must be cancelled with the sink's error");
    }),
  );

  it(
    "copy() rejects with map's error and closes both ends with it",
    withClock(async () => {
      const bad = new Error("row 3 cannot be converted");
      const cursor = new Cursor(range(10));
      const disk = new Disk();
      const map = (n: number) => {
        if (n === 3) throw bad;
        return String(n);
      };
      await rejectsWith(
        copy(cursorStream(cursor), diskSink(disk), { map }),
        { is: bad },
        "copy() whose map throws",
      );
      assert.equal(cursor.closeReason, bad, "the source is cancelled with map's error");
      assert.equal(disk.abortReason, bad, "the sink is aborted with map's error");
    }),
  );

  it(
    "copy() rejects with an async map's rejection",
    withClock(async () => {
      const bad = new Error("lookup failed");
      const map = async (n: number) => {
        await sleep(1);
        if (n === 1) throw bad;
        return String(n);
      };
      const disk = new Disk();
      await rejectsWith(copy(cursorStream(new Cursor(range(5))), diskSink(disk), { map }), {
        is: bad,
      }, "copy() whose async map rejects");
      assert.equal(disk.abortReason, bad, "the sink is aborted with map's error");
    }),
  );

  it(
    "copy() returns how many chunks reached the sink, and closes the source at its end",
    withClock(async () => {
      const cursor = new Cursor(range(7));
      const disk = new Disk({ latencyMs: 3 });
      const count = await copy(cursorStream(cursor), diskSink(disk), { map: String });
      assert.equal(count, 7, `7 rows; yours returned ${count}`);
      assert.equal(disk.written.length, 7, "all 7 rows were written");
      assert.equal(cursor.closed, true, "the cursor is closed at the end");
      assert.equal(disk.closed, true, "the disk is closed at the end");
    }),
  );
});
