import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  classifyMessage,
  cpuLoopMessage,
  NO_FILE_VERDICT,
  NO_VERDICT,
  statusOf,
  taskIdOf,
} from "./classify.ts";
import { DEFAULT_MAX_RSS_MB } from "./proc.ts";

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

describe("classifyMessage() on the grader's own messages", () => {
  it("classifyMessage() reads the grader's crash, loop, memory and never-settled messages", () => {
    assert.equal(classifyMessage("crash: the test file did not load: SyntaxError"), "crash");
    assert.equal(classifyMessage(cpuLoopMessage(30)), "cpu-loop");
    assert.equal(classifyMessage(cpuLoopMessage(30, "memory")), "cpu-loop");
    assert.equal(classifyMessage("Error: the test never settled"), "deadlock");
    assert.equal(classifyMessage("TypeError: crash: not at the start"), "exception");
  });

  it("classifyMessage() calls Deno's uncaught errors unhandled rejections, Bun's plain ones exceptions", () => {
    assert.equal(classifyMessage("Uncaught (in promise) TypeError: x"), "unhandled-rejection");
    assert.equal(classifyMessage("TypeError: x"), "exception");
    assert.equal(classifyMessage("ERR_ASSERTION: values differ"), "assertion");
  });
});

describe("statusOf(), cpuLoopMessage(), taskIdOf()", () => {
  it("statusOf() makes crash and cpu-loop errors, every other reason a failure", () => {
    assert.equal(statusOf("crash"), "error");
    assert.equal(statusOf("cpu-loop"), "error");
    const fails = [
      "not-started",
      "type-error",
      "deadlock",
      "leaked-timers",
      "unhandled-rejection",
      "time-budget",
      "assertion",
      "exception",
    ] as const;
    assert.deepEqual(fails.map(statusOf), fails.map(() => "fail"));
  });

  it("cpuLoopMessage() names the wall-clock limit, or the memory cap", () => {
    assert.equal(cpuLoopMessage(12), "CPU loop / no progress: killed after 12 s");
    assert.equal(cpuLoopMessage(5, "stall"), "CPU loop / no progress: killed after 5 s");
    assert.match(
      cpuLoopMessage(5, "memory"),
      new RegExp(`^killed: memory grew past the limit \\(${DEFAULT_MAX_RSS_MB} MiB\\)`),
    );
  });

  it("taskIdOf() reads the task a message names, or nothing", () => {
    assert.equal(taskIdOf("Error: not implemented: crawl (task 2)"), 2);
    assert.equal(taskIdOf("(task 12) first"), 12);
    assert.equal(taskIdOf("task 2 without parentheses"), undefined);
    assert.equal(taskIdOf("(task x)"), undefined);
  });

  it("NO_VERDICT and NO_FILE_VERDICT say why a test has no verdict, and count as failures", () => {
    assert.match(NO_VERDICT, /^no verdict: the test did not run to completion/);
    assert.match(NO_FILE_VERDICT, /^no verdict: the test file did not load/);
    assert.equal(statusOf(classifyMessage(NO_VERDICT)), "fail");
    assert.equal(statusOf(classifyMessage(NO_FILE_VERDICT)), "fail");
  });
});
