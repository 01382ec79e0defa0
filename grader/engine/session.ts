/**
 * One harness process: starts the runtime (inside the sandbox when there is one) on the harness,
 * hands it the run's secret and the plan on stdin, reads its protocol lines as they come, checks
 * each result's signature, gives every test its own real-time deadline (a test still running
 * past it is killed with the process, and charged alone), and attributes printed output to the
 * test that was running. The results are read only from signed lines: printed text, an exit
 * code or a forged line can never make a test pass.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHmac, randomBytes } from "node:crypto";
import { spawnWatched } from "./watched.ts";
import type {
  ClockConfig,
  Launch,
  SessionOptions,
  SessionResult,
  SessionUnit,
} from "./session_types.ts";

/** The protocol marker the harness writes before each of its lines. */
export const MARKER = "##workbook-harness ";

export type { ClockConfig, Launch, SessionResult, SessionUnit } from "./session_types.ts";

const TEXT_CAP = 64 * 1024;
const OUTPUT_KEEP = 64 * 1024;

/**
 * Runs one harness session.
 *
 * @param launch How to start the runtime on the harness.
 * @param plan The units, in order (the launch's entry module imports their test files).
 * @param o How to run it: the runtime, the guard, a signal that stops it, a spare's hold.
 * @returns What it found.
 */
