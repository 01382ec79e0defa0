/**
 * The harness's state and steps, in the order the generated entry module runs them: `start()`
 * (read the secret and plan from stdin, open the signed channel, connect the registry, say hello
 * and wait for the grader's go: by then it has taken the hidden test files out of the workspace,
 * since every module was already read), `libLoaded()` (the clean fingerprint of the globals),
 * `mark(file)` before each test file loads, and `run()` after every module has loaded: each
 * exercise's tests, one at a time, each reported on the signed channel.
 *
 * Code under test can import this module, so each step acts once and in order, and everything
 * `run()` does after the code under test has loaded goes through captured intrinsics, index
 * loops and null-prototype records: a patched Array, Set or iterator cannot change which test
 * runs under which name.
 *
 * @module
 */

import { I } from "./intrinsics.ts";
import { type Channel, fdWriter, hello, openChannel, readLines } from "./protocol.ts";
import { changes, type Fingerprint, fingerprint } from "./guard.ts";
import { connect } from "./node_test.ts";
import { guardV8 } from "./v8_guard.ts";
import { append, rec, Registry } from "./registry.ts";
import {
  describeError,
  ordered,
  type PlanUnit,
  record,
  runTest,
  runText,
  satisfied,
  schedulePart,
} from "./test_run.ts";

/** What the grader asks the harness to run. */
interface Plan {
  /** Exercises, each with its test files and the tests not to run again ("file\0name"). */
  units: PlanUnit[];
  /** Real ms a test may take before it fails as never settling. */
  testTimeoutMs: number;
  /** Compare the globals after loading and after each exercise. */
  guard: boolean;
  /** The clock's defaults for every test (lib/clock/config.ts): seed and promise tracking. */
  clock: { seed?: number; track?: boolean };
  /**
   * The session's nonce, also written into its entry and mark modules: `mark()` and `run()`
   * act only when given it, so code under test (which can import this module) cannot call them.
   */
  nonce: string;
  /**
   * A spare (watch mode's warm start, trusted code only): the entry loads lib, says hello and
   * waits in `awaitGo()` for the grader's go; only then does it import the tests and the code
   * under test, as they are on disk at that moment.
   */
  spare?: boolean;
}

let channel: Channel | undefined;
let registry: Registry | undefined;
let plan: Plan = { units: [], testTimeoutMs: 10_000, guard: false, clock: {}, nonce: "" };
/** What start() read from stdin so far (awaitGo() reads the go line after it). */
let head = "";
/** lib's record of the last clock run (handed over once lib has loaded). */
let lastRun: (() => unknown) | undefined;
/** Test files in entry order, and the index of the next one `mark()` expects. */
let order: string[] = [];
let nextMark = 0;
let open: string | null = null;
let clean: Fingerprint | undefined;
let step = 0;
/** Rejections and exceptions nobody handled while a test ran. */
const stray: unknown[] = [];
let loading = true;

const write = fdWriter(1);

/** The unit key of a test file ("" when none). */
function unitOf(file: string | null): string {
  for (let i = 0; i < plan.units.length; i++) {
    const files = plan.units[i]!.files;
    for (let j = 0; j < files.length; j++) if (files[j] === file) return plan.units[i]!.key;
  }
  return "";
}

/**
 * Step 1: reads the secret and plan, opens the channel, says hello, and waits for the grader's
 * go (a third line on stdin). Acts once.
 */
export function start(): void {
  if (step !== 0) return;
  step = 1;
  head = readLines(0, 2, "");
  const nl = I.apply(I.indexOf, head, ["\n"]) as number;
  const nl2 = I.apply(I.indexOf, head, ["\n", nl + 1]) as number;
  channel = openChannel(I.apply(I.slice, head, [0, nl]) as string, write);
  plan = I.parse(I.apply(I.slice, head, [nl + 1, nl2]) as string) as Plan;
  order = [];
  for (let i = 0; i < plan.units.length; i++) {
    const files = plan.units[i]!.files;
    for (let j = 0; j < files.length; j++) append(order, files[j]!);
  }
  registry = new Registry(order);
  connect(registry);
  guardV8();
  // lib, which loads next, reads its defaults from here once (lib/clock/config.ts).
  (globalThis as unknown as Record<symbol, unknown>)[I.symbolFor("workbook.clock")] = I.freeze({
    ...plan.clock,
  });
  const g = globalThis as unknown as {
    addEventListener?: (t: string, f: (e: Event) => void) => void;
  };
  const onStray = (reason: unknown, e?: Event) => {
    e?.preventDefault();
    if (loading) {
      // An error while the modules load: report it for the file loading, and end the process, as
      // the runtime would without a handler.
      channel!.send(rec({ k: "load-error", u: unitOf(open), f: open, ...describeError(reason) }));
      return I.exit(1);
    }
    // While a test runs it fails that test; between tests, the next one (as the test runners do).
    append(stray, reason);
  };
  if (I.runtime === "deno" && g.addEventListener) {
    g.addEventListener(
      "unhandledrejection",
      (e) => onStray((e as PromiseRejectionEvent).reason, e),
    );
    g.addEventListener("error", (e) => onStray((e as ErrorEvent).error, e));
  } else {
    process.on("unhandledRejection", (r) => onStray(r));
    process.on("uncaughtException", (e) => onStray(e));
  }
  hello(rec({ k: "hello" }), write);
  // Every module is read by now: the grader removes the hidden tests, then says go. A spare
  // waits for it in awaitGo() instead, with lib loaded and nothing of the tests read yet.
  if (!plan.spare) readLines(0, 3, head);
}

/**
 * Step 2b, a spare's only: waits for the grader's go (the files to grade are then on disk). Acts
 * once, only for the spare's entry (which holds the nonce), after lib has loaded.
 *
 * @param nonce The session's nonce.
 */
