import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isNotImplemented, rejectsWith, throwsWith } from "../mod.ts";

describe("error expectations", () => {
  it("rejectsWith() returns the error when it matches", async () => {
    const e = await rejectsWith(Promise.reject(new RangeError("bad size")), {
      name: "RangeError",
      message: "size",
    }, "resize()");
    assert.ok(e instanceof RangeError);
  });

  it("rejectsWith() rethrows a stub's not-implemented error unchanged", async () => {
    const stub = new Error("not implemented: crawl() (task 1)");
    await assert.rejects(
      rejectsWith(
        () => {
          throw stub;
        },
        { name: "TimeoutError" },
        "crawl()",
      ),
      (e) => e === stub,
    );
  });

  it("rejectsWith() says what was expected and what happened", async () => {
    await assert.rejects(
      rejectsWith(Promise.reject(new Error("boom")), { name: "TimeoutError" }, "waitFor(fn, 100)"),
      {
        name: "AssertionError",
        message:
          "waitFor(fn, 100) should fail with an error named TimeoutError; it failed with Error: boom",
      },
    );
    await assert.rejects(
      rejectsWith(Promise.resolve(42), { name: "TimeoutError" }, "waitFor(fn, 100)"),
      {
        message:
          "waitFor(fn, 100) should fail with an error named TimeoutError; it resolved with 42",
      },
    );
  });

  it("rejectsWith() shows an unexpected value readably", async () => {
    await assert.rejects(
      rejectsWith(Promise.resolve(undefined), { name: "AbortError" }, "sleep(100)"),
      {
        message:
          "sleep(100) should fail with an error named AbortError; it resolved with undefined",
      },
    );
    await assert.rejects(
      rejectsWith(Promise.resolve({ ok: true }), { name: "AbortError" }, "acquire()"),
      {
        message:
          "acquire() should fail with an error named AbortError; it resolved with { ok: true }",
      },
    );
  });

  it("rejectsWith() checks identity with is", async () => {
    const reason = { custom: true };
    await rejectsWith(Promise.reject(reason), { is: reason }, "sleep()");
    await assert.rejects(
      rejectsWith(Promise.reject({ custom: true }), { is: reason }, "sleep()"),
      /should fail with exactly/,
    );
  });

  it("throwsWith() checks synchronous throws", () => {
    throwsWith(
      () => {
        throw new TypeError("t");
      },
      { instanceOf: TypeError },
      "f()",
    );
    assert.throws(
      () => throwsWith(() => 1, { name: "RangeError" }, "new Semaphore(0)"),
      /new Semaphore\(0\) should throw an error named RangeError; it returned 1$/,
    );
  });

  it("isNotImplemented() recognises stub errors only", () => {
    assert.equal(isNotImplemented(new Error("not implemented: x")), true);
    assert.equal(isNotImplemented(new Error("boom")), false);
    assert.equal(isNotImplemented("not implemented"), false);
  });

  it("rejectsWith() and throwsWith() match messages with the builtins captured when lib loaded", async () => {
    const saved = [
      String.prototype.includes,
      RegExp.prototype.exec,
      RegExp.prototype.test,
    ] as const;
    // What a hostile stub can do after lib loaded: make every substring and pattern match.
    String.prototype.includes = () => true;
    RegExp.prototype.exec = () => [""] as unknown as RegExpExecArray;
    RegExp.prototype.test = () => true;
    try {
      await assert.rejects(
        rejectsWith(Promise.reject(new Error("boom")), { message: "timed out" }, "f()"),
        { name: "AssertionError" },
      );
      assert.throws(() =>
        throwsWith(
          () => {
            throw new Error("boom");
          },
          { message: /timed out/ },
          "f()",
        ), { name: "AssertionError" });
    } finally {
      [String.prototype.includes, RegExp.prototype.exec, RegExp.prototype.test] = saved;
    }
    assert.throws(() =>
      throwsWith(
        () => {
          throw new Error("boom");
        },
        { message: /timed out/ },
        "f()",
      ), { name: "AssertionError" });
    throwsWith(
      () => {
        throw new Error("it timed out");
      },
      { message: /timed out/ },
      "f()",
    );
  });

  it("reads an error's name and message once, and a getter that throws never matches", async () => {
    let reads = 0;
    const shifty = Object.create(Error.prototype, {
      name: { get: () => (++reads === 1 ? "TimeoutError" : "Error") },
      message: {
        get: () => {
          throw new Error("hostile getter");
        },
      },
    });
    const e = await rejectsWith(Promise.reject(shifty), { name: "TimeoutError" }, "f()");
    assert.equal(e, shifty);
    assert.equal(reads, 1);
    await assert.rejects(rejectsWith(Promise.reject(shifty), { message: "x" }, "f()"), {
      name: "AssertionError",
    });
    const objectMessage = { name: "Error", message: { toString: () => "timed out" } };
    assert.throws(() =>
      throwsWith(
        () => {
          throw { name: 7, message: "timed out" };
        },
        { name: "7" },
        "f()",
      ), { name: "AssertionError" });
    throwsWith(
      () => {
        throw objectMessage;
      },
      { message: "timed out" },
      "f()",
    );
  });
});
