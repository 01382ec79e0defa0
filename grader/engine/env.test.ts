import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { childEnv } from "./env.ts";

const PASSED = ["PATH", "HOME", "TMPDIR", "DENO_DIR", "XDG_CACHE_HOME", "BUN_INSTALL"];
const KEYS = [...PASSED, "LANG", "TZ", "GRADER_ENV_TEST_SECRET"];
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));

afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("childEnv()", () => {
  it("childEnv() sets no colour, UTC, no Deno update check and a UTF-8 locale, whatever the parent has", () => {
    process.env.LANG = "fr_FR.ISO-8859-1";
    process.env.TZ = "Europe/Paris";
    const env = childEnv();
    assert.equal(env.NO_COLOR, "1");
    assert.equal(env.TZ, "UTC");
    assert.equal(env.DENO_NO_UPDATE_CHECK, "1");
    assert.equal(env.LANG, "C.UTF-8");
  });

  it("childEnv() passes the parent's PATH, HOME, TMPDIR and cache folders", () => {
    for (const k of PASSED) process.env[k] = `/env-test/${k}`;
    const env = childEnv();
    for (const k of PASSED) assert.equal(env[k], `/env-test/${k}`, k);
  });

  it("childEnv() leaves out those the parent does not have", () => {
    delete process.env.XDG_CACHE_HOME;
    delete process.env.DENO_DIR;
    const env = childEnv();
    assert.equal("XDG_CACHE_HOME" in env, false);
    assert.equal("DENO_DIR" in env, false);
  });

  it("childEnv() passes nothing else of the parent's environment", () => {
    process.env.GRADER_ENV_TEST_SECRET = "s3cret";
    const env = childEnv();
    const allowed = [
      "NO_COLOR",
      "TZ",
      "DENO_NO_UPDATE_CHECK",
      "LANG",
      "PATH",
      "HOME",
      "TMPDIR",
      "DENO_DIR",
      "XDG_CACHE_HOME",
      "BUN_INSTALL",
    ];
    assert.deepEqual(Object.keys(env).filter((k) => !allowed.includes(k)), []);
    assert.equal(Object.values(env).includes("s3cret"), false);
  });

  it("childEnv() asks for the clock's report only when told to (not by default)", () => {
    assert.equal("WORKBOOK_CLOCK_REPORT" in childEnv(), false);
    assert.equal("WORKBOOK_CLOCK_REPORT" in childEnv(false), false);
    assert.equal(childEnv(true).WORKBOOK_CLOCK_REPORT, "1");
  });
});
