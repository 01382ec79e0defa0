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

import { I, safeGet, safeText } from "./intrinsics.ts";
import { type Channel, fdWriter, hello, openChannel } from "./protocol.ts";
import { changes, type Fingerprint, fingerprint } from "./guard.ts";
import { connect } from "./node_test.ts";
import { type Registered, Registry } from "./registry.ts";

/** One unit of the plan. */
interface PlanUnit {
  key: string;
  files: string[];
  skip: string[];
  /**
   * Stop this unit early (a mutant): run these groups' tests first ("file\0name"), and stop once
   * each group has a failing test; an empty list stops at the first failure. Absent: run all.
   */
  stop?: string[][];
}

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
}

const DETAILS_CAP = 8000;
let channel: Channel | undefined;
let registry: Registry | undefined;
let plan: Plan = { units: [], testTimeoutMs: 10_000, guard: false, clock: {} };
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

/** A record without a prototype: no patched Object.prototype getter or setter touches it. */
function record<T>(): Record<string, T> {
  return { __proto__: null } as unknown as Record<string, T>;
}

/** Reads stdin until it has held `lines` newlines; returns the text. */
function readLines(lines: number, have: string): string {
  const buf = new Uint8Array(65_536);
  let text = have;
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") count++;
  while (count < lines) {
    let n: number;
    try {
      n = I.read(0, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code !== "EAGAIN") throw e;
      I.pause(2);
      continue;
    }
    if (n === 0) break;
    const chunk = I.decode(I.apply(I.subarray, buf, [0, n]) as Uint8Array, { stream: true });
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === "\n") count++;
    text += chunk;
  }
  return text;
}

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
  const head = readLines(2, "");
  const nl = I.apply(I.indexOf, head, ["\n"]) as number;
  const nl2 = I.apply(I.indexOf, head, ["\n", nl + 1]) as number;
  channel = openChannel(I.apply(I.slice, head, [0, nl]) as string, fdWriter(1));
  plan = I.parse(I.apply(I.slice, head, [nl + 1, nl2]) as string) as Plan;
  order = [];
  for (let i = 0; i < plan.units.length; i++) {
    const files = plan.units[i]!.files;
    for (let j = 0; j < files.length; j++) I.apply(I.push, order, [files[j]]);
  }
  registry = new Registry(order);
  connect(registry);
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
      void channel!.send({ k: "load-error", u: unitOf(open), f: open, ...describeError(reason) })
        .then(() => I.exit(1), () => I.exit(1));
      return;
    }
    // While a test runs it fails that test; between tests, the next one (as the test runners do).
    I.apply(I.push, stray, [reason]);
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
  hello({ k: "hello" });
  // Every module is read by now: the grader removes the hidden tests, then says go.
  readLines(3, head);
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
  if (plan.guard) clean = fingerprint();
}

/**
 * Step 3: a test file is about to load (for the messages of a failed load). Only the file the
 * entry loads next is taken; any other call does nothing.
 *
 * @param file Workspace-relative test file.
 */
export function mark(file: string): void {
  if (step !== 2 || nextMark >= order.length || order[nextMark] !== file) return;
  nextMark++;
  open = file;
  void channel!.send({ k: "load", u: unitOf(file), f: file });
}

/** "Name: message" and the stack of a thrown value. */
function describeError(e: unknown): { m: string; d: string; tl?: unknown; dx?: unknown } {
  const name = safeGet(e, "name");
  const message = safeGet(e, "message");
  if (typeof message === "string") {
    const stack = safeGet(e, "stack");
    return {
      m: `${typeof name === "string" && name ? name : "Error"}: ${message}`,
      d: I.apply(I.slice, typeof stack === "string" ? stack : "", [0, DETAILS_CAP]) as string,
      // Structured facts the kit attaches: a schedule's expected and actual timelines, a
      // deadlock's diagnosis. Plain data, copied through JSON (capped), never code.
      ...plain("tl", safeGet(e, "timeline")),
      ...plain("dx", safeGet(e, "diagnosis")),
    };
  }
  return { m: I.apply(I.slice, `Uncaught ${safeText(e)}`, [0, DETAILS_CAP]) as string, d: "" };
}

/** `{ [key]: value }` when value is plain data that fits in 32 kB as JSON, else nothing. */
function plain(key: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null) return {};
  try {
    const text = I.stringify(value);
    return text.length <= 32_768 ? { [key]: I.parse(text) } : {};
  } catch {
    // A cycle or a throwing getter: not plain data, left out.
    return {};
  }
}

/** Runs one test: "pass" when its function settles without throwing and nothing was left unhandled. */
async function runTest(
  t: Registered,
): Promise<{ s: string; m: string; d: string; tl?: unknown; dx?: unknown }> {
  let timer: unknown;
  try {
    // A race by hand: Promise.race would iterate its array through a patchable iterator.
    await new I.Promise<void>((resolve, reject) => {
      timer = I.setTimeout(
        () =>
          reject(
            new Error(
              `the test never settled: it was still waiting after ${plan.testTimeoutMs} ms of real time`,
            ),
          ),
        plan.testTimeoutMs,
      );
      I.Promise.resolve().then(() => t.fn()).then(() => resolve(), reject);
    });
    await new I.Promise<void>((r) => I.setTimeout(() => r(), 0));
    if (stray.length > 0) {
      const { m, d } = describeError(stray[0]);
      stray.length = 0;
      return {
        s: "fail",
        m: `UnhandledRejectionError: a promise rejected with nobody awaiting it: ${m}`,
        d,
      };
    }
    return { s: "pass", m: "", d: "" };
  } catch (e) {
    stray.length = 0;
    return { s: "fail", ...describeError(e) };
  } finally {
    I.clearTimeout(timer);
  }
}

