import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { copyPlain, toJson } from "./json.ts";

/** `{ a: { a: ... } }` nested `levels` objects deep, the innermost holding `leaf`. */
function nest(levels: number, leaf: unknown): Record<string, unknown> {
  let v: unknown = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v as Record<string, unknown>;
}

/** How many records deep a copy made by nest() goes (the last one may be empty). */
function depthOf(v: unknown): number {
  let n = 0;
  while (typeof v === "object" && v !== null) {
    n++;
    v = (v as { a?: unknown }).a;
  }
  return n;
}

describe("toJson()", () => {
  it("toJson() writes null, undefined, booleans, finite numbers and strings as JSON does", () => {
    assert.equal(toJson(null), "null");
    assert.equal(toJson(undefined), "null");
    assert.equal(toJson(true), "true");
    assert.equal(toJson(false), "false");
    assert.equal(toJson(0), "0");
    assert.equal(toJson(-0), "0");
    assert.equal(toJson(-1.5e-7), "-1.5e-7");
    assert.equal(toJson(""), '""');
    assert.equal(toJson('tab\t"q" \u2028 é'), JSON.stringify('tab\t"q" \u2028 é'));
  });

  it("toJson() writes NaN, Infinity, -Infinity, functions, symbols and bigints as null", () => {
    for (const v of [NaN, Infinity, -Infinity, () => 1, Symbol("s"), 10n]) {
      assert.equal(toJson(v), "null", String(typeof v));
    }
    assert.equal(toJson([NaN, Infinity, () => 1]), "[null,null,null]");
  });

  it("toJson() writes empty arrays and records, holes and undefined elements as null", () => {
    assert.equal(toJson([]), "[]");
    assert.equal(toJson({}), "{}");
    assert.equal(toJson(Object.create(null)), "{}");
    // deno-lint-ignore no-sparse-arrays
    assert.equal(toJson([1, , undefined, 3]), "[1,null,null,3]");
  });

  it("toJson() leaves out a record's undefined values but keeps its null values", () => {
    assert.equal(toJson({ a: undefined, b: null, c: 1 }), '{"b":null,"c":1}');
    assert.equal(toJson({ a: undefined }), "{}");
  });

  it("toJson() never calls a getter or a toJSON, own or inherited", () => {
    let calls = 0;
    const proto = {
      toJSON: () => {
        calls++;
        return "hijacked";
      },
      inherited: 1,
    };
    const o = Object.create(proto) as Record<string, unknown>;
    o.x = 1;
    Object.defineProperty(o, "g", {
      enumerable: true,
      get: () => {
        calls++;
        return 2;
      },
    });
    const arr = [1];
    Object.defineProperty(arr, "0", {
      enumerable: true,
      get: () => {
        calls++;
        return 9;
      },
    });
    assert.equal(toJson(o), '{"x":1}');
    assert.equal(toJson(arr), "[null]");
    assert.equal(toJson(new Date(0)), "{}", "a Date has no own data: not its ISO text");
    assert.equal(calls, 0);
  });

  it("toJson() leaves out non-enumerable and symbol keys, and escapes keys", () => {
    const o: Record<string | symbol, unknown> = { 'k"\n': 1 };
    o[Symbol("s")] = 2;
    Object.defineProperty(o, "hidden", { value: 3, enumerable: false });
    assert.equal(toJson(o), '{"k\\"\\n":1}');
  });

  it("toJson() nests records in arrays and arrays in records, and reads back with JSON.parse", () => {
    const v = { list: [{ n: 1, s: "a" }, [true, null]], r: { e: [] } };
    const text = toJson(v);
    assert.equal(text, '{"list":[{"n":1,"s":"a"},[true,null]],"r":{"e":[]}}');
    assert.deepEqual(JSON.parse(text), v);
  });

  it("toJson() uses the JSON.stringify captured at load, not the global one", () => {
    const real = JSON.stringify;
    let out: string;
    JSON.stringify = () => {
      throw new Error("patched");
    };
    try {
      out = toJson({ s: "x", n: 2 });
    } finally {
      JSON.stringify = real;
    }
    assert.equal(out, '{"s":"x","n":2}');
  });
});

