import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { guardV8, REFUSED_V8 } from "./v8_guard.ts";

/**
 * Runs `body` while `process.getBuiltinModule` is `value`, restoring the runtime's own one after
 * (guardV8() on the real `node:v8` would freeze it for every later test of the process).
 */
function withBuiltinModule<T>(value: unknown, body: () => T): T {
  const before = Object.getOwnPropertyDescriptor(process, "getBuiltinModule");
  Object.defineProperty(process, "getBuiltinModule", {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  try {
    return body();
  } finally {
    if (before) Object.defineProperty(process, "getBuiltinModule", before);
    else delete (process as unknown as Record<string, unknown>).getBuiltinModule;
  }
}

/** A stand-in for `node:v8`: each refused name and one harmless function. */
function fakeV8(): Record<string, unknown> {
  const v8: Record<string, unknown> = { getHeapStatistics: () => ({ total_heap_size: 1 }) };
  for (const name of REFUSED_V8) v8[name] = () => `real ${name}`;
  return v8;
}

describe("REFUSED_V8", () => {
  it("REFUSED_V8 names the heap readers, the flag setter and coverage, once each", () => {
    for (
      const name of [
        "getHeapSnapshot",
        "writeHeapSnapshot",
        "queryObjects",
        "setFlagsFromString",
        "takeCoverage",
      ]
    ) {
      assert.ok(REFUSED_V8.includes(name as (typeof REFUSED_V8)[number]), name);
    }
    assert.equal(new Set(REFUSED_V8).size, REFUSED_V8.length);
  });
});

describe("guardV8()", () => {
  it("guardV8() asks process.getBuiltinModule for v8, called on process, and returns that object", () => {
    const v8 = fakeV8();
    const calls: [unknown, unknown[]][] = [];
    const result = withBuiltinModule(function (this: unknown, ...args: unknown[]) {
      calls.push([this, args]);
      return v8;
    }, () => guardV8());
    assert.equal(result, v8);
    assert.deepEqual(calls, [[process, ["v8"]]]);
  });

  it("guardV8() makes every refused function throw, naming it and saying why", () => {
    const v8 = fakeV8();
    withBuiltinModule(() => v8, () => guardV8());
    for (const name of REFUSED_V8) {
      assert.throws(
        () => (v8[name] as () => unknown)(),
        {
          name: "Error",
          message: `node:v8 ${name}() is not available to code under test`,
        },
        name,
      );
    }
  });

  it("guardV8() leaves the other functions working", () => {
    const v8 = fakeV8();
    withBuiltinModule(() => v8, () => guardV8());
    assert.deepEqual((v8.getHeapStatistics as () => unknown)(), { total_heap_size: 1 });
  });

  it("guardV8() freezes the object: a refused function cannot be put back or redefined", () => {
    const v8 = fakeV8();
    withBuiltinModule(() => v8, () => guardV8());
    assert.equal(Object.isFrozen(v8), true);
    const guard = v8.getHeapSnapshot;
    assert.throws(() => {
      v8.getHeapSnapshot = () => "real";
    }, TypeError);
    assert.throws(
      () => Object.defineProperty(v8, "queryObjects", { value: () => "real" }),
      TypeError,
    );
    assert.throws(() => {
      v8.added = 1;
    }, TypeError);
    assert.equal(v8.getHeapSnapshot, guard);
    const d = Object.getOwnPropertyDescriptor(v8, "writeHeapSnapshot")!;
    assert.deepEqual([d.writable, d.configurable], [false, false]);
  });

  it("guardV8() defines a refused name the object lacked, so it cannot be added later", () => {
    const v8: Record<string, unknown> = {};
    withBuiltinModule(() => v8, () => guardV8());
    assert.deepEqual(Object.keys(v8), [], "defined as non-enumerable");
    assert.deepEqual(Object.getOwnPropertyNames(v8).sort(), [...REFUSED_V8].sort());
    assert.throws(() => (v8.startupSnapshot as () => unknown)(), /startupSnapshot\(\)/);
  });

  it("guardV8() does nothing and returns undefined without process.getBuiltinModule", () => {
    assert.equal(withBuiltinModule(undefined, () => guardV8()), undefined);
    assert.equal(withBuiltinModule("not a function", () => guardV8()), undefined);
  });

  it("guardV8() returns undefined when the runtime has no v8 module", () => {
    assert.equal(withBuiltinModule(() => undefined, () => guardV8()), undefined);
  });

  it("guardV8()'s test leaves process.getBuiltinModule and the real node:v8 as they were", () => {
    const before = Object.getOwnPropertyDescriptor(process, "getBuiltinModule");
    withBuiltinModule(() => fakeV8(), () => guardV8());
    const after = Object.getOwnPropertyDescriptor(process, "getBuiltinModule");
    assert.deepEqual(after, before);
    const real = (process as unknown as { getBuiltinModule?: (id: string) => object })
      .getBuiltinModule?.("v8");
    if (real) assert.equal(Object.isFrozen(real), false);
  });
});
