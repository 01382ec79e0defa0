/**
 * The harness's registry of tests: `describe`/`it` calls made while a test file loads, under
 * their full names ("group > sub > name"). A name registered twice in one file, or a test
 * registered when no test file is loading, is an anomaly: code under test registered tests of
 * its own, and the grader fails the whole exercise for it.
 *
 * @module
 */

import { I, safeText } from "./intrinsics.ts";
import type { Sink } from "./node_test.ts";

/** A registered test. */
export interface Registered {
  /** Full name, groups joined with " > ". */
  name: string;
  /** Its function. */
  fn: () => unknown;
}

/** The registry. */
export class Registry implements Sink {
  #file: string | null = null;
  #groups: string[] = [];
  #tests: Registered[] = [];
  #names = new Set<string>();
  #anomalies: { file: string | null; what: string }[] = [];

  /** Starts collecting the tests of a test file. */
  open(file: string): void {
    this.#file = file;
    this.#groups = [];
    this.#tests = [];
    this.#names = new Set();
  }

  /** Stops collecting; returns the file's tests in registration order. */
  close(): Registered[] {
    this.#file = null;
    return this.#tests;
  }

  /** Anomalies seen so far, with the test file loading when each happened (and forgets them). */
  anomalies(): { file: string | null; what: string }[] {
    const out = this.#anomalies;
    this.#anomalies = [];
    return out;
  }

  group(name: unknown, body: unknown, skipped: boolean): void {
    const label = safeText(name);
    if (this.#file === null) {
      I.apply(I.push, this.#anomalies, [
        `describe("${label}") called while no test file was loading`,
      ]);
      return;
    }
    if (typeof body !== "function") throw new TypeError(`describe("${label}") needs a function`);
    if (skipped) return;
    I.apply(I.push, this.#groups, [label]);
    try {
      body();
    } finally {
      this.#groups.length -= 1;
    }
  }

  test(name: unknown, fn: unknown, _options: unknown, skipped: boolean): void {
    const label = safeText(name);
    const full = this.#groups.length ? `${this.#groups.join(" > ")} > ${label}` : label;
    if (this.#file === null) {
      I.apply(I.push, this.#anomalies, [
        `a test "${full}" was registered while no test file was loading`,
      ]);
      return;
    }
    if (typeof fn !== "function") throw new TypeError(`it("${full}") needs a function`);
    if (this.#names.has(full)) {
      I.apply(I.push, this.#anomalies, [{
        file: this.#file,
        what: `${this.#file}: test "${full}" registered twice`,
      }]);
      return;
    }
    this.#names.add(full);
    if (!skipped) I.apply(I.push, this.#tests, [{ name: full, fn: fn as () => unknown }]);
  }
}
