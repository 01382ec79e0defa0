import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHmac } from "node:crypto";
import { copyPlain, toJson } from "./json.ts";
import { MARKER, openChannel, readLines } from "./protocol.ts";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The lines a channel wrote, each split into mac and JSON. */
function collect(): { write: (b: Uint8Array) => void; lines: () => string[] } {
  let text = "";
  return {
    write: (b) => {
      text += new TextDecoder().decode(b);
    },
    lines: () => text.split("\n").filter((l) => l.startsWith(MARKER)),
  };
}

const SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

describe("openChannel()", () => {
  it("openChannel() signs each line's JSON with HMAC-SHA256 of the secret and numbers them from 0", () => {
    const out = collect();
    const ch = openChannel(SECRET, out.write);
    ch.send({ k: "a" });
    ch.send({ k: "b", n: "x y" });
    ch.send({ k: "c" });
    const lines = out.lines();
    assert.equal(lines.length, 3);
    lines.forEach((line, i) => {
      const rest = line.slice(MARKER.length);
      const mac = rest.slice(0, rest.indexOf(" "));
      const json = rest.slice(rest.indexOf(" ") + 1);
      assert.equal(
        mac,
        createHmac("sha256", Buffer.from(SECRET, "hex")).update(json).digest("hex"),
      );
      assert.equal(JSON.parse(json).q, i, "sequence numbers follow the order of send()");
    });
    assert.deepEqual(lines.map((l) => JSON.parse(l.slice(l.indexOf("{"))).k), ["a", "b", "c"]);
  });

  it("openChannel() gives a different mac under another secret", () => {
    const a = collect();
    const b = collect();
    openChannel("01".repeat(32), a.write).send({ k: "x" });
    openChannel("02".repeat(32), b.write).send({ k: "x" });
    assert.notEqual(a.lines()[0], b.lines()[0]);
  });

  it("openChannel() starts every line on a new line, so unterminated output cannot hide it", () => {
    const out = collect();
    openChannel(SECRET, out.write).send({ k: "x" });
    assert.match(out.lines()[0]!, /^##workbook-harness [0-9a-f]{64} \{/);
  });
});

describe("toJson() in the channel", () => {
  it("openChannel() ignores an inherited toJSON (a submission's Object.prototype.toJSON)", () => {
    const out = collect();
    const proto = Object.prototype as unknown as Record<string, unknown>;
    proto.toJSON = () => ({ s: "pass" });
    try {
      openChannel(SECRET, out.write).send({ k: "result", s: "fail" });
    } finally {
      delete proto.toJSON;
    }
    assert.match(out.lines()[0]!, /"s":"fail"/);
  });
});

describe("copyPlain() and toJson()", () => {
  it("toJson() writes arrays, records, strings with quotes, and null for what is not data", () => {
    const rec = Object.create(null);
    rec.a = [1, "two", true, null, { b: NaN }];
    rec.f = () => 1;
    assert.equal(toJson(rec), '{"a":[1,"two",true,null,{"b":null}],"f":null}');
    assert.equal(toJson('say "hi"\n'), '"say \\"hi\\"\\n"');
  });

  it("copyPlain() never calls a getter, leaves out functions and cuts cycles at depth 8", () => {
    let called = false;
    const src: Record<string, unknown> = { x: 1, list: ["a"] };
    Object.defineProperty(src, "trap", {
      enumerable: true,
      get: () => {
        called = true;
        return 2;
      },
    });
    src.self = src;
    src.fn = () => 0;
    const copy = copyPlain(src) as Record<string, unknown>;
    assert.equal(called, false);
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.equal(copy.x, 1);
    assert.deepEqual([...(copy.list as string[])], ["a"]);
    assert.equal("trap" in copy, false);
    assert.equal("fn" in copy, false);
  });
});

describe("readLines()", () => {
  it("readLines() reads until the text holds the lines asked for, counting what it had, or the end", () => {
    const dir = mkdtempSync(join(tmpdir(), "harness-read-"));
    try {
      const file = join(dir, "in");
      writeFileSync(file, "secret\nplan\ngo\n");
      const fd = openSync(file, "r");
      try {
        const two = readLines(fd, 2, "");
        assert.ok(two.startsWith("secret\nplan\n"), JSON.stringify(two));
        assert.equal(readLines(fd, 3, two), two, "three lines already held: nothing more read");
      } finally {
        closeSync(fd);
      }
      const fd2 = openSync(file, "r");
      try {
        assert.equal(readLines(fd2, 9, ""), "secret\nplan\ngo\n", "the end of the input stops it");
      } finally {
        closeSync(fd2);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
