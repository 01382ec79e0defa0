// GIVEN: small helpers for batch.ts; you do not edit it
/**
 * Helpers the exercise gives: the item type, opening an iterator over a sync or async iterable,
 * and the check of a positive integer option.
 *
 * @example
 * ```ts
 * import { checkPositiveInteger, open } from "./given_helpers.ts";
 * checkPositiveInteger(3, "size"); // fine; 0, 1.5 or NaN throw a RangeError
 * const iterator = open([1, 2, 3]);
 * await iterator.next(); // { value: 1, done: false }
 * ```
 *
 * @module
 */

/** What the functions read from: an array, any iterable, or an async iterable. */
export type Items<T> = Iterable<T> | AsyncIterable<T>;

/**
 * Opens an iterator over a sync or async iterable: call `await iterator.next()` to pull one item,
 * and `await iterator.return?.()` to close the source early (its `finally` blocks run).
 *
 * @typeParam T The item type.
 * @param items The items.
 * @returns The iterator.
 *
 * @example
 * ```ts
 * import { open } from "./given_helpers.ts";
 * const iterator = open(["a"]);
 * await iterator.next(); // { value: "a", done: false }
 * await iterator.next(); // { value: undefined, done: true }
 * ```
 */
export function open<T>(items: Items<T>): AsyncIterator<T> | Iterator<T> {
  // Object(items): a string is an iterable too, but `in` works only on objects.
  return Symbol.asyncIterator in Object(items)
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]();
}

/**
 * Throws a RangeError unless `value` is a positive integer (1, 2, 3, ...; not 0, 1.5, NaN or
 * Infinity).
 *
 * @param value The option's value.
 * @param what The option's name, for the message.
 * @throws RangeError naming the option and the value received.
 *
 * @example
 * ```ts
 * import { checkPositiveInteger } from "./given_helpers.ts";
 * checkPositiveInteger(0, "pooledMap(): concurrency"); // RangeError
 * ```
 */
export function checkPositiveInteger(value: number, what: string): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${what} must be a positive integer; received ${value}`);
  }
}