export function awaitGo(nonce: string): void {
  if (!plan.spare || nonce !== plan.nonce || step !== 2) return;
  plan.spare = false;
  readLines(0, 3, head);
}

/**
 * Step 2: the test kit has loaded (it patches the timers once): the globals as they should stay.
 *
 * @param runRecord lib's `lastRun`, read after a failed test run under a seed.
 */
export function libLoaded(runRecord: () => unknown): void {
  if (step !== 1) return;
  step = 2;
  lastRun = runRecord;
  // Deno's internals reach promise details and ops no permission guards; lib took what it needs
  // (clock/tracking.ts) when it loaded. Code under test loads after this.
  const deno = (globalThis as { Deno?: Record<symbol | string, unknown> }).Deno;
  const internal = deno?.internal;
  if (deno && (typeof internal === "symbol" || typeof internal === "string")) {
    try {
      delete deno[internal];
    } catch {
      // Not configurable in this Deno: nothing else to do here (documented in the README).
    }
  }
  if (plan.guard) clean = fingerprint();
}

/**
 * Step 3: a test file is about to load (for the messages of a failed load). Only the file the
 * entry loads next is taken; any other call does nothing.
 *
 * @param file Workspace-relative test file.
 * @param nonce The session's nonce (from the generated mark module).
 */
export function mark(file: string, nonce: string): void {
  if (nonce !== plan.nonce || step !== 2 || nextMark >= order.length || order[nextMark] !== file) {
    return;
  }
  nextMark++;
  open = file;
  channel!.send(rec({ k: "load", u: unitOf(file), f: file }));
}

/** Sends the registry's anomalies as tamper lines. */
function sendAnomalies(ch: Channel, fallbackUnit: string): void {
  const list = registry!.anomalies();
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    ch.send(rec({
      k: "tamper",
      u: a.file === null ? fallbackUnit : unitOf(a.file),
      f: a.file,
      what: a.what,
    }));
  }
}

/** Whether the globals changed since lib loaded; sends the line that says so. */
function tainted(ch: Channel, kind: string, unit: string | undefined): boolean {
  if (!clean) return false;
  const changed = changes(clean, fingerprint());
  if (changed.length === 0) return false;
  const what: string[] = [];
  for (let i = 0; i < changed.length && i < 10; i++) append(what, changed[i]!);
  ch.send(rec(unit === undefined ? { k: kind, what } : { k: kind, u: unit, what }));
  return true;
}

/**
 * Step 4: runs every exercise's tests and reports them; ends the process. Acts once, and only
 * for the entry module, which holds the nonce.
 *
 * @param nonce The session's nonce.
 * @returns Never: the process exits.
 */
export async function run(nonce: string): Promise<never> {
  if (nonce !== plan.nonce || step !== 2 || nextMark !== order.length) {
    // The entry itself (it holds the nonce) in a state it should never be in: say which, so the
    // grader's crash message names it (a call without the nonce is code under test: silence).
    if (nonce === plan.nonce) {
      write(I.encode(
        `harness: run() found step ${step} (2 expected) and ${nextMark} of ${order.length} ` +
          "test files marked: the module graph did not load in entry order\n",
      ));
    }
    return new I.Promise<never>(() => {});
  }
  step = 3;
  // A test awaiting only promises must not let the runtime think there is nothing left to do
  // (Bun ends a process whose event loop is empty, whatever the pending top-level await).
  I.setInterval(() => {}, 1 << 30);
  loading = false;
  registry!.close();
  open = null;
  const ch = channel!;
  // Code under test changed a global while loading: with several exercises loaded, no verdict
  // of this process can be trusted for any of them, so the grader runs each one alone. Alone,
  // an exercise lives with the globals it changed itself.
  if (plan.units.length > 1 && tainted(ch, "tainted-at-load", undefined)) return I.exit(0);
  sendAnomalies(ch, plan.units.length === 1 ? plan.units[0]!.key : "");
  const seeded = (plan.clock.seed ?? 0) > 0 && lastRun !== undefined;
  for (let ui = 0; ui < plan.units.length; ui++) {
    const unit = plan.units[ui]!;
    const failed = record<true>();
    let anyFailed = false;
    const skip = record<true>();
    for (let i = 0; i < unit.skip.length; i++) skip[unit.skip[i]!] = true;
    const list = ordered(unit, registry!);
    for (let i = 0; i < list.length; i++) {
      const file = list[i]!.file;
      const t = list[i]!.t;
      const id = `${file}\u0000${t.name}`;
      if (id in skip) continue;
      if (unit.stop && satisfied(unit.stop, failed, anyFailed)) break;
      ch.send(rec({ k: "start", u: unit.key, f: file, n: t.name }));
      const t0 = I.now();
      const before = seeded ? runText(lastRun) : "";
      const r = await runTest(t, plan.testTimeoutMs, stray);
      // Under a seed, a failed run says which same-instant events its schedule swapped.
      let sc: Record<string, unknown> = rec({});
      if (seeded && r.s === "fail") {
        const after = runText(lastRun);
        if (after !== before && after !== "") sc = schedulePart(after);
      }
      if (r.s === "fail") {
        failed[id] = true;
        anyFailed = true;
      }
      ch.send(rec({
        k: "result",
        u: unit.key,
        f: file,
        n: t.name,
        ...r,
        ...sc,
        ms: I.round(I.now() - t0),
      }));
    }
    sendAnomalies(ch, unit.key);
    ch.send(rec({ k: "unit-done", u: unit.key }));
    if (tainted(ch, "tainted", unit.key)) break;
  }
  ch.send(rec({ k: "done" }));
  // Leave at once: a timer or handle the code under test left open must not keep the process alive.
  return I.exit(0);
}
