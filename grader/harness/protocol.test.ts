import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { MARKER, openChannel } from "./protocol.ts";

/** The lines a channel wrote, each split into mac and JSON. */
function collect(): { write: (b: Uint8Array) => Promise<void>; lines: () => string[] } {
  let text = "";
  return {
    write: (b) => {
      text += new TextDecoder().decode(b);
      return Promise.resolve();
    },
    lines: () => text.split("\n").filter((l) => l.startsWith(MARKER)),
  };
}

describe("openChannel()", () => {
  it("openChannel() signs each line's JSON with HMAC-SHA256 of the secret and numbers them from 0", async () => {
    const out = collect();
    const ch = openChannel("s3cret", out.write);
    await Promise.all([ch.send({ k: "a" }), ch.send({ k: "b", n: "x y" }), ch.send({ k: "c" })]);
    const lines = out.lines();
    assert.equal(lines.length, 3);
    lines.forEach((line, i) => {
      const rest = line.slice(MARKER.length);
      const mac = rest.slice(0, rest.indexOf(" "));
      const json = rest.slice(rest.indexOf(" ") + 1);
      assert.equal(mac, createHmac("sha256", "s3cret").update(json).digest("hex"));
      assert.equal(JSON.parse(json).q, i, "sequence numbers follow the order of send()");
    });
    assert.deepEqual(lines.map((l) => JSON.parse(l.slice(l.indexOf("{"))).k), ["a", "b", "c"]);
  });

  it("openChannel() gives a different mac under another secret", async () => {
    const a = collect();
    const b = collect();
    await openChannel("one", a.write).send({ k: "x" });
    await openChannel("two", b.write).send({ k: "x" });
    assert.notEqual(a.lines()[0], b.lines()[0]);
  });

  it("openChannel() starts every line on a new line, so unterminated output cannot hide it", async () => {
    const out = collect();
    await openChannel("k", out.write).send({ k: "x" });
    assert.match(out.lines()[0]!, /^##workbook-harness [0-9a-f]{64} \{/);
  });
});
