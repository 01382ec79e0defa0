import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { currentRuntime } from "../engine/runtimes.ts";
import { command, invocation, swallowedByNpm } from "./invocation.ts";

const NPM = {
  npm_lifecycle_event: "grade",
  npm_config_user_agent: "npm/10.9.0 node/v22.0.0 linux x64",
};
const BUN = {
  npm_lifecycle_event: "grade",
  npm_config_user_agent: "bun/1.4.4 npm/? node/v24.3.0 linux x64",
};
const DIRECT = currentRuntime() === "deno" ? "deno-task" : "direct";

describe("invocation()", () => {
  it("invocation() tells npm run and bun run apart by the user agent of a lifecycle script", () => {
    assert.equal(invocation(NPM), "npm-run");
    assert.equal(invocation(BUN), "bun-run");
  });

  it("invocation() outside a package script is deno task under Deno, else direct", () => {
    assert.equal(invocation({}), DIRECT);
    assert.equal(invocation({ npm_config_user_agent: NPM.npm_config_user_agent }), DIRECT);
    assert.equal(
      invocation({ npm_lifecycle_event: "grade", npm_config_user_agent: "pnpm/9" }),
      DIRECT,
    );
  });
});

describe("command()", () => {
  it("command() spells a grader command the way each runner takes it", () => {
    assert.equal(command("hint 1", "deno-task"), "deno task grade hint 1");
    assert.equal(command("hint 1", "bun-run"), "bun run grade hint 1");
    assert.equal(command("hint 1", "npm-run"), "npm run grade -- hint 1");
    assert.equal(command("hint 1", "direct"), `${currentRuntime()} grader/main.ts hint 1`);
  });

  it("command() without a runner uses the way this process was started", () => {
    assert.equal(command("list"), command("list", invocation()));
  });
});

describe("swallowedByNpm()", () => {
  it("swallowedByNpm() names each grader option npm took for itself, with the spelling that works", () => {
    const env = {
      ...NPM,
      npm_config_format: "json",
      npm_config_no_color: "true",
      npm_config_loglevel: "notice",
    };
    assert.deepEqual(swallowedByNpm(["format", "no-color", "out"], env), [
      "npm took --format for itself: put it after --, as in: npm run grade -- --format VALUE",
      "npm took --no-color for itself: put it after --, as in: npm run grade -- --no-color",
    ]);
  });

  it("swallowedByNpm() ignores npm's own settings, which npm exports without a flag (CI sets yes)", () => {
    assert.deepEqual(swallowedByNpm(["yes", "format"], { ...NPM, npm_config_yes: "true" }), []);
  });

  it("swallowedByNpm() finds nothing outside npm run, nor when npm took none of the options", () => {
    assert.deepEqual(swallowedByNpm(["format"], { ...BUN, npm_config_format: "json" }), []);
    assert.deepEqual(swallowedByNpm(["format"], { npm_config_format: "json" }), []);
    assert.deepEqual(swallowedByNpm(["format", "out"], NPM), []);
  });
});
