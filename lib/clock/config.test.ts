// The harness's configuration channel: globalThis[Symbol.for("workbook.clock")] set before lib
// loads gives every run its default shuffle seed and promise tracking; a test's own options win;
// what code under test sets later changes nothing. Run in child processes of the same runtime,
// as the harness runs tests: lib reads the configuration once, when it loads.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "./real.ts";
import { readConfig } from "./config.ts";
import { runWithClock } from "../mod.ts";
import { warmUpAndServe } from "./testdata/warmup.ts";

const SCRIPT = fileURLToPath(new URL("./testdata/config_script.ts", import.meta.url));

// deno-lint-ignore no-explicit-any
function runScript(config: unknown): any {
  const arg = config === undefined ? "none" : JSON.stringify(config);
  const args = runtimeName === "deno" ? ["run", "--no-check", "-A", SCRIPT, arg] : [SCRIPT, arg];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", timeout: 20_000 });
  return JSON.parse(out.trim().split("\n").pop()!);
}

/** The first seed in 1-16 whose schedule runs a read before the cache is loaded. */
async function catchingSeed(): Promise<number> {
  for (let seed = 1; seed <= 16; seed++) {
    const seen = await runWithClock(() => warmUpAndServe(3), {
      shuffle: seed,
      allowLeaks: true,
    });
    if (seen.includes("miss")) return seed;
  }
  throw new Error("no seed in 1-16 catches warmUpAndServe");
}

describe("the harness's configuration channel", () => {
  it("{ seed, track } set before lib loads: every run shuffles with the seed and tracks promises; a test's own options win", async () => {
    const seed = await catchingSeed();
    const out = runScript({ seed, track: true });
    assert.equal(out.loadError, undefined);
    assert.equal(out.trackerInstalled, true, "the tracker is the global Promise from the start");
    assert.ok(out.served.includes("miss"), `seed ${seed} from the config catches the bug`);
    assert.equal(out.schedule.seed, seed);
    assert.equal(out.schedule.swaps[0].at, 100);
    assert.deepEqual(out.servedInCreationOrder, ["hello", "hello", "hello"]);
    assert.equal(out.scheduleInCreationOrder.seed, 0, "shuffle: false wins over the config");
    assert.equal(out.deadlock.tracked, true);
    assert.match(out.deadlock.waits[0].site, /^lib\/clock\/testdata\/lock\.ts:\d+$/);
    assert.equal(out.deadlockUntracked.tracked, false, "track: false wins over the config");
    assert.deepEqual(out.deadlockUntracked.waits, []);
    assert.equal(out.unhandled, "UnhandledRejectionError", "tracking hides no rejection");
  });

  it("with no configuration: creation order, no tracking, the intrinsic Promise", () => {
    const out = runScript(undefined);
    assert.equal(out.trackerInstalled, false);
    assert.deepEqual(out.served, ["hello", "hello", "hello"]);
    assert.deepEqual(out.schedule, { seed: 0, choices: 0, total: 0, swaps: [] });
    assert.equal(out.deadlock.tracked, false);
    assert.equal(out.unhandled, "UnhandledRejectionError");
  });

  it("a configuration that is not { seed: integer >= 0, track: boolean } fails at load, naming the field", () => {
    assert.match(
      runScript({ seed: -1 }).loadError,
      /TypeError: .*seed must be an integer >= 0; received -1/,
    );
    assert.match(runScript({ track: "yes" }).loadError, /track must be a boolean; received "yes"/);
    assert.deepEqual(readConfig({}), { seed: 0, track: false });
    assert.throws(() => readConfig(3), /must be an object like \{ seed: 3, track: true \}/);
  });
});
