/**
 * How the course's primitives describe themselves at a deadlock (see watched.ts): their state in
 * words from public methods only, the methods whose calls may wait, and what a state with waiting
 * calls suggests ("free while acquire() waits: did release() wake the next waiter?").
 *
 * @module
 */
import { $freeze, $join, $push, $String } from "../clock/intrinsics.ts";
import type { WatchSpec } from "./watched.ts";

/** `n` with its noun: "1 item", "2 items". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** The course's Lock (08, and 10's given lock): free or locked, acquire() calls waiting. */
export const LOCK: WatchSpec<{ locked(): boolean }> = $freeze({
  noun: "Lock",
  state: (l: { locked(): boolean }) => (l.locked() ? "locked" : "free"),
  waits: $freeze(["acquire"]),
  hint: (l: { locked(): boolean }, pending: Readonly<Record<string, number>>) =>
    !l.locked() && pending.acquire > 0
      ? "free while acquire() waits: did release() wake the next waiter?"
      : undefined,
});

/** The course's Semaphore (11): its value, acquire() calls waiting. */
export const SEMAPHORE: WatchSpec<{ value: number; locked(): boolean }> = $freeze({
  noun: "Semaphore",
  state: (s: { value: number }) => `value ${$String(s.value)}`,
  waits: $freeze(["acquire"]),
  hint: (s: { value: number }, pending: Readonly<Record<string, number>>) =>
    s.value > 0 && pending.acquire > 0
      ? "permits free while acquire() waits: did release() wake a waiter?"
      : undefined,
});

/** The course's Condition (10): its lock, wait() and waitFor() calls waiting. */
export const CONDITION: WatchSpec<{ locked(): boolean }> = $freeze({
  noun: "Condition",
  state: (c: { locked(): boolean }) => (c.locked() ? "lock held" : "lock free"),
  waits: $freeze(["wait", "waitFor", "acquire"]),
  hint: (c: { locked(): boolean }, pending: Readonly<Record<string, number>>) =>
    pending.wait + pending.waitFor > 0 && !c.locked()
      ? "waiters but no holder: was notify() called before they waited, or never?"
      : undefined,
});

/** The course's Event (09): set or not, wait() calls waiting. */
export const EVENT: WatchSpec<{ isSet(): boolean }> = $freeze({
  noun: "Event",
  state: (e: { isSet(): boolean }) => (e.isSet() ? "set" : "not set"),
  waits: $freeze(["wait"]),
  hint: (e: { isSet(): boolean }, pending: Readonly<Record<string, number>>) =>
    e.isSet() && pending.wait > 0
      ? "set while wait() waits: did set() wake the waiters?"
      : undefined,
});

/** What the course's queues (13, 14's and 17's given ones, 15) show from outside. */
interface QueueLike {
  qsize(): number;
  /** Absent on an unbounded queue with no such method (17's given queue). */
  full?(): boolean;
  readonly maxsize?: number;
}

/** Whether a queue is full; false when it cannot be (no `full()`). */
const isFull = (q: QueueLike): boolean => typeof q.full === "function" && q.full();

/** The course's Queue (13, 14's given queue, 15): items, maxsize, get()/put()/join() waiting. */
export const QUEUE: WatchSpec<QueueLike> = $freeze({
  noun: "Queue",
  state: (q: QueueLike) => {
    const n = q.qsize();
    const size = n === 0 ? "empty" : count(n, "item");
    const max = typeof q.maxsize === "number" && q.maxsize > 0
      ? `, maxsize ${$String(q.maxsize)}${isFull(q) ? " (full)" : ""}`
      : "";
    return size + max;
  },
  waits: $freeze(["get", "put", "join"]),
  hint: (q: QueueLike, pending: Readonly<Record<string, number>>) => {
    const hints: string[] = [];
    if (pending.get > 0 && q.qsize() > 0) {
      $push(hints, "items queued while get() waits: did put() wake a getter?");
    }
    if (pending.get > 0 && q.qsize() === 0) {
      $push(hints, "empty while get() waits: a put() or a sentinel per consumer missing?");
    }
    if (pending.put > 0 && !isFull(q)) {
      $push(hints, "room while put() waits: did get() wake a putter?");
    }
    return hints.length ? $join(hints, "; ") : undefined;
  },
});

/** What 16's given Channel shows from outside. */
interface ChannelLike {
  readonly size: number;
  readonly capacity: number;
  readonly closed: boolean;
}

/** 16's given Channel: items, capacity, closed or open, send() and receive() calls waiting. */
export const CHANNEL: WatchSpec<ChannelLike> = $freeze({
  noun: "Channel",
  state: (c: ChannelLike) =>
    `${c.size === 0 ? "empty" : count(c.size, "item")}, capacity ${$String(c.capacity)}, ${
      c.closed ? "closed" : "open"
    }`,
  waits: $freeze(["send", "receive"]),
  hint: (c: ChannelLike, pending: Readonly<Record<string, number>>) => {
    if (pending.receive > 0 && c.size === 0 && !c.closed) {
      return "empty and open while receive() waits: did the stage before it close() its output?";
    }
    if (pending.send > 0 && c.size >= c.capacity) {
      return "full while send() waits: has the stage after it stopped receiving?";
    }
    return undefined;
  },
});

/** What 25's Pool shows from outside. */
interface PoolLike {
  readonly size: number;
  readonly max: number;
  readonly idleCount: number;
}

/** 25's connection Pool: connections, idle ones, acquire() and drain() calls waiting. */
export const POOL: WatchSpec<PoolLike> = $freeze({
  noun: "Pool",
  state: (p: PoolLike) =>
    `${$String(p.size)} of max ${$String(p.max)} connections, ${$String(p.idleCount)} idle`,
  waits: $freeze(["acquire", "drain"]),
  hint: (p: PoolLike, pending: Readonly<Record<string, number>>) => {
    if (pending.acquire > 0 && p.idleCount > 0) {
      return "idle connections while acquire() waits: did release() hand one to the next waiter?";
    }
    if (pending.acquire > 0 && p.size < p.max) {
      return "room for a connection while acquire() waits: did acquire() open one?";
    }
    if (pending.drain > 0) return "drain() waits for the leases: is one never released?";
    return undefined;
  },
});
