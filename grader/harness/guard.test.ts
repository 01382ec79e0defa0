import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { changes, type Fingerprint, fingerprint } from "./guard.ts";

const g = globalThis as unknown as Record<string, unknown>;

/**
 * Replaces `key` of `owner` with `value` while `body` runs, restoring the exact descriptor (or
 * the absence) afterwards, and returns what `body` returned.
 */
function patched<T>(owner: object, key: PropertyKey, value: unknown, body: () => T): T {
  const before = Object.getOwnPropertyDescriptor(owner, key);
  Object.defineProperty(owner, key, {
    value,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  try {
    return body();
  } finally {
    if (before) Object.defineProperty(owner, key, before);
    else delete (owner as Record<PropertyKey, unknown>)[key];
  }
}

/** A fingerprint built by hand: owner -> key -> triple. */
function fp(owners: Record<string, Record<string, unknown[]>>): Fingerprint {
  return new Map(
    Object.entries(owners).map(([o, props]) => [o, new Map(Object.entries(props))]),
  );
}

describe("fingerprint()", () => {
  it("fingerprint() covers globalThis, the classes' statics and prototypes, and the namespaces", () => {
    const f = fingerprint();
    for (
      const name of [
        "globalThis",
        "Object.prototype",
        "Array.prototype",
        "Promise",
        "Promise.prototype",
        "AbortSignal",
        "Math",
        "JSON",
        "Reflect",
        "console",
      ]
    ) {
      assert.ok(f.has(name), `no fingerprint of ${name}`);
    }
    const runtime = g.Deno !== undefined ? "Deno" : g.Bun !== undefined ? "Bun" : undefined;
    if (runtime) assert.ok(f.has(runtime), `no fingerprint of ${runtime}`);
  });

  it("fingerprint() records each property as [value, getter, setter], symbol keys included", () => {
    const f = fingerprint();
    assert.deepEqual(f.get("Math")!.get("max"), [Math.max, undefined, undefined]);
    assert.deepEqual(f.get("Array.prototype")!.get(Symbol.iterator), [
      Array.prototype[Symbol.iterator],
      undefined,
      undefined,
    ]);
    const species = Object.getOwnPropertyDescriptor(Promise, Symbol.species)!;
    assert.deepEqual(f.get("Promise")!.get(Symbol.species), [undefined, species.get, undefined]);
  });
});

describe("changes()", () => {
  it("changes() names a patch of process, crypto and TextEncoder, on Deno too (globals behind a getter)", () => {
    const before = fingerprint();
    for (const name of ["process", "crypto", "TextEncoder", "TextEncoder.prototype"]) {
      assert.ok(before.has(name), `no fingerprint of ${name}`);
    }
    const after = patched(
      process,
      "nextTick",
      () => {},
      () => patched(TextEncoder.prototype, "encode", () => new Uint8Array(), () => fingerprint()),
    );
    assert.deepEqual(changes(before, after).sort(), [
      "TextEncoder.prototype.encode",
      "process.nextTick",
    ]);
  });

  it("changes() is empty for two fingerprints taken with nothing changed (NaN equals itself)", () => {
    const a = fingerprint();
    const b = fingerprint();
    assert.ok(Number.isNaN(a.get("Number")!.get("NaN")![0]));
    assert.deepEqual(changes(a, b), []);
  });

  it("changes() names a global added to globalThis, and nothing once it is gone", () => {
    const before = fingerprint();
    const during = patched(globalThis, "__guardTestProbe", 1, () => fingerprint());
    assert.deepEqual(changes(before, during), ["globalThis.__guardTestProbe"]);
    assert.deepEqual(changes(before, fingerprint()), []);
  });

  it("changes() names a replaced prototype method, a replaced static and a symbol key", () => {
    const before = fingerprint();
    const during = patched(
      Array.prototype,
      "includes",
      () => true,
      () =>
        // Array's statics, not Promise's: lib (loaded by other test files of the same process
        // under Bun) freezes Promise.
        patched(
          Array,
          "from",
          () => null,
          () => patched(Array.prototype, Symbol.iterator, function* () {}, () => fingerprint()),
        ),
    );
    assert.deepEqual(
      changes(before, during).sort(),
      [
        "Array.from",
        "Array.prototype.Symbol(Symbol.iterator)",
        "Array.prototype.includes",
      ].sort(),
    );
    assert.deepEqual(changes(before, fingerprint()), []);
  });

  it("changes() names a property deleted from a namespace", () => {
    const before = fingerprint();
    const desc = Object.getOwnPropertyDescriptor(Math, "hypot")!;
    let during: Fingerprint;
    delete (Math as unknown as Record<string, unknown>).hypot;
    try {
      during = fingerprint();
    } finally {
      Object.defineProperty(Math, "hypot", desc);
    }
    assert.deepEqual(changes(before, during), ["Math.hypot"]);
  });

  it("changes() sees a getter replaced by another, though the values it returns are equal", () => {
    const before = fingerprint();
    // Array's species, not Promise's: lib freezes Promise (see above).
    const desc = Object.getOwnPropertyDescriptor(Array, Symbol.species)!;
    let during: Fingerprint;
    Object.defineProperty(Array, Symbol.species, {
      get() {
        return this;
      },
      configurable: true,
    });
    try {
      during = fingerprint();
    } finally {
      Object.defineProperty(Array, Symbol.species, desc);
    }
    assert.deepEqual(changes(before, during), ["Array.Symbol(Symbol.species)"]);
  });

  it("changes() does not count writing back the same value as a change", () => {
    const before = fingerprint();
    const max = Math.max;
    Math.max = max;
    assert.deepEqual(changes(before, fingerprint()), []);
  });

  it("fingerprint() and changes() still work while Map's methods are patched (captured at load)", () => {
    const before = fingerprint();
    const boom = () => {
      throw new Error("patched");
    };
    const result = patched(
      Map.prototype,
      "get",
      boom,
      () =>
        patched(
          Map.prototype,
          "set",
          boom,
          () =>
            patched(Map.prototype, "has", boom, () =>
              patched(Map.prototype, "forEach", boom, () =>
                changes(before, fingerprint()))),
        ),
    );
    assert.deepEqual(result.sort(), [
      "Map.prototype.forEach",
      "Map.prototype.get",
      "Map.prototype.has",
      "Map.prototype.set",
    ]);
  });

  it("changes() names a new owner alone, and an unreadable property as changed", () => {
    const same = [1, undefined, undefined];
    assert.deepEqual(changes(fp({}), fp({ X: { a: same } })), ["X"]);
    assert.deepEqual(
      changes(fp({ X: { a: same, b: same } }), fp({ X: { a: ["<unreadable>"], b: same } })),
      ["X.a"],
    );
    assert.deepEqual(
      changes(fp({ X: { a: same } }), fp({ X: { a: [1, undefined, undefined] } })),
      [],
    );
    assert.deepEqual(changes(fp({ X: { a: [0] } }), fp({ X: { a: [-0] } })), ["X.a"]);
    assert.deepEqual(changes(fp({}), fp({})), []);
  });
});