/** A unit's tests in the order to run them: its stop groups' tests first, then the rest. */
function ordered(unit: PlanUnit): { file: string; t: Registered }[] {
  const first = record<true>();
  if (unit.stop) {
    for (let i = 0; i < unit.stop.length; i++) {
      const g = unit.stop[i]!;
      for (let j = 0; j < g.length; j++) first[g[j]!] = true;
    }
  }
  const head: { file: string; t: Registered }[] = [];
  const rest: { file: string; t: Registered }[] = [];
  for (let i = 0; i < unit.files.length; i++) {
    const file = unit.files[i]!;
    const tests = registry!.testsOf(file);
    for (let j = 0; j < tests.length; j++) {
      const x = { file, t: tests[j]! };
      I.apply(I.push, `${file}\u0000${x.t.name}` in first ? head : rest, [x]);
    }
  }
  for (let i = 0; i < rest.length; i++) I.apply(I.push, head, [rest[i]]);
  return head;
}

/** Whether each stop group has a failing test (an empty list: whether any test failed). */
function satisfied(groups: string[][], failed: Record<string, true>, anyFailed: boolean): boolean {
  if (groups.length === 0) return anyFailed;
  for (let i = 0; i < groups.length; i++) {
    let hit = false;
    for (let j = 0; j < groups[i]!.length; j++) if (groups[i]![j]! in failed) hit = true;
    if (!hit) return false;
  }
  return true;
}

/** The last clock run as JSON text ("" when there is none or it cannot be read). */
function runText(): string {
  try {
    return I.stringify(lastRun?.() ?? null);
  } catch {
    // A record that does not serialise: treated as no record.
    return "";
  }
}

/** `{ sc: schedule }` from a run record's JSON, its swaps capped at 20. */
function schedulePart(text: string): Record<string, unknown> {
  const rec = I.parse(text) as { schedule?: { swaps?: unknown[] } } | null;
  const sc = rec?.schedule;
  if (!sc || typeof sc !== "object") return {};
  if (I.isArray(sc.swaps) && sc.swaps.length > 20) sc.swaps.length = 20;
  return { sc };
}

/** Sends the registry's anomalies as tamper lines. */
async function sendAnomalies(fallbackUnit: string): Promise<void> {
  const list = registry!.anomalies();
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    await channel!.send({
      k: "tamper",
      u: a.file === null ? fallbackUnit : unitOf(a.file),
      f: a.file,
      what: a.what,
    });
  }
}

/** Step 4: runs every exercise's tests and reports them; ends the process. Acts once. */
export async function run(): Promise<never> {
  if (step !== 2) return new I.Promise<never>(() => {});
  step = 3;
  // A test awaiting only promises must not let the runtime think there is nothing left to do
  // (Bun ends a process whose event loop is empty, whatever the pending top-level await).
  I.setInterval(() => {}, 1 << 30);
  loading = false;
  registry!.close();
  open = null;
  const ch = channel!;
  if (clean) {
    const changed = changes(clean, fingerprint());
    // Code under test changed a global while loading: with several exercises loaded, no verdict
    // of this process can be trusted for any of them, so the grader runs each one alone. Alone,
    // an exercise lives with the globals it changed itself.
    if (changed.length > 0 && plan.units.length > 1) {
      await ch.send({ k: "tainted-at-load", what: changed.slice(0, 10) });
      return I.exit(0);
    }
  }
  await sendAnomalies(plan.units.length === 1 ? plan.units[0]!.key : "");
  const seeded = (plan.clock.seed ?? 0) > 0 && lastRun !== undefined;
  const extras: string[] = [];
  for (let ui = 0; ui < plan.units.length; ui++) {
    const unit = plan.units[ui]!;
    const failed = record<true>();
    let anyFailed = false;
    const skip = record<true>();
    for (let i = 0; i < unit.skip.length; i++) skip[unit.skip[i]!] = true;
    const list = ordered(unit);
    for (let i = 0; i < list.length; i++) {
      const { file, t } = list[i]!;
      const id = `${file}\u0000${t.name}`;
      if (id in skip) continue;
      if (unit.stop && satisfied(unit.stop, failed, anyFailed)) break;
      await ch.send({ k: "start", u: unit.key, f: file, n: t.name });
      const t0 = I.now();
      const before = seeded ? runText() : "";
      const r = await runTest(t);
      // Under a seed, a failed run says which same-instant events its schedule swapped.
      if (seeded && r.s === "fail") {
        const after = runText();
        if (after !== before) I.apply(I.push, extras, [after]);
      }
      if (r.s === "fail") {
        failed[id] = true;
        anyFailed = true;
      }
      const sc = extras.length > 0 ? schedulePart(extras.pop()!) : {};
      extras.length = 0;
      await ch.send({
        k: "result",
        u: unit.key,
        f: file,
        n: t.name,
        ...r,
        ...sc,
        ms: I.round(I.now() - t0),
      });
    }
    await sendAnomalies(unit.key);
    await ch.send({ k: "unit-done", u: unit.key });
    if (clean) {
      const changed = changes(clean, fingerprint());
      if (changed.length > 0) {
        await ch.send({ k: "tainted", u: unit.key, what: changed.slice(0, 10) });
        break;
      }
    }
  }
  await ch.send({ k: "done" });
  // Leave at once: a timer or handle the code under test left open must not keep the process alive.
  return I.exit(0);
}
