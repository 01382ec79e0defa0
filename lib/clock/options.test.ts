// resolveOptions(): a run's options checked, with every default filled in; DEFAULT_EPOCH;
// reportEnabled.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import "../mod.ts";
import { config } from "./config.ts";
import { DEFAULT_EPOCH, reportEnabled, resolveOptions } from "./options.ts";

const refused = (name: string, received: string) => ({
  name: "RangeError",
  message: new RegExp(
    `^Cannot create the virtual clock: '${name}' must be a .*; received ${received}$`,
  ),
});

describe("resolveOptions()", () => {
  it("DEFAULT_EPOCH is 2030-01-01T00:00:00Z", () => {
    assert.equal(DEFAULT_EPOCH, Date.UTC(2030, 0, 1));
    assert.equal(new Date(DEFAULT_EPOCH).toISOString(), "2030-01-01T00:00:00.000Z");
  });

  it("resolveOptions({}) fills in every documented default (the harness's seed and track)", () => {
    assert.deepEqual(resolveOptions({}), {
      seed: 1,
      shuffleSeed: config.seed === 0 ? undefined : config.seed,
      track: config.track,
      autoAdvance: true,
      maxTimers: 100_000,
      maxVirtualMs: 86_400_000,
      graceMs: 40,
      maxRealMs: 10_000,
      allowLeaks: false,
      epoch: DEFAULT_EPOCH,
    });
  });

  it("resolveOptions() keeps every option given, false values included", () => {
    assert.deepEqual(
      resolveOptions({
        seed: 9,
        shuffle: 4,
        track: false,
        autoAdvance: false,
        maxTimers: 3,
        maxVirtualMs: 0,
        graceMs: 0,
        maxRealMs: 1,
        allowLeaks: true,
        epoch: 1,
      }),
      {
        seed: 9,
        shuffleSeed: 4,
        track: false,
        autoAdvance: false,
        maxTimers: 3,
        maxVirtualMs: 0,
        graceMs: 0,
        maxRealMs: 1,
        allowLeaks: true,
        epoch: 1,
      },
    );
    assert.equal(resolveOptions({ track: true }).track, true);
  });

  it("resolveOptions() treats an option set to undefined as not given", () => {
    assert.deepEqual(
      resolveOptions({ graceMs: undefined, epoch: undefined, seed: undefined, track: undefined }),
      resolveOptions({}),
    );
  });

  it("resolveOptions() shuffle: true takes the seed; false and 0 are creation order", () => {
    assert.equal(resolveOptions({ shuffle: true }).shuffleSeed, 1, "the default seed is 1");
    assert.equal(resolveOptions({ seed: 9, shuffle: true }).shuffleSeed, 9);
    assert.equal(resolveOptions({ seed: 0, shuffle: true }).shuffleSeed, undefined);
    assert.equal(resolveOptions({ shuffle: false }).shuffleSeed, undefined);
    assert.equal(resolveOptions({ shuffle: 0 }).shuffleSeed, undefined);
    assert.equal(resolveOptions({ seed: 9, shuffle: 5 }).shuffleSeed, 5, "a number wins over seed");
  });

  it("resolveOptions() accepts any 32-bit shuffle seed, signed or unsigned", () => {
    for (const s of [-1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]) {
      assert.equal(resolveOptions({ shuffle: s }).shuffleSeed, s);
    }
  });

  it("resolveOptions() refuses a shuffle seed that is not a 32-bit integer", () => {
    for (const s of [1.5, 2 ** 32, -(2 ** 31) - 1, NaN, Infinity]) {
      assert.throws(
        () => resolveOptions({ shuffle: s }),
        refused("shuffle", String(s).replace(".", "\\.")),
      );
    }
    assert.throws(() => resolveOptions({ seed: 0.5, shuffle: true }), refused("shuffle", "0\\.5"));
  });

  it("resolveOptions() refuses each numeric option below its minimum, naming it", () => {
    const cases: [string, number, number][] = [
      ["maxTimers", 1, 0],
      ["maxVirtualMs", 0, -1],
      ["graceMs", 0, -0.5],
      ["maxRealMs", 1, 0],
      ["epoch", 1, 0],
    ];
    for (const [name, min, below] of cases) {
      assert.equal(
        resolveOptions({ [name]: min })[name as "epoch"],
        min,
        `${name}: ${min} is fine`,
      );
      assert.throws(() => resolveOptions({ [name]: below }), {
        name: "RangeError",
        message: `Cannot create the virtual clock: '${name}' must be a number >= ${min}; ` +
          `received ${below}`,
      });
    }
  });

  it("resolveOptions() refuses NaN and non-numbers for numeric options", () => {
    assert.throws(() => resolveOptions({ graceMs: NaN }), refused("graceMs", "NaN"));
    assert.throws(
      () => resolveOptions({ maxTimers: "10" as unknown as number }),
      refused("maxTimers", "10"),
    );
    assert.throws(
      () => resolveOptions({ epoch: null as unknown as number }),
      refused("epoch", "null"),
    );
  });

  it("resolveOptions() accepts Infinity as a budget", () => {
    const r = resolveOptions({ maxTimers: Infinity, maxVirtualMs: Infinity });
    assert.deepEqual([r.maxTimers, r.maxVirtualMs], [Infinity, Infinity]);
  });

  it("resolveOptions() checks maxTimers first when several options are wrong", () => {
    assert.throws(() => resolveOptions({ epoch: 0, graceMs: -1, maxTimers: 0 }), /'maxTimers'/);
    assert.throws(() => resolveOptions({ epoch: 0, shuffle: 0.5 }), /'epoch'/);
  });
});

describe("reportEnabled", () => {
  it("reportEnabled is true exactly when WORKBOOK_CLOCK_REPORT is 1", () => {
    assert.equal(typeof reportEnabled, "boolean");
    assert.equal(reportEnabled, process.env.WORKBOOK_CLOCK_REPORT === "1");
  });
});
