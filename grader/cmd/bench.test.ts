import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { benchCommand } from "./bench.ts";
import { dispatch } from "./mod.ts";
import { capture } from "./testdata/capture.ts";

describe("benchCommand", () => {
  it("benchCommand is the bench subcommand, with --runtime deno|bun", () => {
    assert.equal(benchCommand.name, "bench");
    assert.equal(benchCommand.usage, "bench [--runtime deno|bun]");
    assert.match(benchCommand.summary, /grading speed per runtime/);
  });

  it("benchCommand refuses --runtime both and the options of other commands before measuring", async () => {
    for (
      const [argv, why] of [
        [
          ["bench", "--runtime", "both"],
          /Invalid value for --runtime: "both" \(valid for "bench": deno, bun\)/,
        ],
        [["bench", "--jobs", "2"], /Option --jobs does not apply to "bench"/],
      ] as const
    ) {
      const { io, o } = capture();
      assert.equal(await dispatch([...argv], { toolRoot: "/nowhere", io }), 2, argv.join(" "));
      assert.match(o.err, why);
      assert.equal(o.out, "", "nothing measured");
    }
  });
});
