/**
 * Everything the harness uses after code under test has loaded, captured before it loads: bound
 * functions and constants cannot be changed by a later patch of a prototype or a global. The
 * harness's entry imports this module first.
 *
 * @module
 */

import { readSync, writeSync } from "node:fs";

const g = globalThis as unknown as Record<string, unknown>;
const enc = new TextEncoder();
const wait = Atomics.wait;
const cell = new Int32Array(new SharedArrayBuffer(4));

/** Captured functions and constants (frozen: a module that imports this cannot swap them). */
export const I = Object.freeze({
  /** Writes bytes to a file descriptor (1: stdout); returns how many were written. */
  write: writeSync as (fd: number, data: Uint8Array, offset: number, length: number) => number,
  /** Reads from a file descriptor (0: stdin) into a buffer; returns how many bytes came. */
  read: readSync as (
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: null,
  ) => number,
  /** TextDecoder.decode (streaming). */
  decode: TextDecoder.prototype.decode.bind(new TextDecoder()) as (
    b: Uint8Array,
    o?: { stream: boolean },
  ) => string,
  /** String.prototype.indexOf / slice / charCodeAt, called through Reflect.apply. */
  indexOf: String.prototype.indexOf,
  slice: String.prototype.slice,
  charCodeAt: String.prototype.charCodeAt,
  /** Uint8Array.prototype.subarray, called through Reflect.apply. */
  subarray: Uint8Array.prototype.subarray,
  /** Atomics.wait on a fresh buffer: a synchronous pause while stdin has nothing yet. */
  pause: (ms: number): void => {
    Reflect.apply(wait, Atomics, [cell, 0, 0, ms]);
  },
  /** JSON.stringify. */
  stringify: JSON.stringify as (value: unknown) => string,
  /** JSON.parse. */
  parse: JSON.parse as (text: string) => unknown,
  /** TextEncoder.encode. */
  encode: TextEncoder.prototype.encode.bind(enc) as (s: string) => Uint8Array<ArrayBuffer>,
  /** crypto.subtle.importKey. */
  importKey: crypto.subtle.importKey.bind(crypto.subtle),
  /** crypto.subtle.sign. */
  sign: crypto.subtle.sign.bind(crypto.subtle),
  /** Real setTimeout and clearTimeout (the virtual clock replaces the globals). */
  setTimeout: (globalThis.setTimeout as (cb: () => void, ms: number) => unknown).bind(globalThis),
  clearTimeout: (globalThis.clearTimeout as (id: unknown) => void).bind(globalThis),
  /** Real setInterval (the harness keeps the process alive with it while tests await). */
  setInterval: (globalThis.setInterval as (cb: () => void, ms: number) => unknown).bind(globalThis),
  /** Real performance.now. */
  now: performance.now.bind(performance),
  /** String(). */
  String: String,
  /** Promise (the intrinsic one). */
  Promise: Promise,
  /** Object.getOwnPropertyNames / getOwnPropertyDescriptor / getOwnPropertySymbols. */
  names: Object.getOwnPropertyNames,
  symbols: Object.getOwnPropertySymbols,
  descriptor: Object.getOwnPropertyDescriptor,
  /** Array.prototype.push, called through Reflect.apply. */
  apply: Reflect.apply,
  push: Array.prototype.push,
  /** process.exit. */
  exit: process.exit.bind(process) as (code: number) => never,
  /** Symbol.for, Object.freeze / create / hasOwn / defineProperty / setPrototypeOf, Array.isArray. */
  symbolFor: Symbol.for,
  freeze: Object.freeze,
  create: Object.create,
  hasOwn: Object.hasOwn,
  defineProperty: Object.defineProperty,
  setPrototypeOf: Object.setPrototypeOf,
  isArray: Array.isArray,
  /** Object.is. */
  is: Object.is,
  /** Map and its methods, called through Reflect.apply. */
  Map: Map,
  mapGet: Map.prototype.get,
  mapSet: Map.prototype.set,
  mapHas: Map.prototype.has,
  mapForEach: Map.prototype.forEach,
  /** Math.round. */
  round: Math.round,
  /** The runtime: "deno" or "bun" (or "node"). */
  runtime: typeof g.Deno !== "undefined" ? "deno" : typeof g.Bun !== "undefined" ? "bun" : "node",
});

/**
 * Reads a property of a value the code under test made, never throwing (a hostile getter reads as
 * undefined).
 *
 * @param value Any value.
 * @param key Property.
 * @returns The property, or undefined.
 */
export function safeGet(value: unknown, key: string): unknown {
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

/**
 * Turns any value into text, never throwing.
 *
 * @param value Any value.
 * @returns Its text ("[a value that throws when turned into text]" when it does).
 */
export function safeText(value: unknown): string {
  try {
    return I.String(value);
  } catch {
    // A toString of the code under test that throws.
    return "[a value that throws when turned into text]";
  }
}
