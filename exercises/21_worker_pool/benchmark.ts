// GIVEN: a script that measures CPU-bound and I/O-bound work with your code; you do not edit it
/**
 * Measures, on this machine, what the README's table can only describe: run it once tasks 1 to 6
 * pass.
 *
 *     bun exercises/21_worker_pool/benchmark.ts
 *     deno run --allow-read exercises/21_worker_pool/benchmark.ts
 *
 * It uses your `WorkerPool`, `watchLoop` and `compareCpuBound`:
 * - CPU-bound: 8 × countPrimes on the main thread, then on pools of 1, 2, ... threads, up to one
 *   per core (and one more);
 * - blocking I/O: 8 × echoAfter(50) (a thread blocked without using the CPU), main thread vs a
 *   pool of 8;
 * - async I/O: 8 × sleepThen(50) on the main thread alone, all at once.
 *
 * Each row says how long it took, how many 10 ms heartbeats the main thread's event loop ran
 * meanwhile, the longest stretch without one, and the speedup over the main thread. Numbers vary
 * from run to run and from machine to machine (other programs share the cores): that is the point
 * of measuring.
 *
 * @module
 */
import { compareCpuBound, type LoopReport, watchLoop } from "./loop_watch.ts";
import { WorkerPool } from "./pool.ts";
import { sleepThen } from "./cpu_jobs.ts";

const JOBS = new URL("./cpu_jobs.ts", import.meta.url);
const cores = navigator.hardwareConcurrency;
const N = 8;

function row(label: string, r: LoopReport<unknown>, speedup?: number): void {
  const cells = [
    label.padEnd(28),
    `${r.ms.toFixed(0)} ms`.padStart(9),
    String(r.beats).padStart(7),
    `${r.longestStallMs.toFixed(0)} ms`.padStart(14),
    speedup === undefined ? "" : `${speedup.toFixed(2)}x`.padStart(9),
  ];
  console.log(cells.join(""));
}

function header(title: string): void {
  console.log(`\n${title}`);
  console.log(
    [
      "where".padEnd(28),
      "time".padStart(9),
      "beats".padStart(7),
      "longest stall".padStart(14),
      "speedup".padStart(9),
    ]
      .join(""),
  );
}

console.log(`This machine reports ${cores} core(s) (navigator.hardwareConcurrency).`);

// Calibrate: pick a limit that takes about 100 ms on the main thread.
let limit = 20_000;
const { countPrimes } = await import(JOBS.href);
for (;;) {
  const t = performance.now();
  countPrimes(limit);
  if (performance.now() - t > 100 || limit > 5_000_000) break;
  limit *= 2;
}

header(`CPU-bound: ${N} x countPrimes(${limit})`);
let mainRow: LoopReport<unknown> | undefined;
for (const size of [...new Set([1, 2, cores, cores + 1])].sort((a, b) => a - b)) {
  await using pool = new WorkerPool(JOBS, { size });
  await Promise.all(Array.from({ length: size }, () => pool.run("add", [1, 1]))); // start the threads first
  const c = await compareCpuBound(pool, "countPrimes", Array.from({ length: N }, () => [limit]));
  if (!mainRow) {
    mainRow = c.main;
    row("main thread, one by one", c.main, 1);
  }
  row(`pool of ${size}${size > cores ? " (more than cores)" : ""}`, c.pool, mainRow.ms / c.pool.ms);
}

header(`Blocking I/O: ${N} x echoAfter(50) (the thread waits, the CPU is idle)`);
{
  await using pool = new WorkerPool(JOBS, { size: N });
  await Promise.all(Array.from({ length: N }, () => pool.run("add", [1, 1])));
  const c = await compareCpuBound(pool, "echoAfter", Array.from({ length: N }, (_, i) => [50, i]));
  row("main thread, one by one", c.main, 1);
  row(`pool of ${N}`, c.pool, c.speedup);
}

header(`Async I/O: ${N} x sleepThen(50) (the event loop waits, nothing blocks)`);
{
  const r = await watchLoop(() =>
    Promise.all(Array.from({ length: N }, (_, i) => sleepThen(50, i)))
  );
  row("main thread, all at once", r);
}

console.log(
  "\nRead it: a blocked main thread beats 0 times. CPU-bound jobs go faster on a pool only while " +
    "there are free cores; blocking I/O goes faster on a pool whatever the cores; async I/O " +
    "needs no thread at all.",
);
