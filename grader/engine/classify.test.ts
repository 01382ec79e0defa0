import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { classifyMessage } from "./classify.ts";

describe("classifyMessage()", () => {
  it("classifyMessage() maps the clock's errors and the stub's TODO error", () => {
    assert.equal(classifyMessage("Error: not implemented: crawl (task 1)"), "not-started");
    assert.equal(classifyMessage("DeadlockError: deadlock at t=1"), "deadlock");
    assert.equal(classifyMessage("LeakedTimersError: 1 timer"), "leaked-timers");
    assert.equal(classifyMessage("UnhandledRejectionError: lost"), "unhandled-rejection");
    assert.equal(classifyMessage("Uncaught Error: late boom"), "unhandled-rejection");
    assert.equal(classifyMessage("Uncaught AssertionError: 1 !== 2"), "assertion");
    assert.equal(classifyMessage("Uncaught Error: not implemented: f (task 1)"), "not-started");
    assert.equal(classifyMessage("Error: Unhandled error between tests"), "unhandled-rejection");
    assert.equal(classifyMessage("RunawayError: 10000 timers"), "time-budget");
    assert.equal(classifyMessage("AssertionError: 1 !== 2"), "assertion");
    assert.equal(classifyMessage("TypeError: x is not a function"), "exception");
  });
});
