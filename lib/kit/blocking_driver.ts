/**
 * A simulated blocking database driver for the thread-bridge exercise: its calls block the
 * calling thread for real time (like a synchronous C driver), without burning CPU.
 *
 * Blocking uses `Atomics.wait` on a private SharedArrayBuffer, which both Deno and Bun allow on
 * the main thread and in Workers. Run it in a Worker and the event loop stays free; call it on
 * the main thread and every timer and promise stalls until it returns.
 *
 * @module
 */
import {
  $exec,
  $getOwnPropertyDescriptor,
  $map,
  $Number,
  $RangeError,
  $split,
} from "../clock/intrinsics.ts";

const wait = Atomics.wait;

/**
 * Blocks the current thread for `ms` real milliseconds.
 *
 * @param ms How long to block (>= 0).
 *
 * @example
 * ```ts
 * import { blockFor } from "./blocking_driver.ts";
 * blockFor(5); // nothing else on this thread runs for 5 ms
 * ```
 */
export function blockFor(ms: number): void {
  if (!(ms >= 0)) throw new $RangeError(`blockFor(ms) needs ms >= 0; received ${ms}`);
  wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A query the database refused. Carries fields a bridge must keep across threads.
 *
 * @example
 * ```ts
 * import { DbError } from "./blocking_driver.ts";
 * const e = new DbError("no such table: users", "SQLITE_ERROR", "SELECT * FROM users");
 * e.code; // "SQLITE_ERROR"
 * ```
 */
export class DbError extends Error {
  override name = "DbError";
  readonly code: string;
  readonly sql: string;
  constructor(message: string, code: string, sql: string) {
    super(message);
    this.code = code;
    this.sql = sql;
  }
}

/** A row the fake database returns. */
export type Row = Record<string, string | number>;

/**
 * A tiny in-memory "database" with a blocking API.
 *
 * @example
 * ```ts
 * import { BlockingDb } from "./blocking_driver.ts";
 * const db = new BlockingDb({ latencyMs: 1 });
 * db.query("SELECT 1"); // [{ value: 1 }]
 * ```
 */
export class BlockingDb {
  readonly latencyMs: number;
  readonly #tables: Record<string, Row[]>;

  /**
   * @param options Real latency of each query (default 50 ms) and table contents.
   */
  constructor(options: { latencyMs?: number; tables?: Record<string, Row[]> } = {}) {
    this.latencyMs = options.latencyMs ?? 50;
    this.#tables = options.tables ?? { users: [{ id: 1, name: "ada" }, { id: 2, name: "alan" }] };
  }

  /**
   * Runs a query, blocking the thread for `latencyMs`. Understands `SELECT 1`,
   * `SELECT * FROM <table>` and `SLEEP <ms>`; anything else throws a DbError.
   *
   * @param sql The query.
   * @returns Rows.
   *
   * @example
   * ```ts
   * import { BlockingDb } from "./blocking_driver.ts";
   * new BlockingDb({ latencyMs: 0 }).query("SELECT * FROM users").length; // 2
   * ```
   */
  query(sql: string): Row[] {
    const sleep = $exec(/^SLEEP (\d+)$/i, sql);
    blockFor(sleep ? $Number(sleep[1]) : this.latencyMs);
    if ($exec(/^SELECT 1$/i, sql)) return [{ value: 1 }];
    if (sleep) return [{ slept: $Number(sleep[1]) }];
    const m = $exec(/^SELECT \* FROM (\w+)$/i, sql);
    // Own tables only: "constructor" or "toString" is no table, whatever Object.prototype has.
    const table = m ? $getOwnPropertyDescriptor(this.#tables, m[1])?.value : undefined;
    if (m && table) return $map(table as Row[], (r) => ({ ...r }));
    if (m) throw new DbError(`no such table: ${m[1]}`, "SQLITE_ERROR", sql);
    throw new DbError(`syntax error near "${$split(sql, " ")[0]}"`, "SQLITE_ERROR", sql);
  }
}
