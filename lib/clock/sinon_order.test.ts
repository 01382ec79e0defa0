// lib's own timer queue (clock/timer_queue.ts) claims sinon's order: by due time, immediates
// first, then creation order, with sinon's delay rules. This differential test holds it to that.
// Each seeded random program of timer operations runs twice: on a clock of @sinonjs/fake-timers
// (createClock, never installed; tick, then runAll or next) and on lib's clock (runWithClock,
// through the global forwarders code under test calls; clock.advance for the ticks, the driver's
// auto-advance for the rest). The traces, each callback with the virtual time it fired at and the
// time after each tick, must be identical. Ticks include fractions: sinon's tick moves whole ms
// and carries the fraction to the next tick, and so does clock.advance (it moved by the fraction
// until this test caught it, which put a timer at t=2.5 that sinon fires at t=2).
//
// Excluded on purpose, each for a reason:
// - setInterval with a negative or NaN delay: lib reads it as 0 before sinon's rules apply, as it
//   did when it ran on sinon (`Math.max(0, Number(delay) || 0)` ahead of sinon's setInterval).
//   sinon alone keeps a negative period (its clock then runs backwards) and makes NaN 1 ms. The
//   sinon side gets the delay as lib passed it to sinon. setTimeout delays go in raw.
// - Clearing an immediate with clearTimeout/clearInterval, or a timer with clearImmediate: sinon
//   throws, lib clears it. Programs clear each timer with its own family's function (a timeout
//   with clearInterval and an interval with clearTimeout are allowed by both and do occur).
// - Callbacks are synchronous: sinon's synchronous drive runs no native microtask between two
//   timers, lib drains them after each one (ordering.test.ts pins that), so promises are left out.
// - sinon's own refresh() breaks its heap (see onSinon): the sinon side works around that bug
//   rather than leave refresh() out.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runWithClock, seededRandom } from "../mod.ts";
import * as FakeTimers from "@sinonjs/fake-timers";

const PROGRAMS = 300;
const MAX_CREATED = 80; // timers one program may create or refresh (intervals re-run bodies)
const FAR = 1e6; // lib's drain: a sleep past every timer of a program lets the driver fire them

type Kind = "timeout" | "interval" | "immediate";
interface TimerNode {
  id: number;
  kind: Kind;
  delay: number;
  /** An interval clears itself on this fire. */
  times: number;
  /** What the callback does, every time it fires. */
  body: Op[];
}
type Op =
  | { op: "set"; node: TimerNode }
  | { op: "clear"; target: number; cross: boolean }
  | { op: "refresh"; target: number }
  | { op: "advance"; ms: number };
interface Program {
  seed: number;
  steps: Op[];
  drain: "runAll" | "next";
}

const LETTER = { timeout: "t", interval: "i", immediate: "s" } as const;
const TIES = [0, 0, 1, 5, 10, 10, 20, 50];
const ODD = [-1, -20, -0.5, NaN, 0.5, 2.5, 10.999, 1e-7, Infinity, 2 ** 31];
const ADVANCES = [0, 1, 2, 5, 10, 17, 25, 50, 0.5, 0.75, 2.25, 9.9];

/** A random program: top-level steps, each timer with the operations its callback runs. */
function generate(seed: number): Program {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  let ids = 0;
  const delay = (): number => {
    const x = r();
    if (x < 0.4) return pick(TIES); // equal delays
    if (x < 0.7) return Math.floor(r() * 51);
    if (x < 0.85) return Math.floor(r() * 500) / 10; // fractional
    return pick(ODD);
  };
  const op = (depth: number): Op => {
    const x = r();
    if (depth === 0 && x < 0.2) return { op: "advance", ms: pick(ADVANCES) };
    if (ids > 0 && x < 0.32) {
      return { op: "clear", target: Math.floor(r() * ids), cross: r() < 0.2 };
    }
    if (ids > 0 && x < 0.36) return { op: "refresh", target: Math.floor(r() * ids) };
    const y = r();
    const kind: Kind = y < 0.65 ? "timeout" : y < 0.85 ? "interval" : "immediate";
    const node: TimerNode = {
      id: ids++,
      kind,
      delay: delay(),
      times: 1 + Math.floor(r() * 3),
      body: [],
    };
    const children = depth < 3 ? Math.floor(r() * (depth === 0 ? 4 : 3)) : 0;
    for (let i = 0; i < children; i++) node.body.push(op(depth + 1));
    return { op: "set", node };
  };
  const steps: Op[] = [];
  const n = 4 + Math.floor(r() * 10);
  for (let i = 0; i < n; i++) steps.push(op(0));
  return { seed, steps, drain: r() < 0.5 ? "runAll" : "next" };
}

