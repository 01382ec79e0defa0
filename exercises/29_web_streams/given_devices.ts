// GIVEN: simulated devices for the streams of this exercise (a socket, a database cursor, a slow disk); you do not edit them
/**
 * Three simulated devices, all on the global `setTimeout`, so they run in virtual time in the
 * tests. Each one records what was done to it, for the tests to check.
 *
 * - {@linkcode Socket}: a push source with flow control, like a TCP socket. While it is reading it
 *   pushes one chunk every `intervalMs` to `ondata`; `readStop()` pauses it and `readStart()`
 *   resumes it.
 * - {@linkcode Cursor}: a pull source, like a database cursor. Each `next()` fetches one row after
 *   `latencyMs`.
 * - {@linkcode Disk}: a slow sink. Each `write()` takes `latencyMs`.
 *
 * @module
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Options of {@linkcode Socket}. */
export interface SocketOptions {
  /** Virtual ms between two chunks while reading (default 10). */
  intervalMs?: number;
  /** When given, the socket fails with this error instead of ending, after its last chunk. */
  error?: unknown;
}

/**
 * A socket that pushes chunks. It starts paused: nothing arrives before the first `readStart()`.
 *
 * @example
 * ```ts
 * import { Socket } from "./given_devices.ts";
 * const socket = new Socket(["a", "b"]);
 * socket.ondata = (chunk) => console.log(chunk);
 * socket.onend = () => console.log("end");
 * socket.readStart(); // "a" at t=10, "b" at t=20, "end" at t=30
 * ```
 */
export class Socket {
  /** Called with each chunk while reading. */
  ondata: (chunk: string) => void = () => {};
  /** Called once after the last chunk (unless the socket fails). */
  onend: () => void = () => {};
  /** Called once with `options.error` after the last chunk, when one was given. */
  onerror: (error: unknown) => void = () => {};
  /** Chunks pushed so far. */
  emitted = 0;
  /** How many times `readStart()` resumed a paused socket. */
  starts = 0;
  /** How many times `readStop()` paused a reading socket. */
  stops = 0;
  /** True once `close()` was called. */
  closed = false;
  /** The reason given to `close()`. */
  closeReason: unknown = undefined;
  readonly #chunks: readonly string[];
  readonly #intervalMs: number;
  readonly #error: unknown;
  readonly #failing: boolean;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #done = false;

  /**
   * @param chunks The chunks the socket will push, in order.
   * @param options `intervalMs` and `error`.
   */
  constructor(chunks: readonly string[], options: SocketOptions = {}) {
    this.#chunks = chunks;
    this.#intervalMs = options.intervalMs ?? 10;
    this.#failing = "error" in options;
    this.#error = options.error;
  }

  /** True while the socket is pushing chunks. */
  get reading(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts or resumes pushing. Calling it while reading, or after the end, does nothing. */
  readStart(): void {
    if (this.#timer !== undefined || this.#done || this.closed) return;
    this.starts++;
    this.#arm();
  }

  /** Pauses pushing (no timer is left while paused). Calling it while paused does nothing. */
  readStop(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.stops++;
  }

  /** Closes the socket for good: no more chunks, no end, no error. */
  close(reason?: unknown): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.closed = true;
    this.closeReason = reason;
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.emitted < this.#chunks.length) {
        const chunk = this.#chunks[this.emitted++]!;
        this.#arm(); // keep reading unless ondata pauses us
        this.ondata(chunk);
        return;
      }
      this.#done = true;
      if (this.#failing) this.onerror(this.#error);
      else this.onend();
    }, this.#intervalMs);
  }
}

/** Options of {@linkcode Cursor}. */
export interface CursorOptions {
  /** Virtual ms each `next()` takes (default 5). */
  latencyMs?: number;
  /** When given, the `next()` call with this 0-based number rejects with `error`. */
  failAt?: number;
  /** The error of `failAt` (default: an Error "cursor failed"). */
  error?: unknown;
}

/**
 * A database cursor: each `next()` fetches one row.
 *
 * @example
 * ```ts
 * import { Cursor } from "./given_devices.ts";
 * const cursor = new Cursor([1, 2]);
 * await cursor.next(); // { done: false, value: 1 } at t=5
 * ```
 */
