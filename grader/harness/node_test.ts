/**
 * The `node:test` API as the exercise tests use it (`describe`, `it`, `test`, with `.skip`,
 * `.todo` and `.only`), provided by the grader's harness: the grader rewrites a test file's
 * `import ... from "node:test"` to that file's own module (see `fileModule`) in its workspace
 * copy. Calls go to the harness's
 * registry, connected once before any test file loads; the registry itself is not reachable from
 * here, so code under test can register tests (which the harness then sees as duplicates) but can
 * never change or remove the real ones.
 *
 * @module
 */

import { I } from "./intrinsics.ts";

/** A test function, with or without the options object `it(name, options, fn)` allows. */
export type TestFn = () => unknown;

/** What the registry receives, for the test file a call came from. */
export interface Sink {
  /** A `describe` group: its name, its body, and whether it is skipped. */
  group(file: string, name: unknown, body: unknown, skipped: boolean): void;
  /** An `it`/`test`: its name, its function, its options, and whether it is skipped. */
  test(file: string, name: unknown, fn: unknown, options: unknown, skipped: boolean): void;
}

let sink: Sink | undefined;

/**
 * Connects the registry (the harness does it once, before any test file loads).
 *
 * @param s The registry.
 * @throws {Error} When a registry is already connected.
 */
export function connect(s: Sink): void {
  if (sink) throw new Error("the grader's test registry is already connected");
  sink = s;
}

function need(): Sink {
  if (!sink) throw new Error("describe/it were called outside the grader's harness");
  return sink;
}

function unsupported(what: string) {
  return (): never => {
    throw new Error(
      `${what}() is not supported by the grader's harness: write the setup inside each test`,
    );
  };
}

/** A registering function: `(name, [options], fn)`. */
type Register = (name: unknown, a?: unknown, b?: unknown) => void;

/** The `node:test` functions the exercise tests use. */
export interface TestApi {
  /** `describe(name, fn)`, with `.skip`, `.todo`, `.only`. */
  describe: Register & { skip: Register; todo: Register; only: Register };
  /** `suite`: the same as `describe`. */
  suite: TestApi["describe"];
  /** `it(name, [options], fn)`, with `.skip`, `.todo`, `.only`. */
  it: Register & { skip: Register; todo: Register; only: Register };
  /** `test`: the same as `it`. */
  test: TestApi["it"];
  /** Hooks: not supported (the exercise tests do not use them). */
  before: () => never;
  /** Not supported. */
  after: () => never;
  /** Not supported. */
  beforeEach: () => never;
  /** Not supported. */
  afterEach: () => never;
}

/**
 * The `node:test` API of one test file: every test registered through it belongs to that file,
 * whatever order the modules evaluate in (a top-level await in a stub delays its importer). The
 * grader writes one module per test file that re-exports `forFile(<that file>)`, and points the
 * file's `node:test` imports at it.
 *
 * @param file Workspace-relative test file.
 * @returns Its API.
 */
export function forFile(file: string): TestApi {
  // No Object.assign, no destructuring: these run while test files load, after code under test
  // may have replaced them (a patched assign could wrap the registering function).
  const group = (skipped: boolean) => (name: unknown, a?: unknown, b?: unknown): void =>
    need().group(file, name, typeof a === "function" ? a : b, skipped);
  const single = (skipped: boolean) => (name: unknown, a?: unknown, b?: unknown): void =>
    typeof a === "function"
      ? need().test(file, name, a, undefined, skipped)
      : need().test(file, name, b, a, skipped);
  const withVariants = (
    base: Register,
    make: (skipped: boolean) => Register,
  ): Register & { skip: Register; todo: Register; only: Register } => {
    const d = (value: Register) => ({
      value,
      enumerable: true,
      writable: false,
      configurable: false,
    });
    I.defineProperty(base, "skip", d(make(true)));
    I.defineProperty(base, "todo", d(make(true)));
    I.defineProperty(base, "only", d(make(false)));
    return base as Register & { skip: Register; todo: Register; only: Register };
  };
  const describe = withVariants(group(false), group);
  const it = withVariants(single(false), single);
  return {
    describe,
    suite: describe,
    it,
    test: it,
    before: unsupported("before"),
    after: unsupported("after"),
    beforeEach: unsupported("beforeEach"),
    afterEach: unsupported("afterEach"),
  };
}

/**
 * The text of the module that gives one test file its API (`.harness/t/<hex>.ts`).
 *
 * @param file Workspace-relative test file.
 * @returns Module source.
 */
export function fileModule(file: string): string {
  return [
    `import { forFile } from "../node_test.ts";`,
    `const api = forFile(${JSON.stringify(file)});`,
    ...["describe", "suite", "it", "test", "before", "after", "beforeEach", "afterEach"].map((n) =>
      `export const ${n} = api.${n};`
    ),
    "export default api.test;",
    "",
  ].join("\n");
}
