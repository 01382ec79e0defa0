// EventRecorder: named events stamped with the running clock's virtual time (0 outside a clock).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { withClock } from "../mod.ts";
import { EventRecorder } from "./recorder.ts";

describe("EventRecorder", () => {
  it("EventRecorder starts empty: no events, no names, empty format", () => {
    const rec = new EventRecorder();
    assert.deepEqual(rec.events, []);
    assert.deepEqual(rec.names(), []);
    assert.equal(rec.firstAt("x"), undefined);
    assert.deepEqual(rec.times("x"), []);
    assert.equal(rec.format(), "");
  });

  it("EventRecorder.record() outside a clock stamps t=0", () => {
    const rec = new EventRecorder<number>();
    rec.record("a", 1);
    rec.record("b");
    assert.deepEqual(rec.events.map((e) => [e.at, e.name, e.detail]), [
      [0, "a", 1],
      [0, "b", undefined],
    ]);
  });

  it(
    "EventRecorder.record() stamps each event with the virtual time it happened at",
    withClock(async (clock) => {
      const rec = new EventRecorder<string>();
      rec.record("start");
      await clock.sleep(100);
      rec.record("tick", "one");
      setTimeout(() => rec.record("timer"), 250);
      await clock.sleep(300);
      rec.record("end");
      assert.deepEqual(rec.events.map((e) => [e.at, e.name]), [
        [0, "start"],
        [100, "tick"],
        [350, "timer"],
        [400, "end"],
      ]);
      assert.equal(rec.events[1].detail, "one");
    }),
  );

  it(
    "EventRecorder.names() lists names in record order, repeats included",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      for (const name of ["b", "a", "b", "c"]) {
        rec.record(name);
        await clock.sleep(10);
      }
      assert.deepEqual(rec.names(), ["b", "a", "b", "c"]);
      rec.names().push("mutated");
      assert.equal(rec.events.length, 4, "names() is a copy: changing it records nothing");
    }),
  );

  it(
    "EventRecorder.firstAt() is the first occurrence's time; undefined for a name never recorded",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      await clock.sleep(30);
      rec.record("got");
      await clock.sleep(20);
      rec.record("got");
      rec.record("other");
      assert.equal(rec.firstAt("got"), 30);
      assert.equal(rec.firstAt("other"), 50);
      assert.equal(rec.firstAt("missing"), undefined);
      assert.equal(rec.firstAt("Got"), undefined, "names match exactly");
    }),
  );

  it(
    "EventRecorder.firstAt() returns 0, not undefined, for an event at t=0",
    withClock(() => {
      const rec = new EventRecorder();
      rec.record("zero");
      assert.equal(rec.firstAt("zero"), 0);
    }),
  );

  it(
    "EventRecorder.times() lists every occurrence's time of one name, in order",
    withClock(async (clock) => {
      const rec = new EventRecorder();
      const id = setInterval(() => rec.record("tick"), 25);
      rec.record("start");
      await clock.sleep(110);
      clearInterval(id);
      assert.deepEqual(rec.times("tick"), [25, 50, 75, 100]);
      assert.deepEqual(rec.times("start"), [0]);
      assert.deepEqual(rec.times("never"), []);
    }),
  );

  it(
    "EventRecorder.format() writes one `t=NNN name detail` line per event, detail as JSON",
    withClock(async (clock) => {
      const rec = new EventRecorder<unknown>();
      rec.record("plain");
      await clock.sleep(5);
      rec.record("text", "hi");
      rec.record("obj", { n: 1, list: [2, 3] });
      await clock.sleep(1000);
      rec.record("zero", 0);
      rec.record("null", null);
      rec.record("no", false);
      assert.equal(
        rec.format(),
        [
          "t=0 plain",
          't=5 text "hi"',
          't=5 obj {"n":1,"list":[2,3]}',
          "t=1005 zero 0",
          "t=1005 null null",
          "t=1005 no false",
        ].join("\n"),
      );
    }),
  );

  it("EventRecorder.format() has no trailing newline for one event", () => {
    const rec = new EventRecorder();
    rec.record("only");
    assert.equal(rec.format(), "t=0 only");
  });

  it(
    "EventRecorder: two recorders keep separate events",
    withClock(async (clock) => {
      const a = new EventRecorder(), b = new EventRecorder();
      a.record("x");
      await clock.sleep(7);
      b.record("y");
      assert.deepEqual(a.names(), ["x"]);
      assert.deepEqual(b.format(), "t=7 y");
    }),
  );
});