/** What a program needs of a clock. */
interface Timers {
  setTimeout(cb: () => void, ms: number): unknown;
  setInterval(cb: () => void, ms: number): unknown;
  setImmediate(cb: () => void): unknown;
  clearTimeout(handle: unknown): void;
  clearInterval(handle: unknown): void;
  clearImmediate(handle: unknown): void;
  refresh(handle: { refresh(): unknown }): void;
  now(): number;
  advance(ms: number): unknown;
  drain(): unknown;
}

/** What the programs exercised, so a generator that stopped doing it shows. */
const stats = { events: 0, ties: 0, nested: 0, refreshed: 0 };

/** Runs a program on a clock; its trace: `label@time` per callback, `tick(ms)@time` per advance. */
async function execute(p: Program, t: Timers, count = false): Promise<string[]> {
  const trace: string[] = [];
  let firing = 0;
  const handles = new Map<number, { kind: Kind; handle: unknown }>();
  const made = new Map<number, number>();
  let created = 0;
  const create = (node: TimerNode): void => {
    if (created++ >= MAX_CREATED) return;
    if (count && firing > 0) stats.nested++;
    const n = (made.get(node.id) ?? 0) + 1;
    made.set(node.id, n);
    const label = `${LETTER[node.kind]}${node.id}${n > 1 ? `.${n}` : ""}`;
    let fires = 0;
    const cb = () => {
      fires++;
      trace.push(`${label}${node.kind === "interval" ? `#${fires}` : ""}@${t.now()}`);
      if (node.kind === "interval" && fires >= node.times) t.clearInterval(handle);
      firing++;
      for (const o of node.body) run(o);
      firing--;
    };
    const handle = node.kind === "timeout"
      ? t.setTimeout(cb, node.delay)
      : node.kind === "interval"
      ? t.setInterval(cb, node.delay)
      : t.setImmediate(cb);
    handles.set(node.id, { kind: node.kind, handle });
  };
  const run = (o: Op): void => {
    if (o.op === "set") return create(o.node);
    if (o.op === "advance") return; // top level only
    const h = handles.get(o.target);
    if (!h) return; // not created yet (in both runs alike, as long as the orders agree)
    if (o.op === "refresh") {
      const handle = h.handle as { refresh(): unknown } | number;
      const armed = typeof handle === "object" && typeof handle.refresh === "function";
      if (!armed || created++ >= MAX_CREATED) return; // a callback may refresh its own timer
      if (count) stats.refreshed++;
      t.refresh(handle);
    } else if (o.op === "clear") {
      if (h.kind === "immediate") t.clearImmediate(h.handle);
      else if ((h.kind === "interval") !== o.cross) t.clearInterval(h.handle);
      else t.clearTimeout(h.handle);
    }
  };
  for (const o of p.steps) {
    if (o.op !== "advance") run(o);
    else {
      await t.advance(o.ms);
      trace.push(`tick(${o.ms})@${t.now()}`);
    }
  }
  await t.drain();
  if (count) {
    stats.events += trace.length;
    const at = (e: string) => e.slice(e.indexOf("@"));
    for (let i = 1; i < trace.length; i++) {
      const a = trace[i - 1], b = trace[i];
      if (!a.startsWith("tick") && !b.startsWith("tick") && at(a) === at(b)) stats.ties++;
    }
  }
  return trace;
}

// sinon gets a namespace of its own rather than globalThis: its createClock subclasses the
// global's Date and assigns statics to the subclass, which lib's frozen Date forwarder (see
// Hardening in lib/README.md) refuses. The timer functions only tell it the handles' shape.
class UnfrozenDate extends Date {
  static override now = Date.now;
}
const sinon = FakeTimers.withGlobal({
  Date: UnfrozenDate as unknown as DateConstructor,
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval,
  setImmediate,
  clearImmediate,
});

/** lib hands setInterval's delay to the queue as it handed it to sinon (see the top). */
const asLibPassedIt = (ms: number): number => Math.max(0, Number(ms) || 0);

function onSinon(p: Program): Promise<string[]> {
  const c = sinon.createClock(0, 10_000);
  type Id = FakeTimers.TimerId;
  return execute(p, {
    setTimeout: (cb, ms) => c.setTimeout(cb, ms),
    setInterval: (cb, ms) => c.setInterval(cb, asLibPassedIt(ms)),
    setImmediate: (cb) => c.setImmediate(cb),
    clearTimeout: (h) => c.clearTimeout(h as Id),
    clearInterval: (h) => c.clearInterval(h as Id),
    clearImmediate: (h) => c.clearImmediate(h as FakeTimers.NodeImmediate),
    refresh: (h) => {
      // sinon 15.5's refresh() sets the new callAt before it takes the timer out of its heap,
      // whose remove() then re-sorts by the new callAt: the heap breaks, and a later timer fires
      // first with time running backwards (without this, seed 92 fires t13@38 before t32@25;
      // lib's refresh keeps the order). Take the timer out first, then refresh it.
      const timer = c.timers?.get(Number(h));
      if (timer) c.timerHeap?.remove(timer);
      h.refresh();
    },
    now: () => c.now,
    advance: (ms) => c.tick(ms),
    drain: () => {
      if (p.drain === "runAll") return c.runAll();
      for (let i = 0; i < 10_000 && c.countTimers() > 0; i++) c.next();
    },
  }, true);
}

function onLib(p: Program): Promise<string[]> {
  type Id = number; // the forwarders take either runtime's handles
  return runWithClock((clock) =>
    execute(p, {
      setTimeout: (cb, ms) => setTimeout(cb, ms),
      setInterval: (cb, ms) => setInterval(cb, ms),
      setImmediate: (cb) => setImmediate(cb),
      clearTimeout: (h) => clearTimeout(h as Id),
      clearInterval: (h) => clearInterval(h as Id),
      clearImmediate: (h) => clearImmediate(h as never),
      refresh: (h) => h.refresh(),
      now: () => clock.now(),
      advance: (ms) => clock.advance(ms),
      drain: () => clock.sleep(FAR),
    }), { shuffle: false, allowLeaks: false });
}

/** The first index where the traces differ, or -1. */
function firstDifference(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe("lib's timer queue against @sinonjs/fake-timers", () => {
  it(`fires every callback in sinon's order at sinon's time, ${PROGRAMS} random programs`, async () => {
    for (let seed = 1; seed <= PROGRAMS; seed++) {
      const program = generate(seed);
      const expected = await onSinon(program);
      let actual: string[];
      try {
        actual = await onLib(program);
      } catch (e) {
        assert.fail(`seed ${seed}: lib's run failed where sinon's fired ${expected.length}: ${e}`);
      }
      const i = firstDifference(expected, actual);
      if (i < 0) continue;
      const around = (xs: string[]) => xs.slice(Math.max(0, i - 4), i + 2).join(", ");
      assert.fail(
        `seed ${seed}: event ${i} differs: sinon ${expected[i] ?? "(none)"}, lib ` +
          `${actual[i] ?? "(none)"}\n  sinon: ... ${around(expected)}\n  lib:   ... ` +
          `${around(actual)}\n  (t/i/s: timeout/interval/immediate, then the timer's id; .n: ` +
          `its n-th creation; #k: its k-th fire; generate(${seed}) rebuilds the program)`,
      );
    }
    // The programs do what they claim: many events, many at one instant, timers made in callbacks.
    const { events, ties, nested } = stats;
    assert.ok(events > PROGRAMS * 10, `only ${events} events`);
    assert.ok(ties > PROGRAMS, `only ${ties} events at the instant of the one before`);
    assert.ok(nested > PROGRAMS, `only ${nested} timers created inside a callback`);
  });
});
