// activeHost() and claimHostSetter(): the running clock's host (what the global forwarders ask),
// present only during a run, frozen, and settable by lib's install.ts alone.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { EscapedTimeError, runWithClock, VirtualClock } from "../mod.ts";
import { activeHost, claimHostSetter, type TimerHost } from "./host.ts";

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
const HOST_METHODS = ["clear", "elapsed", "escape", "owns", "schedule", "wallNow"];

describe("claimHostSetter()", () => {
  it("claimHostSetter() refuses a second claim: lib's install.ts holds the setter", () => {
    assert.throws(() => claimHostSetter(), {
      name: "Error",
      message: "the clock's host setter belongs to lib/clock/install.ts",
    });
    assert.throws(() => claimHostSetter(), /belongs to lib\/clock\/install\.ts/, "every time");
    assert.equal(activeHost(), undefined, "a refused claim installs nothing");
  });
});

describe("activeHost()", () => {
  it("activeHost() is undefined when no clock runs, before and after a run", async () => {
    assert.equal(activeHost(), undefined);
    const inside = await runWithClock(() => activeHost());
    assert.notEqual(inside, undefined);
    assert.equal(activeHost(), undefined);
  });

  it("activeHost() during a run is a frozen object of the six host functions, not the clock", async () => {
    const { host, clock } = await runWithClock((clock) => ({ host: activeHost()!, clock }));
    assert.deepEqual(Object.keys(host).sort(), HOST_METHODS);
    for (const name of HOST_METHODS) {
      assert.equal(typeof host[name as keyof TimerHost], "function", name);
    }
    assert.ok(Object.isFrozen(host));
    assert.throws(() => {
      (host as { elapsed: () => number }).elapsed = () => 0;
    }, TypeError);
    assert.ok(!(host instanceof VirtualClock));
    assert.notEqual(host as unknown, clock);
  });

  it("activeHost() is a new host for each run", async () => {
    const a = await runWithClock(() => activeHost());
    const b = await runWithClock(() => activeHost());
    assert.notEqual(a, b);
  });

  it("activeHost().elapsed() and wallNow() tell the run's virtual time", async () => {
    const seen = await runWithClock(async (clock) => {
      const host = activeHost()!;
      const start = [host.elapsed(), host.wallNow()];
      await clock.sleep(750);
      return [...start, host.elapsed(), host.wallNow(), Date.now(), performance.now()];
    }, { epoch: 10_000 });
    assert.deepEqual(seen, [0, 10_000, 750, 10_750, 10_750, 750]);
  });

  it("activeHost().schedule() arms a timer of the given kind on the run's clock", async () => {
    const seen = await runWithClock(async (clock) => {
      const host = activeHost()!;
      const got: unknown[] = [];
      host.schedule("setTimeout", (...args) => got.push(["timeout", ...args]), 40, ["a", 2]);
      host.schedule("setImmediate", () => got.push("immediate"), 0, []);
      const pending = clock.pending().map((p) => [p.kind, p.delay, p.dueAt]);
      await clock.sleep(50);
      return { pending, got, fired: clock.trace.map((e) => `${e.at}:${e.kind}`) };
    });
    assert.deepEqual(seen.pending, [["setImmediate", 0, 0], ["setTimeout", 40, 40]]);
    assert.deepEqual(seen.got, ["immediate", ["timeout", "a", 2]]);
    assert.deepEqual(seen.fired, ["0:setImmediate", "40:setTimeout", "50:setTimeout"]);
  });

  it("activeHost().owns() and clear() know the run's handles only", async () => {
    const seen = await runWithClock((clock) => {
      const host = activeHost()!;
      const mine = host.schedule("setTimeout", () => {}, 10, []);
      const global = setTimeout(() => {}, 20);
      const owned = [host.owns(mine), host.owns(global), host.owns(12345), host.owns(undefined)];
      host.clear(12345); // not a timer of this run: nothing happens
      host.clear(mine);
      host.clear(mine); // twice is harmless
      const left = clock.pending().map((p) => p.delay);
      clearTimeout(global);
      return { owned, left };
    });
    assert.deepEqual(seen.owned, [true, true, false, false]);
    assert.deepEqual(seen.left, [20]);
  });

  it("activeHost() of a finished run does not own the next run's timers", async () => {
    const old = await runWithClock(() => activeHost()!);
    const seen = await runWithClock(() => {
      const handle = setTimeout(() => {}, 5);
      const owns = [old.owns(handle), activeHost()!.owns(handle)];
      clearTimeout(handle);
      return owns;
    });
    assert.deepEqual(seen, [false, true]);
  });

  it("activeHost().escape() fails the run with that very error", async () => {
    const escaped = new EscapedTimeError("a timer API kept real time");
    const error = await failure(runWithClock(async (clock) => {
      activeHost()!.escape(escaped);
      await clock.sleep(10);
      return "finished";
    }));
    assert.equal(error, escaped);
  });
});
