// The small helpers: deferred, seededRandom, EventRecorder, blockFor and BlockingDb.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  blockFor,
  BlockingDb,
  DbError,
  deferred,
  EventRecorder,
  seededRandom,
  withClock,
} from "../mod.ts";

describe("small kit helpers", () => {
  it("deferred() settles from outside and reports settled", async () => {
    const d = deferred<number>();
    assert.equal(d.settled, false);
    d.resolve(7);
    assert.equal(d.settled, true);
    assert.equal(await d.promise, 7);
  });

  it("seededRandom() repeats for a seed and stays in [0, 1)", () => {
    const a = seededRandom(42), b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.throws(() => seededRandom(NaN), RangeError);
  });

  it(
    "EventRecorder stamps events with virtual time",
    withClock(async (clock) => {
      const rec = new EventRecorder<number>();
      rec.record("start");
      await clock.sleep(250);
      rec.record("got", 3);
      assert.deepEqual(rec.names(), ["start", "got"]);
      assert.equal(rec.firstAt("got"), 250);
      assert.deepEqual(rec.times("start"), [0]);
      assert.equal(rec.format(), "t=0 start\nt=250 got 3");
    }),
  );

  it("blockFor() blocks the thread for real time", () => {
    const started = performance.now();
    blockFor(30);
    assert.ok(performance.now() - started >= 25);
  });

  it("BlockingDb.query() returns rows and throws DbError with its fields", () => {
    const db = new BlockingDb({ latencyMs: 0 });
    assert.deepEqual(db.query("SELECT 1"), [{ value: 1 }]);
    assert.equal(db.query("SELECT * FROM users").length, 2);
    const error = assert.throws(() => db.query("SELECT * FROM nope"), DbError);
    void error;
    try {
      db.query("DROP TABLE users");
    } catch (e) {
      assert.ok(e instanceof DbError);
      assert.deepEqual([e.name, e.code, e.sql], ["DbError", "SQLITE_ERROR", "DROP TABLE users"]);
    }
  });
});
