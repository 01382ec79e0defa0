// The course primitives' specs: each says its state in words and, for a state with waiting calls,
// what it suggests; no hint where nothing is wrong.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CONDITION, EVENT, LOCK, QUEUE, SEMAPHORE } from "./primitive_specs.ts";

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
});
