/**
 * What a harness session is given and what it finds: the units it runs, the clock's
 * configuration, how the runtime starts, and the result (see session.ts).
 *
 * @module
 */

import type { Runtime, Verdict } from "./types.ts";

/** One exercise (or mutant) of a session: its key, its test files, the tests already decided. */
export interface SessionUnit {
  /** Unit key. */
  key: string;
  /** Workspace-relative test files, in order. */
  files: string[];
  /** "file\0name" of tests not to run again. */
  skip: string[];
  /** Real ms one test may run before it is killed (a synchronous loop never yields). */
  deadlineMs: number;
  /** A mutant's stop groups (see plan.ts stopGroups). */
  stop?: string[][];
}

/** The clock's configuration for every test of a session (lib/clock/config.ts). */
export interface ClockConfig {
  /** Seed of the same-instant schedule; 0 for creation order. */
  seed?: number;
  /** Track promises, so a deadlock names where the work waits. */
  track?: boolean;
}

/** How to start the runtime. */
export interface Launch {
  /** The command and its arguments (the sandbox wrapper included). */
  cmd: string;
  /** Arguments. */
  args: string[];
  /** Working directory. */
  cwd: string;
  /** Environment. */
  env: Record<string, string>;
}

/** What one session found. */
export interface SessionResult {
  /** Verdicts by file and full name (each from a signed line, or the session's own kill). */
  verdicts: Map<string, Map<string, Verdict>>;
  /** Printed output by file and name. */
  outputs: Map<string, Map<string, string>>;
  /** Files whose import failed, with the message. */
  loadErrors: Map<string, string>;
  /** Files that loaded. */
  loaded: Set<string>;
  /** Signs of tampering, by unit key. */
  tampering: Map<string, string[]>;
  /** Units that ran to their end in this session. */
  unitsDone: Set<string>;
  /** The unit after which the harness stopped because it changed a global. */
  tainted: { unit: string; what: string[] } | null;
  /** Globals changed while the modules loaded: no exercise of this process can be trusted. */
  taintedAtLoad: string[] | null;
  /** Whether the harness started at all (false: the module graph did not load). */
  started: boolean;
  /** True when the harness said it finished. */
  finished: boolean;
  /** How the process ended when it did not finish: exit code, kill cause. */
  end: { code: number | null; killed: string | null; spawnError?: string };
  /** All output (capped), for messages about a crash. */
  text: string;
  /** Wall ms. */
  ms: number;
}

/** How a session runs (see session.ts runSession). */
export interface SessionOptions {
  /** The runtime (for messages). */
  runtime: Runtime;
  /** Compare the globals after each unit. */
  guard: boolean;
  /** Stops the process. */
  signal?: AbortSignal;
  /** Called when the harness has read every module (before the go). */
  onHello?: () => void;
  /** A spare's: the go waits for it (see harness/hub.ts awaitGo), with no deadline meanwhile. */
  hold?: Promise<void>;
  /** A spare's plan flag: the harness waits in awaitGo(), after lib, not at hello. */
  spare?: boolean;
}
