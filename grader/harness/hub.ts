/**
 * The harness's state and steps, in the order the generated entry module runs them: `start()`
 * (read the secret and plan from stdin, connect the registry, report hello), `libLoaded()` (the
 * clean fingerprint of the globals), `mark(file)` before each test file loads, and `run()` after
 * every module has loaded (the entry's own body runs only then): each exercise's tests, one at a
 * time, each reported with a signed result.
 *
 * @module
 */

import { I, safeGet, safeText } from "./intrinsics.ts";
import { readFileSync } from "node:fs";
import { emit, setSecret, signResult } from "./protocol.ts";
import { changes, type Fingerprint, fingerprint } from "./guard.ts";
import { connect } from "./node_test.ts";
import { type Registered, Registry } from "./registry.ts";

/** What the grader asks the harness to run. */
interface Plan {
  /** Exercises, each with its test files and the tests not to run again ("file\0name"). */
  units: {
    key: string;
    files: string[];
    skip: string[];
    /**
     * Stop this unit early (a mutant): run these groups' tests first ("file\0name"), and stop once
     * each group has a failing test; an empty list stops at the first failure. Absent: run all.
     */
    stop?: string[][];
  }[];
  /** Real ms a test may take before it fails as never settling. */
  testTimeoutMs: number;
  /** Compare the globals after loading and after each exercise. */
  guard: boolean;
}

const DETAILS_CAP = 8000;
const registry = new Registry();
const byFile = new Map<string, Registered[]>();
let secret = "";
let plan: Plan = { units: [], testTimeoutMs: 10_000, guard: false };
let open: string | null = null;
let clean: Fingerprint | undefined;
/** Rejections and exceptions nobody handled while a test ran. */
const stray: unknown[] = [];
let loading = true;

/** Step 1: reads stdin, connects the registry, listens for stray errors, says hello. */
export function start(): void {
  const input = readFileSync(0, "utf8");
  const nl = input.indexOf("\n");
  secret = input.slice(0, nl);
  plan = I.parse(input.slice(nl + 1)) as Plan;
  connect(registry);
  const g = globalThis as unknown as {
    addEventListener?: (t: string, f: (e: Event) => void) => void;
  };
  const record = (reason: unknown, e?: Event) => {
    if (loading) {
      // An error while the modules load: report it for the file loading, and end the process, as
      // the runtime would without a handler.
      e?.preventDefault();
      emit({ k: "load-error", u: "", f: open, ...describeError(reason) });
      return I.exit(1);
    }
    // While a test runs it fails that test; between tests, the next one (as the test runners do).
    e?.preventDefault();
    I.apply(I.push, stray, [reason]);
  };
  if (I.runtime === "deno" && g.addEventListener) {
    g.addEventListener("unhandledrejection", (e) => record((e as PromiseRejectionEvent).reason, e));
    g.addEventListener("error", (e) => record((e as ErrorEvent).error, e));
  } else {
    process.on("unhandledRejection", (r) => record(r));
    process.on("uncaughtException", (e) => record(e));
  }
  emit({ k: "hello" });
}

/** Step 2: the test kit has loaded (it patches the timers once): the globals as they should stay. */
export function libLoaded(): void {
  if (plan.guard) clean = fingerprint();
}

/**
 * Step 3: a test file is about to load; what registers from now on belongs to it.
 *
 * @param file Workspace-relative test file.
 */
export function mark(file: string): void {
  if (open !== null) byFile.set(open, registry.close());
  open = file;
  const unit = plan.units.find((u) => u.files.includes(file));
  emit({ k: "load", u: unit?.key ?? "", f: file });
  registry.open(file);
}

