// What importing lib freezes, so code under test cannot disarm the tests (see harden.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { VirtualClock, withClock } from "../mod.ts";

describe("lib hardening", () => {
  it("freezes node:assert, the kit's classes, Promise and AsyncLocalStorage", () => {
    for (
      const t of [
        assert,
        VirtualClock,
        VirtualClock.prototype,
        Promise,
        Promise.prototype,
        AsyncLocalStorage,
        AsyncLocalStorage.prototype,
      ]
    ) {
      assert.ok(Object.isFrozen(t));
    }
  });

  it("a stub cannot replace Promise.prototype.then to turn a failing body into a pass", async () => {
    assert.throws(() => {
      (Promise.prototype as { then: unknown }).then = () => Promise.resolve();
    }, TypeError);
    const failing = withClock(() => {
      throw new Error("boom");
    });
    await assert.rejects(failing(), /boom/);
  });

  it("still lets code set its own properties on promises and call every Promise method", async () => {
    const p = Object.assign(Promise.resolve(1), { tag: "x" });
    assert.equal(p.tag, "x");
    assert.deepEqual(
      await Promise.all([p, Promise.race([2]), Promise.allSettled([3]).then((r) => r.length)]),
      [1, 2, 1],
    );
  });
});
