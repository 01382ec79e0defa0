/**
 * The `node:test` API as the exercise tests use it (`describe`, `it`, `test`, with `.skip`,
 * `.todo` and `.only`), provided by the grader's harness: the grader rewrites a test file's
 * `import ... from "node:test"` to this module in its workspace copy. Calls go to the harness's
 * registry, connected once before any test file loads; the registry itself is not reachable from
 * here, so code under test can register tests (which the harness then sees as duplicates) but can
 * never change or remove the real ones.
 *
 * @module
 */

/** A test function, with or without the options object `it(name, options, fn)` allows. */
export type TestFn = () => unknown;

/** What the registry receives. */
export interface Sink {
  /** A `describe` group: its name, its body, and whether it is skipped. */
  group(name: unknown, body: unknown, skipped: boolean): void;
  /** An `it`/`test`: its name, its function, its options, and whether it is skipped. */
  test(name: unknown, fn: unknown, options: unknown, skipped: boolean): void;
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

function splitArgs(a: unknown, b: unknown): [unknown, unknown] {
  return typeof a === "function" ? [{}, a] : [a, b];
}

function makeGroup(skipped: boolean) {
  return (name: unknown, a?: unknown, b?: unknown): void =>
    need().group(name, splitArgs(a, b)[1], skipped);
}

function makeTest(skipped: boolean) {
  return (name: unknown, a?: unknown, b?: unknown): void => {
    const [options, fn] = splitArgs(a, b);
    need().test(name, fn, options, skipped);
  };
}

/** `describe(name, fn)`. */
export const describe = Object.assign(makeGroup(false), {
  skip: makeGroup(true),
  todo: makeGroup(true),
  only: makeGroup(false),
});
/** `it(name, [options], fn)`. */
export const it = Object.assign(makeTest(false), {
  skip: makeTest(true),
  todo: makeTest(true),
  only: makeTest(false),
});
/** `test(name, [options], fn)`: the same as `it`. */
export const test = it;
/** `suite(name, fn)`: the same as `describe`. */
export const suite = describe;

function unsupported(what: string) {
  return (): never => {
    throw new Error(
      `${what}() is not supported by the grader's harness: write the setup inside each test`,
    );
  };
}

/** Not supported (the exercise tests do not use hooks). */
export const before = unsupported("before");
/** Not supported. */
export const after = unsupported("after");
/** Not supported. */
export const beforeEach = unsupported("beforeEach");
/** Not supported. */
export const afterEach = unsupported("afterEach");