export async function runSession(
  launch: Launch,
  plan: { units: SessionUnit[]; clock?: ClockConfig; nonce: string },
  o: SessionOptions,
): Promise<SessionResult> {
  const secret = randomBytes(32).toString("hex");
  // The harness keys its HMAC with the secret's 32 bytes (harness/protocol.ts fromHex).
  const key = Buffer.from(secret, "hex");
  const sign = (text: string) => createHmac("sha256", key).update(text).digest("hex");
  /** The sequence number the next signed line must carry. */
  let seq = 0;
  const r: SessionResult = {
    verdicts: new Map(),
    outputs: new Map(),
    loadErrors: new Map(),
    loaded: new Set(),
    tampering: new Map(),
    unitsDone: new Set(),
    tainted: null,
    taintedAtLoad: null,
    started: false,
    finished: false,
    end: { code: null, killed: null },
    text: "",
    ms: 0,
  };
  const deadlineOf = new Map(plan.units.map((u) => [u.key, u.deadlineMs]));
  let current: { unit: string; file: string; name: string | null } | null = null;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let buffer = "";
  const put = <T>(m: Map<string, Map<string, T>>, file: string, name: string, v: T) => {
    if (!m.has(file)) m.set(file, new Map());
    m.get(file)!.set(name, v);
  };
  // Output kept per test is capped here already (the report caps it further): a test that prints
  // gigabytes must not fill the grader's memory.
  const addOutput = (text: string) => {
    if (!current || !text) return;
    const name = current.name ?? "";
    const had = r.outputs.get(current.file)?.get(name) ?? "";
    if (had.length >= OUTPUT_KEEP) return;
    put(r.outputs, current.file, name, had + text.slice(0, OUTPUT_KEEP - had.length));
  };
  const idleMs = Math.max(30_000, ...plan.units.map((u) => u.deadlineMs));
  // Every protocol line re-arms the deadline: a test's own while it runs, a generous one between
  // tests and at start-up, so nothing the code under test does can keep the process alive forever.
  const arm = (unit?: string) => {
    clearTimeout(deadline);
    const ms = unit === undefined ? idleMs : deadlineOf.get(unit) ?? idleMs;
    deadline = setTimeout(() => {
      if (debug) {
        process.stderr.write(
          `[session ${launch.args.at(-1)}] killed at the deadline (${ms} ms) during ${
            JSON.stringify(current)
          }\n`,
        );
      }
      watched.kill(`deadline:${ms}`);
    }, ms);
  };
  const debug = process.env.WORKBOOK_GRADER_DEBUG === "1";
  // A deadline is re-armed only by a line that says something new (a file, a test, a result): the
  // session's total time stays bounded by its tests, whatever is printed.
  const seen = new Set<string>();
  const once = (k: string) => (seen.has(k) ? false : (seen.add(k), true));
  const t0 = Date.now();
  const onLine = (line: string) => {
    if (debug) {
      process.stderr.write(
        `[session ${launch.args.at(-1)} +${Date.now() - t0}ms] ${line.slice(0, 300)}\n`,
      );
    }
    const at = line.indexOf(MARKER);
    if (at !== 0) {
      addOutput(line + "\n");
      return;
    }
    const m = r.started ? verified(line.slice(MARKER.length)) : first(line.slice(MARKER.length));
    if (m === null) {
      // Not from the harness (a bad mac, a replayed number, not JSON): printed by the code under
      // test. It decides nothing.
      addOutput(line + "\n");
      return;
    }
    const unit = String(m.u ?? "");
    const file = String(m.f ?? "");
    switch (m.k) {
      case "hello":
        r.started = true;
        // The harness has read every module: the hidden tests leave the disk before it goes on.
        o.onHello?.();
        if (!o.hold) watched.finishInput("go\n");
        else {
          // A spare waits, with no deadline, until the grader has the files to grade on disk.
          clearTimeout(deadline);
          void o.hold.then(() => (arm(), watched.finishInput("go\n")));
        }
        return;
      case "tainted-at-load":
        r.taintedAtLoad = Array.isArray(m.what) ? m.what.map(String) : [];
        return;
      case "load":
        current = { unit, file, name: null };
        if (once(`load\u0000${file}`)) arm(unit);
        return;
      case "load-error":
        r.loadErrors.set(
          m.f ? file : current?.file ?? "",
          String(m.m ?? "") + (m.d ? `\n${m.d}` : ""),
        );
        return;
      case "start":
        current = { unit, file, name: String(m.n ?? "") };
        if (once(`start\u0000${file}\u0000${current.name}`)) arm(unit);
        return;
      case "result": {
        const name = String(m.n ?? "");
        const status = m.s === "pass" ? "pass" : "fail";
        put(r.verdicts, file, name, {
          status,
          message: String(m.m ?? ""),
          details: String(m.d ?? ""),
          time: Number(m.ms ?? 0) / 1000,
          ...(m.tl !== undefined ? { timeline: m.tl } : {}),
          ...(m.dx !== undefined ? { diagnosis: m.dx } : {}),
          ...(m.sc !== undefined ? { schedule: m.sc } : {}),
        });
        r.loaded.add(file);
        current = current ? { ...current, name: null } : null;
        if (once(`result\u0000${file}\u0000${name}`)) arm();
        return;
      }
      case "tamper":
        if (!r.tampering.has(unit)) r.tampering.set(unit, []);
        r.tampering.get(unit)!.push(String(m.what ?? ""));
        return;
      case "unit-done":
        r.unitsDone.add(unit);
        if (once(`done\u0000${unit}`)) arm();
        current = null;
        return;
      case "tainted":
        r.tainted = { unit, what: Array.isArray(m.what) ? m.what.map(String) : [] };
        return;
      case "done":
        r.finished = true;
        return;
      default:
        return;
    }
  };
  /** The first protocol line: an unsigned hello, which nothing of the code under test precedes. */
  const first = (text: string): Record<string, unknown> | null => {
    try {
      const m = JSON.parse(text) as Record<string, unknown>;
      return m?.k === "hello" ? m : null;
    } catch {
      return null;
    }
  };
  /** A signed line: `<mac> <json>`, the mac right and the json's q the next number. */
  const verified = (text: string): Record<string, unknown> | null => {
    const space = text.indexOf(" ");
    if (space !== 64) return null;
    const json = text.slice(space + 1);
    if (text.slice(0, space) !== sign(json)) return null;
    try {
      const m = JSON.parse(json) as Record<string, unknown>;
      if (m.q !== seq) return null;
      seq++;
      return m;
    } catch {
      return null;
    }
  };
  const watched = spawnWatched(launch.cmd, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    keepInputOpen: true,
    input: `${secret}\n${
      JSON.stringify({
        units: plan.units.map(({ key, files, skip, stop }) => ({
          key,
          files,
          skip,
          ...(stop ? { stop } : {}),
        })),
        testTimeoutMs: Math.max(
          1000,
          Math.min(...plan.units.map((u) => u.deadlineMs)) - 500,
        ),
        guard: o.guard,
        clock: plan.clock ?? {},
        nonce: plan.nonce,
        ...(o.spare ? { spare: true } : {}),
      })
    }\n`,
    onOutput: (text) => {
      if (r.text.length < TEXT_CAP) r.text += text.slice(0, TEXT_CAP - r.text.length);
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
      // A line that never ends is printed output (the harness's lines are short): pass it on.
      if (buffer.length > 256 * 1024) {
        onLine(buffer);
        buffer = "";
      }
    },
  });
  arm();
  // A grade that nobody waits for any more (a newer save in watch mode) stops at once.
  const onAbort = () => watched.kill("aborted");
  o.signal?.addEventListener("abort", onAbort, { once: true });
  if (o.signal?.aborted) onAbort();
  const end = await watched.done;
  o.signal?.removeEventListener("abort", onAbort);
  clearTimeout(deadline);
  if (buffer) onLine(buffer);
  r.end = end;
  r.ms = end.ms;
  // The test (or file) that was running when the process ended without finishing is charged alone.
  const at = current as { unit: string; file: string; name: string | null } | null;
  if (!r.finished && at) {
    const why = describeEnd(end, deadlineOf.get(at.unit) ?? 0);
    if (at.name !== null) {
      put(r.verdicts, at.file, at.name, {
        status: "fail",
        message: why,
        details: tail(r.text),
        time: 0,
      });
    } else if (!r.loadErrors.has(at.file)) {
      r.loadErrors.set(at.file, `${why} (while the test file loaded)\n${tail(r.text)}`);
    }
  }
  return r;
}

/** The message of a test that was running when the process ended. */
function describeEnd(
  end: { code: number | null; killed: string | null; spawnError?: string },
  deadlineMs: number,
): string {
  if (end.spawnError) return `crash: the runtime could not start: ${end.spawnError}`;
  if (end.killed?.startsWith("deadline")) {
    return `CPU loop / no progress: this test was still running after ${
      Math.round(deadlineMs / 1000)
    } s of real time, so it was stopped (a loop that never awaits, or a blocking call)`;
  }
  if (end.killed === "memory") {
    return "killed: memory grew past the limit while this test ran: a buffer that grows without bound, or a loop that never awaits anything real";
  }
  return `crash: the process exited (code ${end.code}) while this test ran: process.exit() or a fatal error in the code under test`;
}

/** The last lines of the output, for a crash message. */
function tail(text: string): string {
  return text.split("\n").filter((l) => !l.startsWith(MARKER)).slice(-12).join("\n").trim();
}
