// installRun(): one run's table, seeded Math.random, escape hook and host, and
// uninstall() taking them down. Each test installs and uninstalls synchronously (try/finally),
// so the test runner's own timers never meet an installed run.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EscapedTimeError } from "../mod.ts";
import { activeHost } from "./host.ts";
import { type InstalledRun, installRun } from "./install.ts";
import { resolveOptions } from "./options.ts";
import { real, runtimeName } from "./real.ts";

const EPOCH = 7_000_000;
const options = resolveOptions({ epoch: EPOCH, shuffle: false });
const random = () => 0.25;

/** Installs a run, calls `body` with it and always takes it down again. */
function withRun<T>(
  body: (run: InstalledRun, seen: { unhandled: unknown[]; escaped: EscapedTimeError[] }) => T,
): T {
  const seen = { unhandled: [] as unknown[], escaped: [] as EscapedTimeError[] };
  const run = installRun(
    options,
    random,
    (r) => seen.unhandled.push(r),
    (e) => seen.escaped.push(e),
  );
  try {
    return body(run, seen);
  } finally {
    run.uninstall(true);
  }
}

describe("installRun()", () => {
  it("installRun() makes a table on the options' epoch and its host the active one", () => {
    assert.equal(activeHost(), undefined);
    const seen = withRun((run) => {
      const host = activeHost()!;
      run.table.tickTo(EPOCH + 40);
      return [run.table.now(), host.elapsed(), host.wallNow(), Date.now(), performance.now()];
    });
    assert.deepEqual(seen, [40, 40, EPOCH + 40, EPOCH + 40, 40]);
  });

  it("installRun() routes the global timers to the run's table", () => {
    const seen = withRun((run) => {
      const fired: string[] = [];
      setTimeout(() => fired.push("timeout"), 30);
      setImmediate(() => fired.push("immediate"));
      const pending = run.table.pending().map((p) => [p.kind, p.dueAt]);
      while (run.table.nextDue() !== undefined) run.table.fireNext();
      return { pending, fired, now: run.table.now() };
    });
    assert.deepEqual(seen, {
      pending: [["setImmediate", 0], ["setTimeout", 30]],
      fired: ["immediate", "timeout"],
      now: 30,
    });
  });

  it("installRun() seeds Math.random with the given function; uninstall() restores it", () => {
    const before = Math.random;
    const draws = withRun(() => [Math.random(), Math.random === random]);
    assert.deepEqual(draws, [0.25, true]);
    assert.equal(Math.random, before);
  });

  it("uninstall(true) clears the run's timers and gives the globals back to real time", () => {
    let run: InstalledRun | undefined;
    withRun((r) => {
      run = r;
      setTimeout(() => {}, 100);
      setInterval(() => {}, 10);
      assert.equal(r.table.hasTimers, true);
    });
    assert.deepEqual([run!.table.hasTimers, run!.table.pending()], [false, []]);
    assert.equal(activeHost(), undefined);
    const low = real.dateNow();
    const now = Date.now();
    assert.ok(now >= low && now <= real.dateNow(), "Date.now() is real again");
  });

  it("uninstall(false) leaves the globals to a newer run", () => {
    const older = installRun(options, random, () => {}, () => {});
    const newer = installRun(
      resolveOptions({ epoch: 99, shuffle: false }),
      Math.random,
      () => {},
      () => {},
    );
    try {
      const host = activeHost();
      older.uninstall(false);
      assert.equal(activeHost(), host, "the newer run's host stays active");
      assert.equal(Date.now(), 99);
    } finally {
      newer.uninstall(true);
      older.uninstall(true);
    }
    assert.equal(activeHost(), undefined);
  });

  it("installRun() hands an escaped timer API to onEscape, and the call throws it", () => {
    const seen = withRun((_run, seen) => {
      const thrown = (() => {
        try {
          if (runtimeName === "bun") {
            (globalThis as unknown as { Bun: { sleepSync(ms: number): void } }).Bun.sleepSync(1);
          } else {
            void timers.setTimeout(1); // node:timers/promises: guarded under Deno
          }
        } catch (error) {
          return error;
        }
      })();
      return { thrown, escaped: seen.escaped };
    });
    assert.ok(seen.thrown instanceof EscapedTimeError, `expected an escape, got ${seen.thrown}`);
    assert.deepEqual(seen.escaped, [seen.thrown]);
  });
});

const timers = await import("node:timers/promises");
