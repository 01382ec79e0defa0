// GIVEN: the ordering puzzles of task 1; you do not edit them, you predict what they log
/**
 * Each puzzle schedules some work and calls `log(event)` as things run. Your task 1 is to say,
 * before running anything, in which order the events are logged.
 *
 * The tests run each puzzle inside the workbook's virtual clock, then wait until every timer it
 * started has fired, and compare the events with your prediction. The orders are the same on
 * Deno, Bun and Node when the puzzles run for real (measured on Deno 2.9, Bun 1.4 and Node 20).
 *
 * @module
 */

/** Records one event. */
export type Log = (event: string) => void;

/** A puzzle: schedules work that logs events; may return a promise that the runner awaits. */
export type Puzzle = (log: Log) => void | Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Synchronous code, a promise reaction and a timer. */
function syncThenMicrotaskThenTimer(log: Log): void {
  log("A");
  setTimeout(() => log("B"), 0);
  Promise.resolve().then(() => log("C"));
  log("D");
}

/** An async function that awaits values that are already settled, and a 0 ms timer. */
async function awaitSettled(log: Log): Promise<void> {
  setTimeout(() => log("timer"), 0);
  const task = async () => {
    log("task: start");
    await null;
    log("task: after await null");
    await Promise.resolve(42);
    log("task: after await Promise.resolve(42)");
  };
  const done = task();
  log("main: task() returned");
  await done;
  log("main: after await done");
}

/** A loop of `await null` and a 0 ms timer that would stop it. */
async function microtaskLoop(log: Log): Promise<void> {
  let turns = 0;
  let stop = false;
  setTimeout(() => {
    stop = true;
    log(`timer ran after ${turns} turns`);
  }, 0);
  while (!stop && turns < 1000) {
    turns++;
    await null;
  }
  log(`loop ended after ${turns} turns`);
}

/** The same loop, but each turn awaits a 0 ms timer. */
async function timerLoop(log: Log): Promise<void> {
  let turns = 0;
  let stop = false;
  setTimeout(() => {
    stop = true;
    log(`timer ran after ${turns} turns`);
  }, 0);
  while (!stop && turns < 1000) {
    turns++;
    await sleep(0);
  }
  log(`loop ended after ${turns} turns`);
}

/** queueMicrotask, setTimeout(0) and setImmediate, scheduled together. */
function threeQueues(log: Log): void {
  setTimeout(() => log("setTimeout 0"), 0);
  setImmediate(() => log("setImmediate"));
  queueMicrotask(() => log("queueMicrotask"));
  log("sync");
}

/** Two 0 ms timers; the first one queues a microtask. */
function microtasksBetweenTimers(log: Log): void {
  setTimeout(() => {
    log("timer 1");
    queueMicrotask(() => log("microtask queued by timer 1"));
    Promise.resolve().then(() => log("then queued by timer 1"));
  }, 0);
  setTimeout(() => log("timer 2"), 0);
}

/** Two promise chains started side by side. */
function twoChains(log: Log): void {
  Promise.resolve()
    .then(() => log("a1"))
    .then(() => log("a2"))
    .then(() => log("a3"));
  Promise.resolve()
    .then(() => log("b1"))
    .then(() => log("b2"));
}

/** Timers with different delays, and one created from a microtask. */
function timerOrder(log: Log): void {
  setTimeout(() => log("20 ms"), 20);
  setTimeout(() => log("10 ms, first"), 10);
  setTimeout(() => log("10 ms, second"), 10);
  queueMicrotask(() => setTimeout(() => log("0 ms, from a microtask"), 0));
  setTimeout(() => log("0 ms"), 0);
}

/** Two async loops side by side: one awaits null, the other a 0 ms timer. */
async function twoLoops(log: Log): Promise<void> {
  const polite = async () => {
    for (const i of [1, 2, 3]) {
      log(`timer loop ${i}`);
      await sleep(0);
    }
  };
  const greedy = async () => {
    for (const i of [1, 2, 3]) {
      log(`null loop ${i}`);
      await null;
    }
  };
  await Promise.all([polite(), greedy()]);
}

/** An async function that returns a value, one that returns a promise, and a chain of ticks. */
function returnValueOrPromise(log: Log): void {
  // deno-lint-ignore require-await -- the puzzle is about what an async function returns
  const returnsPromise = async () => Promise.resolve("p");
  // deno-lint-ignore require-await -- the puzzle is about what an async function returns
  const returnsValue = async () => "v";
  returnsPromise().then(() => log("returned a promise"));
  returnsValue().then(() => log("returned a value"));
  Promise.resolve()
    .then(() => log("tick 1"))
    .then(() => log("tick 2"))
    .then(() => log("tick 3"))
    .then(() => log("tick 4"));
}

/** The puzzles of task 1, by name. */
export const PUZZLES = {
  syncThenMicrotaskThenTimer,
  awaitSettled,
  microtaskLoop,
  timerLoop,
  threeQueues,
  microtasksBetweenTimers,
  twoChains,
  timerOrder,
  twoLoops,
  returnValueOrPromise,
} satisfies Record<string, Puzzle>;

/** The name of a puzzle. */
export type PuzzleName = keyof typeof PUZZLES;
