/**
 * Watch mode's warm start: a harness process started before the save it will grade. It has
 * started the runtime, loaded the harness and the test kit and said hello, then waits; at the save
 * the grader copies the stubs as they are then, writes the job module (the test files and the
 * run) and says go, so a re-grade costs only the tests. Trusted code only (a learner's own
 * workbook, graded in place): the hidden tests are not taken away while it runs, and under Deno it
 * may read its workspace (its dynamic import of the job needs that).
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { GradeOptions } from "./grade_options.ts";
import { deadlineOf, launchFor, writeJob, writeSpareEntry } from "./launch.ts";
import { buildUnits, pickRoot, unitFiles } from "./plan.ts";
import { findBinary } from "./runtimes.ts";
import { sandboxStatus } from "./sandbox.ts";
import { runSession, type SessionResult } from "./session.ts";
import type { Runtime } from "./types.ts";
import { copyStubs, createWorkspace, type Unit, type Workspace } from "./workspace.ts";

/**
 * Every file of an exercise's folder but its stubs, names and text: its tests and given code,
 * which a spare copied when it started (it is stale once one of them changes).
 */
function givenText(u: Unit): string {
  const stubs = new Set(u.exercise.meta.stubs);
  const dir = u.exercise.pristineDir;
  const files = (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.replaceAll("\\", "/")).filter((f) => !stubs.has(f)).sort();
  return files.map((f) => {
    const p = join(dir, f);
    return statSync(p).isFile() ? `${f}\0${readFileSync(p, "utf8")}` : f;
  }).join("\0");
}

/** A harness process waiting for watch mode's next save of one exercise. */
export class Spare {
  /** The runtime it runs. */
  readonly runtime: Runtime;
  /** The unit (exercise) it grades. */
  readonly key: string;
  /** Its workspace; the grade that claims it cleans it up. */
  readonly ws: Workspace;
  /** Resolves true once its process waits for the go (false when it ended before). */
  readonly ready: Promise<boolean>;
  readonly #job: string;
  readonly #nonce: string;
  readonly #files: string[];
  readonly #given: string;
  readonly #stop = new AbortController();
  readonly #result: Promise<SessionResult>;
  #go: () => void = () => {};
  #ended = false;
  #claimed = false;

  /**
   * Starts a spare for the one exercise of `o` (a grade in place of a learner's workbook).
   *
   * @param o The options the re-grade will use (one exercise, mode "submission").
   * @param runtime The runtime.
   * @throws {RangeError} When `o` is not one exercise graded in place.
   */
  constructor(o: GradeOptions, runtime: Runtime) {
    // Only a learner's own workbook graded in place: a spare leaves the hidden tests on disk and
    // lets Deno read its workspace, which someone else's submission must never get.
    if (
      o.exercises.length !== 1 || o.mode !== "submission" || o.seed ||
      resolve(o.submissionRoot) !== resolve(o.pristineRoot)
    ) {
      throw new RangeError(
        "a spare grades one exercise of a learner's own workbook in place, with no seed",
      );
    }
    if (o.sandbox === undefined) {
      // As grade() decides it: the same sandbox as a grade without a spare.
      const status = sandboxStatus();
      o = { ...o, sandbox: status.ok ? status.bwrap : false };
    }
    const bin = findBinary(runtime, o.toolRoot);
    if (!bin) throw new RangeError(`${runtime} is not installed`);
    const { units } = buildUnits({ ...o, runtimes: [runtime] });
    const u = units[0]!;
    this.runtime = runtime;
    this.key = u.key;
    this.#given = givenText(u);
    this.#files = unitFiles(u);
    this.ws = createWorkspace(pickRoot(o, "lib"), o.toolRoot, units);
    this.#nonce = randomBytes(16).toString("hex");
    const { entry, job } = writeSpareEntry(this.ws, this.#nonce);
    this.#job = job;
    const launch = launchFor(runtime, bin, this.ws, units, o, entry, [
      ".harness",
      "lib",
      `exercises/${u.wsDir}`,
    ]);
    const hold = new Promise<void>((resolve) => (this.#go = resolve));
    let up: (ok: boolean) => void = () => {};
    this.ready = new Promise<boolean>((resolve) => (up = resolve));
    this.#result = runSession(launch, {
      units: [{ key: u.key, files: this.#files, skip: [], deadlineMs: deadlineOf(u, o) }],
      nonce: this.#nonce,
    }, {
      runtime,
      guard: true,
      hold,
      spare: true,
      signal: this.#stop.signal,
      onHello: () => up(true),
    });
    void this.#result.finally(() => {
      this.#ended = true;
      up(false);
    });
  }

  /**
   * Takes the spare for a grade of `units` under `runtime`, when it fits: the same one exercise,
   * its tests and given files unchanged, its process still waiting, not taken before.
   *
   * @param runtime The grade's runtime.
   * @param units The grade's units.
   * @returns Whether the grade may use it (it then owns its workspace).
   */
  claim(runtime: Runtime, units: Unit[]): boolean {
    const ok = !this.#claimed && !this.#ended && runtime === this.runtime && units.length === 1 &&
      units[0]!.key === this.key && givenText(units[0]!) === this.#given;
    if (ok) this.#claimed = true;
    return ok;
  }

  /**
   * Grades `u` now: copies its stubs as they are, writes the job, says go.
   *
   * @param u The unit (as the grade built it, with this save's stubs).
   * @param signal Stops the process (a newer save).
   * @returns What the session found.
   */
  run(u: Unit, signal?: AbortSignal): Promise<SessionResult> {
    copyStubs(u, join(this.ws.ws, "exercises", u.wsDir));
    writeJob(this.#job, this.#files, this.#nonce);
    signal?.addEventListener("abort", () => this.#stop.abort(), { once: true });
    if (signal?.aborted) this.#stop.abort();
    this.#go();
    return this.#result;
  }

  /** Ends the process and removes the workspace, unless a grade has taken it. */
  dispose(): void {
    if (this.#claimed) return;
    this.#claimed = true;
    this.#stop.abort();
    // The process is gone once its session settles; the folder goes with it.
    void this.#result.finally(() => this.ws.cleanup());
  }

  /** Whether a grade took it (or it was disposed of). */
  get taken(): boolean {
    return this.#claimed;
  }

  /** Whether its process has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Its workspace's folder. */
  get dir(): string {
    return dirname(this.ws.ws);
  }
}
