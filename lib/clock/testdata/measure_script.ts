// Run as a plain script: measures what promise tracking costs, in real time, on this runtime.
// Prints one JSON line (lib/README.md quotes the numbers).
import { runWithClock } from "../../mod.ts";
import { ForgetfulLock, withLock } from "./lock.ts";
import { consumer, DONE, Queue } from "./queue.ts";

const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
async function timed(run: () => Promise<unknown>, times = 5): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await run().catch(() => {});
    ms.push(performance.now() - t0);
  }
  return Math.round(median(ms) * 10) / 10;
}

const shapes: Record<string, (track: boolean) => Promise<unknown>> = {
  lostWakeUp: (track) =>
    runWithClock(async (clock) => {
      const lock = new ForgetfulLock();
      const job = () => clock.sleep(100);
      await Promise.all([withLock(lock, job), withLock(lock, job), withLock(lock, job)]);
    }, { track }),
  getterNeverWoken: (track) =>
    runWithClock(async () => {
      const queue = new Queue<number | typeof DONE>({ wakeGetters: false });
      const done = consumer(queue, 10);
      queue.put(1);
      queue.put(DONE);
      await done;
    }, { track }),
  missingSentinel: (track) =>
    runWithClock(async () => {
      const queue = new Queue<number | typeof DONE>();
      const consumers = [consumer(queue, 100), consumer(queue, 100)];
      for (let i = 0; i < 4; i++) queue.put(i);
      queue.put(DONE);
      await Promise.all(consumers);
    }, { track }),
  // 1000 stuck getters: 1000 stacks to read at the deadlock.
  thousandStuck: (track) =>
    runWithClock(async () => {
      const queue = new Queue<number>({ wakeGetters: false });
      await Promise.all(Array.from({ length: 1000 }, () => queue.get()));
    }, { track }),
  // The same after 100 000 settled promises: the worst case lib's tests know of.
  thousandStuckAfter100k: (track) =>
    runWithClock(async () => {
      for (let i = 0; i < 100_000; i++) await new Promise<void>((r) => r());
      const queue = new Queue<number>({ wakeGetters: false });
      await Promise.all(Array.from({ length: 1000 }, () => queue.get()));
    }, { track }),
};

const out: Record<string, unknown> = {};
for (const [name, run] of Object.entries(shapes)) {
  out[name] = {
    untrackedMs: await timed(() => run(false)),
    trackedMs: await timed(() => run(true)),
  };
}
// A passing test that makes many promises.
const passing = (track: boolean) =>
  runWithClock(async (clock) => {
    for (let i = 0; i < 200_000; i++) await new Promise<void>((r) => r());
    await clock.sleep(1);
  }, { track });
out.passing200kPromises = {
  untrackedMs: await timed(() => passing(false)),
  trackedMs: await timed(() => passing(true)),
  globalPromiseIsIntrinsic:
    globalThis.Promise === Object.getPrototypeOf(Promise.resolve()).constructor,
};
console.log(JSON.stringify(out));
