/**
 * The one owner of the learner's state: `.workbook-progress.json` at the workbook root (hint
 * levels shown per task, the last graded result per exercise). Nothing else reads or writes it.
 *
 * - Versioned: `{"version": 1, ...}`. The unversioned file of earlier releases is migrated.
 * - Atomic: written to a temporary file, then renamed over the old one.
 * - Safe against two grader processes: every update holds `.workbook/progress.lock` (created
 *   exclusively; a lock left by a process that died is taken over).
 * - Never silently replaced: a file that is not valid JSON, or has an unknown version, is moved
 *   to `.workbook/progress.corrupt-<time>.json` and the learner is told where it went.
 *
 * @module
 */

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import type { ExerciseStatus } from "../formats/result.ts";

/** File name of the progress file, at the workbook root. */
export const PROGRESS_FILE = ".workbook-progress.json";
/** The schema version this module writes. */
export const PROGRESS_VERSION = 1;

/** The last graded result of an exercise. */
export interface LastResult {
  /** Points. */
  score: number;
  /** Points available. */
  max_score: number;
  /** Status. */
  status: ExerciseStatus;
  /** Tasks with at least one failing test, ascending (absent in old files). */
  failing_tasks?: number[];
}

/** Contents of the progress file. */
export interface Progress {
  /** Schema version. */
  version: typeof PROGRESS_VERSION;
  /** Hint level shown so far, per exercise folder and task ("0" when HINTS.md has no tasks). */
  hints: Record<string, Record<string, number>>;
  /** Last graded result, per exercise folder. */
  last: Record<string, LastResult>;
}

/** The progress file could not be written (read-only workbook, lock held too long). */
export class ProgressError extends Error {
  /** @param message What failed and why. */
  constructor(message: string) {
    super(message);
    this.name = "ProgressError";
  }
}

const empty = (): Progress => ({ version: PROGRESS_VERSION, hints: {}, last: {} });

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Reads a parsed file into the current schema, or explains why it cannot. */
function decode(raw: unknown): Progress | string {
  if (!isRecord(raw)) return "it is not a JSON object";
  if (raw.version === undefined) {
    // The unversioned file of earlier releases: hints were one level per exercise.
    const hints: Progress["hints"] = {};
    for (const [dir, n] of Object.entries(isRecord(raw.hints) ? raw.hints : {})) {
      if (typeof n === "number") hints[dir] = { "0": n };
    }
    return {
      version: PROGRESS_VERSION,
      hints,
      last: (isRecord(raw.last) ? raw.last : {}) as Progress["last"],
    };
  }
  if (raw.version !== PROGRESS_VERSION) {
    return `its version ${
      JSON.stringify(raw.version)
    } is not one this grader reads (${PROGRESS_VERSION})`;
  }
  if (!isRecord(raw.hints) || !isRecord(raw.last)) return '"hints" and "last" must be objects';
  return raw as unknown as Progress;
}

/** Sleeps synchronously (the store is used from synchronous command code). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Reads and updates one workbook's progress file. */
export class ProgressStore {
  readonly #root: string;
  readonly #notice: (message: string) => void;

  /**
   * @param root Workbook root.
   * @param notice Told when a corrupt file was moved aside (default: printed to stderr).
   */
  constructor(
    root: string,
    notice: (message: string) => void = (m) => process.stderr.write(`grade: ${m}\n`),
  ) {
    this.#root = root;
    this.#notice = notice;
  }

  /** Path of the progress file. */
  get path(): string {
    return join(this.#root, PROGRESS_FILE);
  }

  /**
   * Reads the progress (empty when there is no file). A corrupt or unknown-version file is moved
   * aside to `.workbook/progress.corrupt-<time>.json`, with a notice, and reads as empty.
   *
   * @returns The progress.
   */
  read(): Progress {
    if (!existsSync(this.path)) return empty();
    const text = readFileSync(this.path, "utf8");
    let why: string;
    try {
      const p = decode(JSON.parse(text));
      if (typeof p !== "string") return p;
      why = p;
    } catch (e) {
      why = `it is not valid JSON (${(e as Error).message})`;
    }
    const dir = join(this.#root, ".workbook");
    const aside = join(
      dir,
      `progress.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
    );
    mkdirSync(dir, { recursive: true });
    renameSync(this.path, aside);
    this.#notice(
      `${PROGRESS_FILE} could not be read: ${why}. It was moved to ${
        aside.slice(this.#root.length + 1)
      }; progress starts afresh.`,
    );
    return empty();
  }

  /**
   * Changes the progress under the lock and writes it atomically.
   *
   * @param change Edits the progress in place.
   * @returns The progress as written.
   * @throws {ProgressError} When the file cannot be written or the lock is not freed in 5 s.
   */
  update(change: (p: Progress) => void): Progress {
    const release = this.#lock();
    try {
      const p = this.read();
      change(p);
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(p, null, 2) + "\n");
      renameSync(tmp, this.path);
      return p;
    } catch (e) {
      if (e instanceof ProgressError) throw e;
      throw new ProgressError(`progress not saved: ${(e as Error).message}`);
    } finally {
      release();
    }
  }

  /** Takes `.workbook/progress.lock`; returns the function that frees it. */
  #lock(): () => void {
    const dir = join(this.#root, ".workbook");
    const file = join(dir, "progress.lock");
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new ProgressError(`progress not saved: cannot create ${dir}: ${(e as Error).message}`);
    }
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        const fd = openSync(file, "wx");
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        return () => rmSync(file, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
          throw new ProgressError(
            `progress not saved: cannot create ${file}: ${(e as Error).message}`,
          );
        }
      }
      if (this.#staleLock(file)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ProgressError(
          `progress not saved: ${file} is held by another grader (delete it if none runs)`,
        );
      }
      pause(20);
    }
  }

  /** A lock whose process is gone, or older than 30 s (a write takes milliseconds). */
  #staleLock(file: string): boolean {
    try {
      const pid = Number(readFileSync(file, "utf8"));
      if (Date.now() - statSync(file).mtimeMs > 30_000) return true;
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 0);
      return false;
    } catch (e) {
      // ESRCH: no such process (a stale lock); ENOENT: freed meanwhile. EPERM: alive, not ours.
      return (e as NodeJS.ErrnoException).code === "ESRCH";
    }
  }
}