describe("copyPlain()", () => {
  it("copyPlain() keeps null, booleans, finite numbers and strings, and turns NaN and Infinity into null", () => {
    assert.equal(copyPlain(null), null);
    assert.equal(copyPlain(false), false);
    assert.equal(copyPlain(0), 0);
    assert.equal(copyPlain(-2.5), -2.5);
    assert.equal(copyPlain(""), "");
    assert.equal(copyPlain(NaN), null);
    assert.equal(copyPlain(Infinity), null);
    assert.equal(copyPlain(-Infinity), null);
  });

  it("copyPlain() gives undefined for undefined, functions, symbols and bigints", () => {
    for (const v of [undefined, () => 1, Symbol("s"), 1n]) {
      assert.equal(copyPlain(v), undefined, String(typeof v));
    }
  });

  it("copyPlain() cuts strings to 4000 characters, keeping one of exactly 4000", () => {
    const exact = "x".repeat(4000);
    assert.equal(copyPlain(exact), exact);
    assert.equal(copyPlain("y".repeat(4001)), "y".repeat(4000));
    assert.equal((copyPlain({ s: "z".repeat(5000) }) as { s: string }).s.length, 4000);
  });

  it("copyPlain() makes records with no prototype from own enumerable data properties only", () => {
    const src = Object.create({ inherited: 1 }) as Record<string | symbol, unknown>;
    src.a = 1;
    src.u = undefined;
    src.f = () => 0;
    src[Symbol("s")] = 2;
    Object.defineProperty(src, "hidden", { value: 3, enumerable: false });
    const copy = copyPlain(src) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.deepEqual(Object.keys(copy), ["a"]);
    assert.equal(copy.a, 1);
    assert.notEqual(copy, src);
  });

  it("copyPlain() copies arrays element by element, with null for holes, functions and getters", () => {
    let called = false;
    // deno-lint-ignore no-sparse-arrays
    const src: unknown[] = [1, , () => 0, "s", [2]];
    Object.defineProperty(src, "5", {
      enumerable: true,
      configurable: true,
      get: () => {
        called = true;
        return 1;
      },
    });
    const copy = copyPlain(src) as unknown[];
    assert.ok(Array.isArray(copy));
    assert.deepEqual([...copy], [1, null, null, "s", [2], null]);
    assert.notEqual(copy[4], src[4], "a nested array is copied too");
    assert.equal(called, false);
  });

  it("copyPlain() keeps 8 levels of records and drops deeper ones, but keeps a primitive at depth 8", () => {
    const cut = copyPlain(nest(12, 1));
    assert.equal(depthOf(cut), 8);
    let last: unknown = cut;
    for (let i = 0; i < 7; i++) last = (last as { a: unknown }).a;
    assert.deepEqual(Object.keys(last as object), [], "the 8th record loses its deeper child");
    assert.equal(depthOf(copyPlain(nest(8, 1))), 8);
    assert.equal(depthOf(copyPlain(nest(8, { deeper: 1 }))), 8);
    let inner: unknown = copyPlain(nest(8, "leaf"));
    for (let i = 0; i < 8; i++) inner = (inner as { a: unknown }).a;
    assert.equal(inner, "leaf");
  });

  it("copyPlain() ends on a cycle, an array that holds itself as null at depth 8", () => {
    const a: unknown[] = [1];
    a.push(a);
    let v = copyPlain(a) as unknown[];
    let levels = 0;
    while (Array.isArray(v)) {
      levels++;
      assert.equal(v[0], 1);
      v = v[1] as unknown[];
    }
    assert.equal(levels, 8);
    assert.equal(v, null);
  });

  it("copyPlain() stops at 2000 nodes by default and at the budget given, which it spends", () => {
    const big = Array.from({ length: 3000 }, (_, i) => i);
    const copy = copyPlain(big) as number[];
    assert.equal(copy.length, 1999, "the array itself is one of the 2000 nodes");
    assert.deepEqual(copy.slice(-2), [1997, 1998]);
    const budget = { nodes: 5 };
    assert.deepEqual([...(copyPlain([1, 2, 3, 4, 5, 6], budget) as number[])], [1, 2, 3, 4]);
    assert.equal(budget.nodes, 0);
    assert.equal(copyPlain({ a: 1 }, { nodes: 0 }), undefined);
    assert.equal(copyPlain("x", { nodes: 0 }), undefined);
  });

  it("copyPlain() reads a Proxy through descriptors only, never its get trap", () => {
    let gets = 0;
    const p = new Proxy({ a: 1, b: "two" }, {
      get(t, k, r) {
        gets++;
        return Reflect.get(t, k, r);
      },
    });
    const copy = copyPlain(p) as Record<string, unknown>;
    assert.deepEqual({ ...copy }, { a: 1, b: "two" });
    assert.equal(gets, 0);
  });

  it("copyPlain() treats a key whose descriptor throws as missing, and a revoked Proxy as nothing", () => {
    const partly = new Proxy({ ok: 1, bad: 2 }, {
      getOwnPropertyDescriptor(t, k) {
        if (k === "bad") throw new Error("no");
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
    });
    assert.deepEqual({ ...(copyPlain(partly) as object) }, { ok: 1 });
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    assert.equal(copyPlain(proxy), undefined);
    assert.equal(copyPlain({ inner: proxy, n: 1 }), undefined, "nothing plain when a part throws");
  });

  it("copyPlain() copies an error's own enumerable facts, not its message or stack", () => {
    const e = Object.assign(new Error("boom"), { timeline: { expected: ["a"], at: 3 } });
    const copy = copyPlain(e) as Record<string, unknown>;
    assert.deepEqual(Object.keys(copy), ["timeline"]);
    assert.deepEqual(JSON.parse(toJson(copy)), { timeline: { expected: ["a"], at: 3 } });
  });
});
