import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { runProcess, treeRssKb } from "./proc.ts";
import { spawnWatched } from "./watched.ts";
import { currentRuntime } from "./runtimes.ts";

const HUNGRY = "const keep = []; for (;;) keep.push(new Array(1e6).fill(7));";

describe("runProcess()", () => {
  it("runProcess() kills a child whose memory grows past maxRssMb", {
    skip: process.platform !== "linux",
  }, async () => {
    const args = currentRuntime() === "deno" ? ["eval", HUNGRY] : ["-e", HUNGRY];
    const started = Date.now();
    const r = await runProcess(process.execPath, args, {
      cwd: ".",
      env: {},
      timeoutMs: 60_000,
      maxRssMb: 200,
    });
    assert.equal(r.killed, "memory");
    assert.ok(
      Date.now() - started < 30_000,
      "killed by the memory cap, long before the wall clock",
    );
  });

  it("runProcess() kills a child at the wall-clock limit", async () => {
    const args = currentRuntime() === "deno" ? ["eval", "for (;;) {}"] : ["-e", "for (;;) {}"];
    const r = await runProcess(process.execPath, args, { cwd: ".", env: {}, timeoutMs: 1000 });
    assert.equal(r.killed, "timeout");
    assert.equal(r.code, null);
  });

  it("runProcess() reports a normal exit with its code and output", async () => {
    const args = currentRuntime() === "deno"
      ? ["eval", "console.log('hi'); Deno.exit(3)"]
      : ["-e", "console.log('hi'); process.exit(3)"];
    const r = await runProcess(process.execPath, args, { cwd: ".", env: {}, timeoutMs: 20_000 });
    assert.deepEqual([r.killed, r.code, r.stdout.trim()], [null, 3, "hi"]);
  });
});

const SH = "/bin/sh";
/** Whether a process runs (a zombie waiting to be reaped by init counts as ended). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    // No /proc entry: ended (or no /proc here, then ask the kernel).
  }
  try {
    process.kill(pid, 0);
    return !existsSync("/proc/self");
  } catch {
    return false;
  }
};
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe("runProcess() limits and environment", () => {
  it("runProcess() kills a child that prints nothing for stallMs", async () => {
    const r = await runProcess(SH, ["-c", "echo start; sleep 20"], {
      cwd: ".",
      env: {},
      timeoutMs: 20_000,
      stallMs: 300,
    });
    assert.equal(r.killed, "stall");
    assert.equal(r.code, null);
    assert.equal(r.stdout, "start\n");
    assert.ok(r.ms < 10_000, `${r.ms} ms`);
  });

  it("runProcess() keeps maxOutput of the output and counts what it dropped", async () => {
    const r = await runProcess(SH, [
      "-c",
      "i=0; while [ $i -lt 100 ]; do echo 123456789; i=$((i+1)); done",
    ], {
      cwd: ".",
      env: {},
      timeoutMs: 20_000,
      maxOutput: 25,
    });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "123456789\n123456789\n12345");
    assert.equal(r.dropped, 1000 - 25);
  });

  it("runProcess() gives the child only the environment it is given, and captures stderr apart", async () => {
    const r = await runProcess(SH, ["-c", 'echo "$FOO:${HOME:-none}"; echo oops >&2'], {
      cwd: ".",
      env: { FOO: "bar" },
      timeoutMs: 20_000,
    });
    assert.deepEqual([r.stdout, r.stderr], ["bar:none\n", "oops\n"]);
  });

  it("runProcess() says why a command could not start", async () => {
    const r = await runProcess("/nonexistent/grader-test-binary", [], {
      cwd: ".",
      env: {},
      timeoutMs: 5000,
    });
    assert.equal(r.killed, null);
    assert.ok(r.spawnError, JSON.stringify(r));
    assert.match(r.spawnError!, /ENOENT|not found|No such file/i);
  });

  it("runProcess() kills the whole process group, grandchildren included, at the limit", async () => {
    const r = await runProcess(SH, ["-c", "sleep 30 & echo $!; wait"], {
      cwd: ".",
      env: {},
      timeoutMs: 500,
    });
    assert.equal(r.killed, "timeout");
    const pid = Number(r.stdout.trim());
    assert.ok(pid > 0, r.stdout);
    assert.ok(await gone(pid), `grandchild ${pid} still runs`);
  });

  it("runProcess() kills what a finished child left running in its group", async () => {
    const r = await runProcess(SH, ["-c", "sleep 30 >/dev/null 2>&1 & echo $!"], {
      cwd: ".",
      env: {},
      timeoutMs: 20_000,
    });
    assert.deepEqual([r.killed, r.code], [null, 0]);
    const pid = Number(r.stdout.trim());
    assert.ok(pid > 0, r.stdout);
    assert.ok(await gone(pid), `leftover ${pid} still runs`);
  });
});

describe("spawnWatched()", () => {
  it("spawnWatched() feeds stdin, streams stdout and stderr, and reports the exit code", async () => {
    let out = "";
    const w = spawnWatched(SH, ["-c", "read x; echo got:$x; echo err >&2; exit 4"], {
      cwd: ".",
      env: {},
      input: "hello\n",
      onOutput: (s) => (out += s),
    });
    const d = await w.done;
    assert.deepEqual([d.code, d.killed], [4, null]);
    assert.ok(out.includes("got:hello\n"), out);
    assert.ok(out.includes("err\n"), out);
  });

  it("spawnWatched() kills the group on demand, once, keeping the first cause", async () => {
    let out = "";
    const w = spawnWatched(SH, ["-c", "echo ready; sleep 30"], {
      cwd: ".",
      env: {},
      input: "",
      onOutput: (s) => (out += s),
    });
    for (let i = 0; i < 100 && !out.includes("ready"); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    w.kill("deadline of test x");
    w.kill("memory");
    const d = await w.done;
    assert.deepEqual([d.code, d.killed], [null, "deadline of test x"]);
  });

  it("spawnWatched() kills a process tree whose memory passes maxRssMb", {
    skip: process.platform !== "linux",
  }, async () => {
    const args = currentRuntime() === "deno" ? ["eval", HUNGRY] : ["-e", HUNGRY];
    const w = spawnWatched(process.execPath, args, {
      cwd: ".",
      env: {},
      input: "",
      onOutput: () => {},
      maxRssMb: 200,
    });
    const timer = setTimeout(() => w.kill("test timeout"), 30_000);
    const d = await w.done;
    clearTimeout(timer);
    assert.equal(d.killed, "memory");
  });
});

describe("treeRssKb()", () => {
  it("treeRssKb() counts this process's resident memory on Linux, and 0 for no process", {
    skip: process.platform !== "linux",
  }, () => {
    assert.ok(treeRssKb(process.pid) > 1000);
    assert.equal(treeRssKb(2 ** 22 + 12345), 0);
  });
});
