// deferred(): a promise with its resolve and reject in hand, and whether either was called.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DeadlockError, runWithClock, withClock } from "../mod.ts";
import { deferred } from "./deferred.ts";

const outcome = <T>(p: Promise<T>) =>
  p.then((value) => ({ value }), (reason: unknown) => ({ reason }));

describe("deferred()", () => {
  it("deferred() starts pending and not settled", async () => {
    const d = deferred<number>();
    assert.equal(d.settled, false);
    assert.ok(d.promise instanceof Promise, "promise is a real Promise");
    const seen = await Promise.race([d.promise.then(() => "settled"), Promise.resolve("pending")]);
    assert.equal(seen, "pending", "nothing settles the promise on its own");
  });

  it("deferred().resolve() fulfils the promise with the value and marks it settled", async () => {
    const d = deferred<string>();
    d.resolve("done");
    assert.equal(d.settled, true);
    assert.equal(await d.promise, "done");
  });

  it("deferred().reject() rejects the promise with the same reason and marks it settled", async () => {
    const d = deferred<number>();
    const reason = new Error("boom");
    d.reject(reason);
    assert.equal(d.settled, true);
    const result = await outcome(d.promise);
    assert.ok("reason" in result);
    assert.equal(result.reason, reason, "the reason is passed through by identity");
  });

  it("deferred().reject() with no reason rejects with undefined", async () => {
    const d = deferred();
    d.reject();
    assert.deepEqual(await outcome(d.promise), { reason: undefined });
  });

  it("deferred<void>().resolve() with no value fulfils with undefined", async () => {
    const d = deferred();
    d.resolve();
    assert.equal(await d.promise, undefined);
    assert.equal(d.settled, true);
  });

  it("deferred(): the first call wins; a later resolve or reject changes nothing", async () => {
    const first = deferred<number>();
    first.resolve(1);
    first.resolve(2);
    first.reject(new Error("late"));
    assert.deepEqual(await outcome(first.promise), { value: 1 });
    assert.equal(first.settled, true);

    const second = deferred<number>();
    const reason = new Error("first");
    second.reject(reason);
    second.resolve(3);
    assert.deepEqual(await outcome(second.promise), { reason });
  });

  it("deferred().resolve() adopts a thenable's value", async () => {
    const d = deferred<number>();
    d.resolve(
      { then: (onFulfilled: (v: number) => void) => onFulfilled(42) } as PromiseLike<number>,
    );
    assert.equal(await d.promise, 42);
  });

  it("deferred().resolve() with a pending promise is settled at once while the promise still waits", async () => {
    const inner = deferred<string>();
    const outer = deferred<string>();
    outer.resolve(inner.promise);
    assert.equal(outer.settled, true, "settled means resolve() was called");
    let done = false;
    void outer.promise.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(done, false, "the outer promise follows the inner one, still pending");
    inner.resolve("late");
    assert.equal(await outer.promise, "late");
  });

  it("deferred().resolve() with a rejected promise rejects with its reason", async () => {
    const d = deferred<number>();
    const reason = new Error("inner");
    d.resolve(Promise.reject(reason));
    assert.deepEqual(await outcome(d.promise), { reason });
  });

  it("deferred(): each call makes an independent promise", async () => {
    const a = deferred<string>(), b = deferred<string>();
    assert.notEqual(a.promise, b.promise);
    a.resolve("a");
    assert.equal(b.settled, false);
    b.resolve("b");
    assert.deepEqual(await Promise.all([a.promise, b.promise]), ["a", "b"]);
  });

  it(
    "deferred() orders events in virtual time: a timer's resolve wakes the waiter at its due time",
    withClock(async (clock) => {
      const gate = deferred<number>();
      setTimeout(() => gate.resolve(7), 10);
      assert.equal(gate.settled, false);
      assert.equal(await gate.promise, 7);
      assert.equal(clock.now(), 10);
      assert.equal(gate.settled, true);
    }),
  );

  it("deferred() nobody settles is named at the line that made it when tracking is on", async () => {
    let line = 0;
    const error = await runWithClock(async () => {
      const [never, here] = [deferred<void>(), new Error()]; // the site the diagnosis must name
      line = Number(/deferred\.test\.ts:(\d+)/.exec(here.stack ?? "")?.[1]);
      await never.promise;
    }, { track: true, graceMs: 5 }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof DeadlockError, `expected a DeadlockError, got ${error}`);
    assert.ok(line > 0, "the test found its own line");
    const waits = error.diagnosis.waits.map((w) => [w.site, w.count]);
    assert.deepEqual(waits, [[`lib/kit/deferred.test.ts:${line}`, 1]], "blamed at the caller");
  });
});
