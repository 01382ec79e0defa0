/**
 * The harness's registry of tests: `describe`/`it` calls made through a test file's own
 * `node:test` module while the modules load, under their full names ("group > sub > name"). A
 * name registered twice in one file, a test for a file outside the plan, or a test registered
 * once loading has ended is an anomaly: code under test registered tests of its own, and the
 * grader fails the whole exercise for it.
 *
 * Code under test can import this module, so the class and its prototype are frozen, and the
 * registry keeps its data in null-prototype records and arrays it appends to with
 * `defineProperty`: a patched Array, Map or Object prototype (an index setter, `join`, `get`)
 * sees none of it.
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
  names: Record<string, true>;
}

/**
 * Appends to an array without [[Set]] (which would call an index setter on Array.prototype).
 *
 * @param list The array.
 * @param value What to add.
 */
export function append<T>(list: T[], value: T): void {
  I.defineProperty(list, list.length, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * A record without a prototype, from an object literal.
 *
 * @param fields The fields.
 * @returns The same object, its prototype removed.
 */
export function rec<T extends object>(fields: T): T {
  I.setPrototypeOf(fields, null);
  return fields;
}

/** The registry. */
export class Registry implements Sink {
  #files: Record<string, FileState> = I.create(null);
  #open = true;
  #anomalies: { file: string | null; what: string }[] = [];

  /**
   * Creates the registry.
   *
   * @param files The test files of the plan: the only ones that may register tests.
   */
  constructor(files: string[]) {
    for (let i = 0; i < files.length; i++) {
      this.#files[files[i]!] = rec({ groups: [], tests: [], names: I.create(null) });
    }
  }

  /** Ends registration (the modules have loaded): later calls are anomalies. */
  close(): void {
    this.#open = false;
  }

  /** A file's tests in registration order. */
  testsOf(file: string): Registered[] {
    return file in this.#files ? this.#files[file]!.tests : [];
  }

  /** Anomalies seen so far, with the test file each concerns (and forgets them). */
  anomalies(): { file: string | null; what: string }[] {
    const out = this.#anomalies;
    this.#anomalies = [];
    return out;
  }

  #state(file: string, what: string): FileState | null {
    const known = typeof file === "string" && file in this.#files;
    if (!this.#open || !known) {
      append(
        this.#anomalies,
        rec({
          file: known ? file : null,
          what: `${what} ${
            known ? "was registered after the test files had loaded" : "belongs to no test file"
          }`,
        }),
      );
      return null;
    }
    return this.#files[file]!;
  }

  group(file: string, name: unknown, body: unknown, skipped: boolean): void {
    const label = safeText(name);
    const state = this.#state(file, `describe("${label}")`);
    if (!state) return;
    if (typeof body !== "function") throw new TypeError(`describe("${label}") needs a function`);
    if (skipped) return;
    append(state.groups, label);
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
    let full = "";
    for (let i = 0; i < state.groups.length; i++) full += `${state.groups[i]!} > `;
    full += label;
    if (typeof fn !== "function") throw new TypeError(`it("${full}") needs a function`);
    if (full in state.names) {
      append(this.#anomalies, rec({ file, what: `${file}: test "${full}" registered twice` }));
      return;
    }
    state.names[full] = true;
    if (!skipped) append(state.tests, rec({ name: full, fn: fn as () => unknown }));
  }
}

I.freeze(Registry.prototype);
I.freeze(Registry);
