/**
 * Shared test data for grader/stryker's tests: a survivor and an equivalent entry with defaults.
 *
 * @module
 */
import type { EquivalentEntry } from "./equivalent.ts";
import type { MutantRecord } from "./report.ts";

/**
 * A survivor of lock.ts line 10 with the given fields changed.
 *
 * @param over Fields to change.
 * @returns The mutant.
 */
export const mutant = (over: Partial<MutantRecord>): MutantRecord => ({
  file: "lock.ts",
  line: 10,
  column: 5,
  mutator: "ConditionalExpression",
  original: "a > b",
  replacement: "true",
  status: "Survived",
  ...over,
});

/**
 * An equivalent entry for {@link mutant}'s default with the given fields changed.
 *
 * @param over Fields to change.
 * @returns The entry.
 */
export const entry = (over: Partial<EquivalentEntry>): EquivalentEntry => ({
  file: "lock.ts",
  line: 10,
  mutator: "ConditionalExpression",
  replacement: "true",
  why: "only reached when a > b anyway",
  ...over,
});
