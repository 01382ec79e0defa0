/**
 * HMAC-SHA256, synchronous, on typed arrays and arithmetic only. Written here rather than taken
 * from WebCrypto or node:crypto because the harness signs while code under test runs in the same
 * process: WebCrypto is asynchronous (its promises resolve with the CryptoKey, and a patched
 * `Object.prototype.then` getter receives whatever a promise resolves with), and node:crypto's
 * HMAC is JavaScript in both runtimes that calls methods a submission can replace. This code
 * looks up nothing at run time: the constructors it uses are captured when it loads, before any
 * code under test, and typed-array indexing never consults a prototype.
 *
 * @module
 */

const U8 = Uint8Array;
const U32 = Uint32Array;
const floor = Math.floor;

const K = new U32([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
const IV = [
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
];
const W = new U32(64);
const HEX = "0123456789abcdef";

/** Hashes one 64-byte block at `off` of `data` into `h`. */
function block(h: Uint32Array, data: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + i * 4;
    W[i] = ((data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!) >>> 0;
  }
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15]!;
    const b = W[i - 2]!;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) >>> 0;
  }
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, k = h[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (k + s1 + ch + K[i]! + W[i]!) >>> 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + maj) >>> 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) >>> 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) >>> 0;
  }
  h[0] = (h[0]! + a) >>> 0;
  h[1] = (h[1]! + b) >>> 0;
  h[2] = (h[2]! + c) >>> 0;
  h[3] = (h[3]! + d) >>> 0;
  h[4] = (h[4]! + e) >>> 0;
  h[5] = (h[5]! + f) >>> 0;
  h[6] = (h[6]! + g) >>> 0;
  h[7] = (h[7]! + k) >>> 0;
}

/** Finishes a hash whose state `h` has absorbed `before` bytes already: hashes `data` and pads. */
function finish(h: Uint32Array, data: Uint8Array, before: number): Uint8Array {
  const n = data.length;
  let off = 0;
  for (; off + 64 <= n; off += 64) block(h, data, off);
  const rest = n - off;
  const tail = new U8(rest < 56 ? 64 : 128);
  for (let i = 0; i < rest; i++) tail[i] = data[off + i]!;
  tail[rest] = 0x80;
  const bits = (before + n) * 8;
  const end = tail.length;
  // Lengths here stay far below 2^53 bits: the high word is the quotient by 2^32.
  const hi = floor(bits / 0x100000000);
  tail[end - 8] = (hi >>> 24) & 255;
  tail[end - 7] = (hi >>> 16) & 255;
  tail[end - 6] = (hi >>> 8) & 255;
  tail[end - 5] = hi & 255;
  tail[end - 4] = (bits >>> 24) & 255;
  tail[end - 3] = (bits >>> 16) & 255;
  tail[end - 2] = (bits >>> 8) & 255;
  tail[end - 1] = bits & 255;
  for (let o = 0; o < end; o += 64) block(h, tail, o);
  const out = new U8(32);
  for (let i = 0; i < 8; i++) {
    out[i * 4] = h[i]! >>> 24;
    out[i * 4 + 1] = (h[i]! >>> 16) & 255;
    out[i * 4 + 2] = (h[i]! >>> 8) & 255;
    out[i * 4 + 3] = h[i]! & 255;
  }
  return out;
}

/** The state after one padded key block (key XOR pad). */
function keyed(key: Uint8Array, pad: number): Uint32Array {
  const b = new U8(64);
  for (let i = 0; i < 64; i++) b[i] = (i < key.length ? key[i]! : 0) ^ pad;
  const h = new U32(8);
  for (let i = 0; i < 8; i++) h[i] = IV[i]!;
  block(h, b, 0);
  return h;
}

/**
 * Prepares an HMAC-SHA256 signer for a key of at most 64 bytes; the key bytes are not kept (only
 * the two hash states derived from them).
 *
 * @param key The key.
 * @returns A function from message bytes to the lowercase hex mac.
 * @throws {RangeError} When the key is longer than 64 bytes.
 */
export function hmacSha256(key: Uint8Array): (message: Uint8Array) => string {
  if (key.length > 64) {
    throw new RangeError("hmacSha256: keys longer than 64 bytes are not used here");
  }
  const inner = keyed(key, 0x36);
  const outer = keyed(key, 0x5c);
  return (message) => {
    const hi = new U32(8);
    const ho = new U32(8);
    for (let i = 0; i < 8; i++) {
      hi[i] = inner[i]!;
      ho[i] = outer[i]!;
    }
    const mac = finish(ho, finish(hi, message, 64), 64);
    let hex = "";
    for (let i = 0; i < 32; i++) hex += HEX[mac[i]! >> 4]! + HEX[mac[i]! & 15]!;
    return hex;
  };
}