export class Cursor<Row> {
  /** How many `next()` calls were made. */
  requests = 0;
  /** How many `next()` calls are running now. */
  inFlight = 0;
  /** The most `next()` calls that ran at the same time. */
  maxInFlight = 0;
  /** True once `close()` was called. */
  closed = false;
  /** The reason given to `close()`. */
  closeReason: unknown = undefined;
  readonly #rows: readonly Row[];
  readonly #latencyMs: number;
  readonly #failAt: number | undefined;
  readonly #error: unknown;
  #position = 0;

  /**
   * @param rows The rows, in order.
   * @param options `latencyMs`, `failAt` and `error`.
   */
  constructor(rows: readonly Row[], options: CursorOptions = {}) {
    this.#rows = rows;
    this.#latencyMs = options.latencyMs ?? 5;
    this.#failAt = options.failAt;
    this.#error = options.error ?? new Error("cursor failed");
  }

  /** Rows fetched so far. */
  get fetched(): number {
    return this.#position;
  }

  /**
   * Fetches the next row after `latencyMs`.
   *
   * @returns `{ done: false, value }`, or `{ done: true }` after the last row.
   * @throws Rejects when the cursor is closed, or with `error` at `failAt`.
   */
  async next(): Promise<IteratorResult<Row, undefined>> {
    const call = this.requests++;
    if (this.closed) throw new Error("Cursor.next() called on a closed cursor");
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(this.#latencyMs);
      if (call === this.#failAt) throw this.#error;
      if (this.closed) throw new Error("the cursor was closed during next()");
      if (this.#position >= this.#rows.length) return { done: true, value: undefined };
      return { done: false, value: this.#rows[this.#position++]! };
    } finally {
      this.inFlight--;
    }
  }

  /** Releases the cursor. */
  close(reason?: unknown): void {
    this.closed = true;
    this.closeReason = reason;
  }
}

/** Options of {@linkcode Disk}. */
export interface DiskOptions {
  /** Virtual ms each `write()` takes (default 20). */
  latencyMs?: number;
  /** When given, the `write()` call with this 0-based number rejects with `error`. */
  failAt?: number;
  /** The error of `failAt` (default: an Error "disk full"). */
  error?: unknown;
}

/**
 * A slow disk: each `write()` takes `latencyMs`. Writing while another write runs is a bug this
 * disk records (`maxInFlight`), as it would corrupt a real file.
 *
 * @example
 * ```ts
 * import { Disk } from "./given_devices.ts";
 * const disk = new Disk();
 * await disk.write("a"); // done at t=20
 * await disk.close();
 * disk.written; // ["a"]
 * ```
 */
export class Disk {
  /** Chunks written, in order. */
  readonly written: string[] = [];
  /** How many `write()` calls were made. */
  writes = 0;
  /** How many writes are running now. */
  inFlight = 0;
  /** The most writes that ran at the same time. */
  maxInFlight = 0;
  /** True once `close()` finished. */
  closed = false;
  /** True once `abort()` was called. */
  aborted = false;
  /** The reason given to `abort()`. */
  abortReason: unknown = undefined;
  readonly #latencyMs: number;
  readonly #failAt: number | undefined;
  readonly #error: unknown;

  /** @param options `latencyMs`, `failAt` and `error`. */
  constructor(options: DiskOptions = {}) {
    this.#latencyMs = options.latencyMs ?? 20;
    this.#failAt = options.failAt;
    this.#error = options.error ?? new Error("disk full");
  }

  /**
   * Writes one chunk after `latencyMs`.
   *
   * @param chunk The chunk.
   * @throws Rejects with `error` at `failAt`, or when the disk is closed or aborted.
   */
  async write(chunk: string): Promise<void> {
    const call = this.writes++;
    if (this.closed || this.aborted) throw new Error("Disk.write() after close() or abort()");
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await sleep(this.#latencyMs);
      if (call === this.#failAt) throw this.#error;
      this.written.push(chunk);
    } finally {
      this.inFlight--;
    }
  }

  /** Flushes and closes the disk (takes `latencyMs`). */
  async close(): Promise<void> {
    await sleep(this.#latencyMs);
    this.closed = true;
  }

  /** Gives up: what was not written is lost. */
  abort(reason?: unknown): void {
    this.aborted = true;
    this.abortReason = reason;
  }
}
