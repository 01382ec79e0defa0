import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { I, safeGet, safeText } from "./intrinsics.ts";

const PLACEHOLDER = "[a value that throws when turned into text]";

/** Runs `body` in a fresh folder, removed afterwards. */
function inTemp(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "harness-intrinsics-"));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("I", () => {
  it("I is frozen: a module that imports it cannot swap a function", () => {
    assert.equal(Object.isFrozen(I), true);
    assert.throws(() => {
      (I as unknown as Record<string, unknown>).stringify = () => "x";
    }, TypeError);
    assert.equal(I.stringify({ a: 1 }), '{"a":1}');
  });

  it("I.runtime names the runtime running the tests", () => {
    const g = globalThis as Record<string, unknown>;
    const expected = g.Deno !== undefined ? "deno" : g.Bun !== undefined ? "bun" : "node";
    assert.equal(I.runtime, expected);
  });

  it("I keeps the functions captured at load when the globals are patched later", () => {
    const realStringify = JSON.stringify;
    const realIndexOf = String.prototype.indexOf;
    const realDescriptor = Object.getOwnPropertyDescriptor;
    const boom = () => {
      throw new Error("patched");
    };
    let results: unknown[];
    JSON.stringify = boom;
    String.prototype.indexOf = boom;
    Object.getOwnPropertyDescriptor = boom;
    try {
      results = [
        I.stringify([1, "a"]),
        I.apply(I.indexOf, "abcabc", ["c", 3]),
        I.descriptor({ k: 2 }, "k")?.value,
        I.apply(I.slice, "hello", [1, 3]),
        I.apply(I.charCodeAt, "A", [0]),
      ];
    } finally {
      JSON.stringify = realStringify;
      String.prototype.indexOf = realIndexOf;
      Object.getOwnPropertyDescriptor = realDescriptor;
    }
    assert.deepEqual(results, ['[1,"a"]', 5, 2, "el", 65]);
  });

  it("I.setTimeout is the real timer even while the global is replaced", async () => {
    const real = globalThis.setTimeout;
    let fired: Promise<string>;
    globalThis.setTimeout = (() => {
      throw new Error("patched");
    }) as unknown as typeof setTimeout;
    try {
      fired = new Promise((resolve) => I.setTimeout(() => resolve("fired"), 0));
    } finally {
      globalThis.setTimeout = real;
    }
    assert.equal(await fired, "fired");
    let ran = false;
    const id = I.setTimeout(() => {
      ran = true;
    }, 0);
    I.clearTimeout(id);
    await new Promise((r) => real(r, 0));
    assert.equal(ran, false, "a cleared timer does not fire");
  });

  it("I.write and I.read move bytes through a file descriptor, read giving 0 at the end", () => {
    inTemp((dir) => {
      const file = join(dir, "out");
      const fd = openSync(file, "w");
      try {
        const bytes = I.encode("héllo");
        assert.equal(bytes.length, 6);
        assert.equal(I.write(fd, bytes, 1, 4), 4);
      } finally {
        closeSync(fd);
      }
      assert.equal(readFileSync(file, "utf8"), "éll");
      writeFileSync(file, "abc");
      const rfd = openSync(file, "r");
      try {
        const buf = new Uint8Array(8);
        assert.equal(I.read(rfd, buf, 0, 8, null), 3);
        assert.deepEqual([...buf.subarray(0, 3)], [97, 98, 99]);
        assert.equal(I.read(rfd, buf, 0, 8, null), 0);
      } finally {
        closeSync(rfd);
      }
    });
  });

  it("I.decode holds a split UTF-8 character until its last byte comes when streaming", () => {
    const bytes = I.encode("aé€");
    assert.equal(bytes.length, 6);
    const first = I.decode(bytes.subarray(0, 2), { stream: true });
    const second = I.decode(bytes.subarray(2, 4), { stream: true });
    const third = I.decode(bytes.subarray(4));
    assert.deepEqual([first, second, third], ["a", "é", "€"]);
  });

  it("I.importKey and I.sign compute the HMAC-SHA256 node:crypto computes", async () => {
    const key = I.encode("Jefe");
    const msg = I.encode("what do ya want for nothing?");
    const k = await I.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const mac = new Uint8Array(await I.sign("HMAC", k, msg));
    const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
    assert.equal(hex, createHmac("sha256", key).update(msg).digest("hex"));
  });

  it("I's Map methods work through I.apply on a Map made from I.Map", () => {
    const m = new I.Map<string, number>();
    I.apply(I.mapSet, m, ["a", 1]);
    I.apply(I.mapSet, m, ["b", 2]);
    const seen: string[] = [];
    I.apply(I.mapForEach, m, [(v: number, k: string) => I.apply(I.push, seen, [`${k}=${v}`])]);
    assert.deepEqual(seen, ["a=1", "b=2"]);
    assert.equal(I.apply(I.mapGet, m, ["b"]), 2);
    assert.equal(I.apply(I.mapHas, m, ["c"]), false);
  });

  it("I.now does not go backwards and I.pause(0) returns at once", () => {
    const a = I.now();
    I.pause(0);
    const b = I.now();
    assert.equal(typeof a, "number");
    assert.ok(b >= a, `${b} >= ${a}`);
    assert.equal(I.round(2.5), 3);
    assert.equal(I.is(NaN, NaN), true);
    assert.equal(I.is(0, -0), false);
  });
});

describe("safeGet()", () => {
  it("safeGet() reads own and inherited properties of objects and functions", () => {
    assert.equal(safeGet({ a: 1 }, "a"), 1);
    assert.equal(safeGet(new TypeError("x"), "name"), "TypeError");
    assert.equal(safeGet(function named() {}, "name"), "named");
    assert.equal(safeGet({}, "missing"), undefined);
  });

  it("safeGet() gives undefined for null, undefined and primitives, even a string's length", () => {
    for (const v of [null, undefined, "abc", 5, true, Symbol("s"), 1n]) {
      assert.equal(safeGet(v, "length"), undefined, typeof v);
    }
  });

  it("safeGet() gives undefined for a getter or Proxy trap that throws, and a revoked Proxy", () => {
    const o = {
      get bad(): number {
        throw new Error("hostile");
      },
    };
    assert.equal(safeGet(o, "bad"), undefined);
    const p = new Proxy({}, {
      get() {
        throw new Error("hostile");
      },
    });
    assert.equal(safeGet(p, "anything"), undefined);
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    assert.equal(safeGet(proxy, "a"), undefined);
  });
});

describe("safeText()", () => {
  it("safeText() turns values into the text String() gives", () => {
    assert.equal(safeText("x"), "x");
    assert.equal(safeText(1.5), "1.5");
    assert.equal(safeText(null), "null");
    assert.equal(safeText(undefined), "undefined");
    assert.equal(safeText(Symbol("s")), "Symbol(s)");
    assert.equal(safeText([1, [2, 3]]), "1,2,3");
    assert.equal(safeText(new Error("boom")), "Error: boom");
    assert.equal(safeText({ toString: () => "custom" }), "custom");
  });

  it("safeText() gives a placeholder for a value that throws when turned into text", () => {
    const hostile = {
      toString() {
        throw new Error("hostile");
      },
    };
    const notText = { toString: () => ({}), valueOf: () => ({}) };
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    for (const v of [hostile, notText, Object.create(null), proxy]) {
      assert.equal(safeText(v), PLACEHOLDER);
    }
  });
});
