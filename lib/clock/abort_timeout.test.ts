// AbortSignal.timeout on the virtual clock.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withClock } from "../mod.ts";

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));

describe("AbortSignal.timeout under the clock", () => {
  it(
    "AbortSignal.timeout() aborts at the right virtual time with a TimeoutError",
    withClock(async (clock) => {
      const signal = AbortSignal.timeout(300);
      assert.equal(signal.aborted, false);
      await aborted(signal);
      assert.equal(clock.now(), 300);
      assert.equal(signal.reason.name, "TimeoutError");
      assert.ok(signal.reason instanceof DOMException);
    }),
  );

  it(
    "AbortSignal.timeout() composes with AbortSignal.any()",
    withClock(async (clock) => {
      const user = new AbortController();
      const signal = AbortSignal.any([user.signal, AbortSignal.timeout(1000)]);
      await aborted(signal);
      assert.equal(clock.now(), 1000);
      assert.equal(signal.reason.name, "TimeoutError");

      const early = new AbortController();
      const combined = AbortSignal.any([early.signal, AbortSignal.timeout(1000)]);
      setTimeout(() => early.abort(new Error("user cancelled")), 200);
      await aborted(combined);
      assert.equal(clock.now(), 1200);
      assert.equal(combined.reason.message, "user cancelled");
    }),
  );

  it(
    "AbortSignal.timeout() is not reported as a leaked timer",
    withClock(() => {
      AbortSignal.timeout(60_000); // never fires within the test; must not fail it
    }),
  );

  it(
    "AbortSignal.timeout() keeps the native TypeError for invalid delays",
    withClock(() => {
      assert.throws(() => AbortSignal.timeout(-1), TypeError);
    }),
  );
});
