/**
 * Second looks at a unit's tests after its main pass, each in fresh harness processes that run
 * only the tests concerned:
 *
 * - A deadlock found with promise tracking off runs again with it on (same schedule: tracking
 *   changes no order), and its verdict takes the tracked run's message and diagnosis, which name
 *   where the student's code waits. Passing tests never pay for tracking.
 * - With `schedules: K`, the tests that passed run under seeds seed+1 .. seed+K, each a different
 *   order of the events due at one virtual instant (lib/clock/schedule.ts). A test that fails
 *   under one fails, with that seed and the swaps that broke it, so `--seed` replays it.
 *
 * @module
 */

import { emptyOutcome, type UnitOutcome } from "./outcome.ts";
import type { ClockConfig } from "./session.ts";
import type { Verdict } from "./types.ts";
import type { Unit } from "./workspace.ts";

/** Runs some units' sessions into the given outcomes under a clock configuration. */
export type RunPass = (
  units: Unit[],
  outcomes: Map<string, UnitOutcome>,
  clock: ClockConfig,
) => Promise<void>;

/** Whether a verdict is a deadlock diagnosed without tracking. */
export function untrackedDeadlock(v: Verdict): boolean {
  const d = v.diagnosis as { tracked?: unknown } | undefined;
  return v.status === "fail" && typeof d === "object" && d !== null && d.tracked === false;
}

/** The tests of each unit whose verdict holds, as workspace-relative ids. */
function targets(
  units: Unit[],
  outcomes: Map<string, UnitOutcome>,
  holds: (v: Verdict) => boolean,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const u of units) {
    const ids = new Set<string>();
    for (const [f, m] of outcomes.get(u.key)!.verdicts) {
      for (const [name, v] of m) if (holds(v)) ids.add(`exercises/${u.wsDir}/${f}\u0000${name}`);
    }
    if (ids.size > 0) out.set(u.key, ids);
  }
  return out;
}

/** Runs the targeted tests in fresh outcomes; calls `take` with each re-run verdict. */
async function rerun(
  units: Unit[],
  only: Map<string, Set<string>>,
  clock: ClockConfig,
  run: RunPass,
  take: (u: Unit, file: string, name: string, v: Verdict) => void,
): Promise<void> {
  const subset = units.filter((u) => only.has(u.key));
  if (subset.length === 0) return;
  const outs = new Map(subset.map((u) => [u.key, emptyOutcome(only.get(u.key))]));
  await run(subset, outs, clock);
  for (const u of subset) {
    for (const [f, m] of outs.get(u.key)!.verdicts) {
      for (const [name, v] of m) {
        if (only.get(u.key)!.has(`exercises/${u.wsDir}/${f}\u0000${name}`)) take(u, f, name, v);
      }
    }
  }
}

/** One swapped event, as the schedule's JSON has it (lib/clock/schedule.ts ScheduledEvent). */
function eventText(e: unknown): string {
  const x = (e ?? {}) as { kind?: unknown; delay?: unknown; origin?: unknown };
  const kind = typeof x.kind === "string" ? x.kind : "a timer";
  const delay = typeof x.delay === "number" && kind !== "setImmediate" ? `(${x.delay} ms)` : "";
  return `${kind}${delay}${typeof x.origin === "string" ? ` from ${x.origin}` : ""}`;
}

/**
 * The first swap of a failed schedule, in words ("at t=100 ms, setTimeout(0 ms) from a.ts:5 ran
 * ahead of setTimeout(10 ms) from b.ts:9"), with how many more there were; "" when none is known.
 */
function firstSwap(schedule: unknown): string {
  const sc = schedule as { swaps?: unknown; total?: unknown } | undefined;
  const swaps = Array.isArray(sc?.swaps) ? sc.swaps : [];
  const s = swaps[0] as { at?: unknown; ran?: unknown; aheadOf?: unknown } | undefined;
  if (!s || typeof s.at !== "number") return "";
  const total = typeof sc?.total === "number" ? sc.total : swaps.length;
  const more = total > 1 ? ` (${total - 1} more swap${total === 2 ? "" : "s"} after it)` : "";
  return `; first swap: at t=${s.at} ms, ${eventText(s.ran)} ran ahead of ${
    eventText(s.aheadOf)
  }${more}`;
}

/** What a test that passed in creation order and failed under a seed reports. */
export function seedVerdict(v: Verdict, seed: number): Verdict {
  return {
    ...v,
    status: "fail",
    message:
      `fails when events due at the same virtual instant run in another order (seed ${seed}; ` +
      `creation order passes; replay with --seed ${seed}${firstSwap(v.schedule)}): ${v.message}`,
  };
}

/**
 * Runs the re-run passes and folds them into the main outcomes.
 *
 * @param units The units.
 * @param outcomes Their main outcomes (changed in place).
 * @param o The main seed, how many more schedules, whether deadlocks re-run tracked, and how to
 *   run a pass.
 */
export async function rerunPasses(
  units: Unit[],
  outcomes: Map<string, UnitOutcome>,
  o: { seed: number; schedules: number; track: boolean; run: RunPass },
): Promise<void> {
  const replace = (u: Unit, f: string, name: string, v: Verdict) =>
    outcomes.get(u.key)!.verdicts.get(f)!.set(name, v);
  if (o.track) {
    const deadlocks = targets(units, outcomes, untrackedDeadlock);
    await rerun(units, deadlocks, { seed: o.seed, track: true }, o.run, (u, f, name, v) => {
      // Only a run that deadlocked again, now diagnosed, replaces the first verdict.
      const d = v.diagnosis as { tracked?: unknown } | undefined;
      if (v.status === "fail" && d?.tracked === true) replace(u, f, name, v);
    });
  }
  for (let k = 1; k <= o.schedules; k++) {
    const seed = o.seed + k;
    const passing = targets(units, outcomes, (v) => v.status === "pass");
    await rerun(units, passing, { seed }, o.run, (u, f, name, v) => {
      if (v.status === "fail") replace(u, f, name, seedVerdict(v, seed));
    });
  }
}
