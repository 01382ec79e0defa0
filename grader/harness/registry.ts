/**
 * The harness's registry of tests: `describe`/`it` calls made through a test file's own
 * `node:test` module while the modules load, under their full names ("group > sub > name"). A
 * name registered twice in one file, a test for a file outside the plan, or a test registered
 * once loading has ended is an anomaly: code under test registered tests of its own, and the
 * grader fails the whole exercise for it.
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

/** One test file's collection. */
interface FileState {
  groups: string[];
  tests: Registered[];
  names: Set<string>;
}

/** The registry. */
export class Registry implements Sink {
  #files = new Map<string, FileState>();
  #open = true;
  #anomalies: { file: string | null; what: string }[] = [];

  /**
   * Creates the registry.
   *
   * @param files The test files of the plan: the only ones that may register tests.
   */
  constructor(files: string[]) {
    for (const f of files) this.#files.set(f, { groups: [], tests: [], names: new Set() });
  }

  /** Ends registration (the modules have loaded): later calls are anomalies. */
  close(): void {
    this.#open = false;
  }

  /** A file's tests in registration order. */
  testsOf(file: string): Registered[] {
    return this.#files.get(file)?.tests ?? [];
  }

  /** Anomalies seen so far, with the test file each concerns (and forgets them). */
  anomalies(): { file: string | null; what: string }[] {
    const out = this.#anomalies;
    this.#anomalies = [];
    return out;
  }

  #state(file: string, what: string): FileState | null {
    const state = this.#files.get(file);
    if (!this.#open || !state) {
      I.apply(I.push, this.#anomalies, [{
        file: state ? file : null,
        what: `${what} ${
          state ? "was registered after the test files had loaded" : "belongs to no test file"
        }`,
      }]);
      return null;
    }
    return state;
  }

  group(file: string, name: unknown, body: unknown, skipped: boolean): void {
    const label = safeText(name);
    const state = this.#state(file, `describe("${label}")`);
    if (!state) return;
    if (typeof body !== "function") throw new TypeError(`describe("${label}") needs a function`);
    if (skipped) return;
    I.apply(I.push, state.groups, [label]);
    try {
      body();
    } finally {
      state.groups.length -= 1;
    }
  }

  test(file: string, name: unknown, fn: unknown, _options: unknown, skipped: boolean): void {
    const label = safeText(name);
    const state = this.#state(file, `a test "${label}"`);
    if (!state) return;
    const full = state.groups.length ? `${state.groups.join(" > ")} > ${label}` : label;
    if (typeof fn !== "function") throw new TypeError(`it("${full}") needs a function`);
    if (state.names.has(full)) {
      I.apply(I.push, this.#anomalies, [{
        file,
        what: `${file}: test "${full}" registered twice`,
      }]);
      return;
    }
    state.names.add(full);
    if (!skipped) I.apply(I.push, state.tests, [{ name: full, fn: fn as () => unknown }]);
  }
}
