import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { hmacSha256 } from "./hmac.ts";

describe("hmacSha256()", () => {
  it("hmacSha256() matches node:crypto for messages of every length around the block edges", () => {
    const key = randomBytes(32);
    const sign = hmacSha256(key);
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 70_000]) {
      const msg = randomBytes(n);
      assert.equal(sign(msg), createHmac("sha256", key).update(msg).digest("hex"), `${n} bytes`);
    }
  });

  it("hmacSha256() matches RFC 4231 test case 2", () => {
    const sign = hmacSha256(new TextEncoder().encode("Jefe"));
    assert.equal(
      sign(new TextEncoder().encode("what do ya want for nothing?")),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("hmacSha256() refuses a key longer than one block", () => {
    assert.throws(() => hmacSha256(new Uint8Array(65)), RangeError);
  });
});
