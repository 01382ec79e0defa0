// The course primitives' specs: each says its state in words and, for a state with waiting calls,
// what it suggests; no hint where nothing is wrong.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CHANNEL, CONDITION, EVENT, LOCK, POOL, QUEUE, SEMAPHORE } from "./primitive_specs.ts";

describe("primitive specs", () => {
  it("LOCK says free or locked and suspects release() when it is free while acquire() waits", () => {
    assert.equal(LOCK.state({ locked: () => true }), "locked");
    assert.match(LOCK.hint!({ locked: () => false }, { acquire: 2 }) ?? "", /did release\(\) wake/);
    assert.equal(LOCK.hint!({ locked: () => true }, { acquire: 2 }), undefined);
    assert.equal(LOCK.hint!({ locked: () => false }, { acquire: 0 }), undefined);
  });

  it("SEMAPHORE, EVENT, CONDITION and QUEUE say their state and what it suggests", () => {
    assert.equal(SEMAPHORE.state({ value: 2, locked: () => false }), "value 2");
    assert.match(
      SEMAPHORE.hint!({ value: 1, locked: () => false }, { acquire: 1 }) ?? "",
      /release\(\) wake/,
    );
    assert.equal(SEMAPHORE.hint!({ value: 0, locked: () => true }, { acquire: 3 }), undefined);
    assert.equal(EVENT.state({ isSet: () => true }), "set");
    assert.match(EVENT.hint!({ isSet: () => true }, { wait: 2 }) ?? "", /set\(\) wake/);
    assert.equal(EVENT.hint!({ isSet: () => false }, { wait: 2 }), undefined);
    assert.equal(CONDITION.state({ locked: () => true }), "lock held");
    assert.match(
      CONDITION.hint!({ locked: () => false }, { wait: 1, waitFor: 0 }) ?? "",
      /notify\(\)/,
    );
    assert.equal(
      QUEUE.state({ qsize: () => 3, full: () => true, maxsize: 3 }),
      "3 items, maxsize 3 (full)",
    );
    assert.match(
      QUEUE.hint!({ qsize: () => 1, full: () => false, maxsize: 1 }, { put: 1 }) ?? "",
      /get\(\) wake a putter/,
    );
  });

  it("QUEUE describes a queue without full() (17's given one) as never full", () => {
    const q = { qsize: () => 0, maxsize: 3 };
    assert.equal(QUEUE.state(q), "empty, maxsize 3");
    assert.match(QUEUE.hint!(q, { put: 1 }) ?? "", /room while put\(\) waits/);
  });

  it("CHANNEL says items, capacity and open or closed, and suspects a stage that never closes", () => {
    const open = { size: 0, capacity: 1, closed: false };
    assert.equal(CHANNEL.state(open), "empty, capacity 1, open");
    assert.equal(
      CHANNEL.state({ size: 2, capacity: Infinity, closed: true }),
      "2 items, capacity Infinity, closed",
    );
    assert.match(CHANNEL.hint!(open, { receive: 1, send: 0 }) ?? "", /close\(\) its output/);
    assert.match(
      CHANNEL.hint!({ size: 1, capacity: 1, closed: false }, { send: 1, receive: 0 }) ?? "",
      /stopped receiving/,
    );
    assert.equal(
      CHANNEL.hint!({ size: 0, capacity: 1, closed: true }, { receive: 0, send: 0 }),
      undefined,
    );
  });

  it("POOL says connections and idle ones, and what a waiting acquire() or drain() suggests", () => {
    assert.equal(POOL.state({ size: 2, max: 3, idleCount: 1 }), "2 of max 3 connections, 1 idle");
    assert.match(
      POOL.hint!({ size: 2, max: 2, idleCount: 1 }, { acquire: 1, drain: 0 }) ?? "",
      /release\(\) hand one/,
    );
    assert.match(
      POOL.hint!({ size: 1, max: 2, idleCount: 0 }, { acquire: 1, drain: 0 }) ?? "",
      /open one/,
    );
    assert.match(
      POOL.hint!({ size: 2, max: 2, idleCount: 0 }, { acquire: 0, drain: 1 }) ?? "",
      /never released/,
    );
    assert.equal(
      POOL.hint!({ size: 2, max: 2, idleCount: 0 }, { acquire: 3, drain: 0 }),
      undefined,
    );
  });
});
