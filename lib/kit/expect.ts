/**
 * Assertions on errors that speak the learner's terms and never hide an unfinished stub: an
 * error whose message starts with "not implemented" is rethrown unchanged, so the grader can
 * tell "not started" from "wrong".
 *
 * @module
 */
import { inspect } from "node:util";
import { $join, $push, $strSlice } from "../clock/intrinsics.ts";

// Captured when lib loads, before any code under test: a stub that later replaces
// String.prototype.includes or RegExp.prototype.exec/test cannot make every message match.
const stringIncludes = Function.prototype.call.bind(String.prototype.includes) as (
  s: string,
  sub: string,
) => boolean;
const regexpExec = Function.prototype.call.bind(RegExp.prototype.exec) as (
  re: RegExp,
  s: string,
) => unknown;
const toText = String;
const ErrorClass = Error;

/** `value[key]`, read once; a getter that throws reads as undefined. */
function field(value: unknown, key: "name" | "message"): unknown {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) {
    return undefined;
  }
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    // A getter of the code under test that throws: the property reads as missing.
    return undefined;
  }
}

/** What the error must look like. Every given field must match. */
export interface ErrorShape {
  /** `error.name`, e.g. "TimeoutError", "AbortError", "RangeError". */
  name?: string;
  /** A substring of, or a pattern for, `error.message`. */
  message?: string | RegExp;
  /** A class the error must be an instance of. */
  // deno-lint-ignore no-explicit-any
  instanceOf?: abstract new (...args: any[]) => unknown;
  /** The very value that must be thrown (e.g. a custom abort reason). */
  is?: unknown;
}

/** A short, readable rendering of a value for messages: `undefined`, `42`, `"text"`, `{ a: 1 }`. */
function describe(value: unknown): string {
  try {
    if (value instanceof ErrorClass) return `${value.name}: ${value.message}`;
    const text = inspect(value, { depth: 2, breakLength: Infinity });
    return text.length > 200 ? `${$strSlice(text, 0, 200)}...` : text;
  } catch {
    // The value's own code throws while being shown (a hostile toString): say so instead.
    return "a value that throws when read";
  }
}

function expectedText(shape: ErrorShape): string {
  const parts: string[] = [];
  if ("is" in shape) $push(parts, `exactly ${describe(shape.is)}`);
  if (shape.instanceOf) $push(parts, `an instance of ${shape.instanceOf.name}`);
  if (shape.name) $push(parts, `an error named ${shape.name}`);
  if (shape.message) $push(parts, `a message matching ${toText(shape.message)}`);
  return $join(parts, " with ") || "an error";
}

/**
 * Whether an error is an unfinished stub's "not implemented".
 *
 * @param error Anything thrown.
 * @returns True for errors whose message starts with "not implemented".
 *
 * @example
 * ```ts
 * import { isNotImplemented } from "./expect.ts";
 * isNotImplemented(new Error("not implemented: crawl() (task 1)")); // true
 * ```
 */
export function isNotImplemented(error: unknown): boolean {
  return error instanceof ErrorClass && notImplementedText(field(error, "message"));
}

const NOT_IMPLEMENTED = /^not implemented/i;

function notImplementedText(message: unknown): boolean {
  return typeof message === "string" && regexpExec(NOT_IMPLEMENTED, message) !== null;
}

/** A message (read once) as text; anything but a string or an object with a text rendering is "". */
function asText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    const text = toText(value);
    return typeof text === "string" ? text : "";
  } catch {
    // The value's toString throws: it matches no expected message.
    return "";
  }
}

function matches(message: string, pattern: string | RegExp): boolean {
  return typeof pattern === "string"
    ? stringIncludes(message, pattern)
    : regexpExec(pattern, message) !== null;
}

function check(error: unknown, shape: ErrorShape, what: string): void {
  // Each property is read once, so a getter cannot answer one way here and another way in the
  // message, or change between reads.
  const rawMessage = field(error, "message");
  if (error instanceof ErrorClass && notImplementedText(rawMessage)) throw error;
  const name = shape.name ? field(error, "name") : undefined;
  const message = shape.message ? asText(rawMessage) : "";
  const ok = ("is" in shape ? error === shape.is : true) &&
    (!shape.instanceOf || error instanceof shape.instanceOf) &&
    (!shape.name || (typeof name === "string" && name === shape.name)) &&
    (!shape.message || matches(message, shape.message));
  if (!ok) {
    throw assertionError(
      `${what} should fail with ${expectedText(shape)}; it failed with ${describe(error)}`,
    );
  }
}

function assertionError(message: string): Error {
  const error = new ErrorClass(message);
  error.name = "AssertionError";
  return error;
}

/**
 * Awaits `work` and checks that it rejects with the given shape.
 *
 * @param work A promise, or a function returning one (sync throws count as rejections).
 * @param shape What the error must look like.
 * @param what The operation, in the learner's terms ("waitFor(fn, 100)").
 * @returns The error, for further checks.
 *
 * @example
 * ```ts
 * import { rejectsWith } from "./expect.ts";
 * await rejectsWith(Promise.reject(new RangeError("bad")), { name: "RangeError" }, "parse()");
 * ```
 */
export async function rejectsWith(
  work: Promise<unknown> | (() => Promise<unknown> | unknown),
  shape: ErrorShape,
  what: string,
): Promise<unknown> {
  let value: unknown;
  try {
    value = await (typeof work === "function" ? work() : work);
  } catch (error) {
    check(error, shape, what);
    return error;
  }
  throw assertionError(
    `${what} should fail with ${expectedText(shape)}; it resolved with ${describe(value)}`,
  );
}

/**
 * Calls `fn` and checks that it throws synchronously with the given shape.
 *
 * @param fn The call.
 * @param shape What the error must look like.
 * @param what The operation, in the learner's terms ("new Semaphore(0)").
 * @returns The error.
 *
 * @example
 * ```ts
 * import { throwsWith } from "./expect.ts";
 * throwsWith(() => { throw new RangeError("x"); }, { name: "RangeError" }, "f()");
 * ```
 */
export function throwsWith(fn: () => unknown, shape: ErrorShape, what: string): unknown {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    check(error, shape, what);
    return error;
  }
  throw assertionError(
    `${what} should throw ${expectedText(shape)}; it returned ${describe(value)}`,
  );
}