/** "Name: message" and the stack of a thrown value. */
function describeError(e: unknown): { m: string; d: string; tl?: unknown; dx?: unknown } {
  const name = safeGet(e, "name");
  const message = safeGet(e, "message");
  if (typeof message === "string") {
    const stack = safeGet(e, "stack");
    return {
      m: `${typeof name === "string" && name ? name : "Error"}: ${message}`,
      d: (typeof stack === "string" ? stack : "").slice(0, DETAILS_CAP),
      // Structured facts the kit attaches: a schedule's expected and actual timelines, a
      // deadlock's diagnosis. Plain data, copied through JSON (capped), never code.
      ...plain("tl", safeGet(e, "timeline")),
      ...plain("dx", safeGet(e, "diagnosis")),
    };
  }
  return { m: `Uncaught ${safeText(e)}`.slice(0, DETAILS_CAP), d: "" };
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
    const body = I.Promise.resolve().then(() => t.fn());
    const limit = new I.Promise<never>((_, reject) => {
      timer = I.setTimeout(
        () =>
          reject(
            new Error(
              `the test never settled: it was still waiting after ${plan.testTimeoutMs} ms of real time`,
            ),
          ),
        plan.testTimeoutMs,
      );
    });
    await I.Promise.race([body, limit]);
    await new I.Promise<void>((r) => I.setTimeout(() => r(), 0));
    if (stray.length > 0) {
      const { m, d } = describeError(stray[0]);
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
function ordered(unit: Plan["units"][number]): { file: string; t: Registered }[] {
  const all = unit.files.flatMap((file) => (byFile.get(file) ?? []).map((t) => ({ file, t })));
  if (!unit.stop) return all;
  const first = new Set(unit.stop.flat());
  return [
    ...all.filter((x) => first.has(`${x.file}\u0000${x.t.name}`)),
    ...all.filter((x) => !first.has(`${x.file}\u0000${x.t.name}`)),
  ];
}

/** Whether each stop group has a failing test (an empty list: whether any test failed). */
function satisfied(groups: string[][], failed: Set<string>): boolean {
  if (groups.length === 0) return failed.size > 0;
  return groups.every((g) => g.some((k) => failed.has(k)));
}

/** Step 4: runs every exercise's tests and reports them; ends the process. */
export async function run(): Promise<never> {
  // A test awaiting only promises must not let the runtime think there is nothing left to do
  // (Bun ends a process whose event loop is empty, whatever the pending top-level await).
  I.setInterval(() => {}, 1 << 30);
  loading = false;
  if (open !== null) byFile.set(open, registry.close());
  open = null;
  await setSecret(secret);
  if (clean) {
    const changed = changes(clean, fingerprint());
    // Code under test changed a global while loading: with several exercises loaded, no verdict
    // of this process can be trusted for any of them, so the grader runs each one alone. Alone,
    // an exercise lives with the globals it changed itself.
    if (changed.length > 0 && plan.units.length > 1) {
      emit({ k: "tainted-at-load", what: changed.slice(0, 10) });
      return I.exit(0);
    }
  }
  const unitOf = (file: string | null) =>
    plan.units.find((u) => file !== null && u.files.includes(file))?.key ?? "";
  for (const a of registry.anomalies()) {
    emit({ k: "tamper", u: unitOf(a.file), f: a.file, what: a.what });
  }
  for (const unit of plan.units) {
    const failed = new Set<string>();
    const skip = new Set(unit.skip);
    for (const { file, t } of ordered(unit)) {
      if (skip.has(`${file}\u0000${t.name}`)) continue;
      if (unit.stop && satisfied(unit.stop, failed)) break;
      emit({ k: "start", u: unit.key, f: file, n: t.name });
      const t0 = I.now();
      const r = await runTest(t);
      const mac = await signResult(file, t.name, r.s);
      if (r.s === "fail") failed.add(`${file}\u0000${t.name}`);
      emit({
        k: "result",
        u: unit.key,
        f: file,
        n: t.name,
        ...r,
        ms: I.round(I.now() - t0),
        mac,
      });
    }
    for (const a of registry.anomalies()) {
      emit({ k: "tamper", u: unit.key, f: a.file, what: a.what });
    }
    emit({ k: "unit-done", u: unit.key });
    if (clean) {
      const changed = changes(clean, fingerprint());
      if (changed.length > 0) {
        emit({ k: "tainted", u: unit.key, what: changed.slice(0, 10) });
        break;
      }
    }
  }
  emit({ k: "done" });
  // Leave at once: a timer or handle the code under test left open must not keep the process alive.
  return I.exit(0);
}
