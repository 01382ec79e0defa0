// deno-lint-ignore-file no-explicit-any
/**
 * Every builtin the clock and the kit call while a test runs, captured when lib loads: before
 * any code under test (test files import lib first). From then on lib never looks a builtin up on
 * a global or a prototype again: a stub that replaces `globalThis.Promise`, `Array.prototype.push`,
 * `Math.max`, `setTimeout` or `Reflect.apply` changes what its own code sees, never what the clock
 * or the kit do. Methods are "uncurried" (`$push(array, x)` instead of `array.push(x)`), as
 * Node's primordials do, so calling them reads no property at all. lib code also avoids `for of`
 * and spread over arrays (they read `Array.prototype[Symbol.iterator]`): it loops by index.
 *
 * This module imports nothing, so it is evaluated first (lib/mod.ts imports it first).
 *
 * @module
 */

const FP = Function.prototype;
const uncurry = (fn: any): any => FP.bind.call(FP.call, fn);
const getter = (proto: object, key: PropertyKey): any =>
  uncurry(Reflect.getOwnPropertyDescriptor(proto, key)!.get);

/** Reflect.apply. */
export const $apply: typeof Reflect.apply = Reflect.apply;
/** Reflect.construct. */
export const $construct: typeof Reflect.construct = Reflect.construct;
/** Reflect.defineProperty. */
export const $defineProperty: typeof Reflect.defineProperty = Reflect.defineProperty;
/** Reflect.getOwnPropertyDescriptor. */
export const $getOwnPropertyDescriptor: typeof Reflect.getOwnPropertyDescriptor =
  Reflect.getOwnPropertyDescriptor;
/** Reflect.getPrototypeOf. */
export const $getPrototypeOf: typeof Reflect.getPrototypeOf = Reflect.getPrototypeOf;
/** Reflect.get. */
export const $get: typeof Reflect.get = Reflect.get;
/** Object.freeze. */
export const $freeze: typeof Object.freeze = Object.freeze;
/** Object.keys. */
export const $keys: typeof Object.keys = Object.keys;
/** Object.create. */
export const $create: typeof Object.create = Object.create;
/** Function.prototype.bind, uncurried: `$bind(fn, thisArg)`. */
export const $bind: (fn: any, self: unknown) => any = uncurry(FP.bind);

/** The intrinsic Promise (the global binding may be replaced later; this never is). */
export const $Promise: PromiseConstructor = Promise;
const PP = Promise.prototype;
/** Promise.prototype.then, uncurried. */
export const $then: <T, R1 = T, R2 = never>(
  p: Promise<T>,
  onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
  onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
) => Promise<R1 | R2> = uncurry(PP.then);
/** Promise.resolve of the intrinsic Promise. */
export const $resolve: <T = void>(value?: T | PromiseLike<T>) => Promise<Awaited<T>> = $bind(
  Promise.resolve,
  Promise,
);
/** Promise.reject of the intrinsic Promise. */
export const $reject: <T = never>(reason?: unknown) => Promise<T> = $bind(Promise.reject, Promise);
/** Promise.race of the intrinsic Promise. */
export const $race: <T>(values: readonly T[]) => Promise<Awaited<T>> = $bind(Promise.race, Promise);

const AP = Array.prototype;
/** Array.prototype.push, uncurried. */
export const $push: <T>(a: T[], ...items: T[]) => number = uncurry(AP.push);
/** Array.prototype.pop, uncurried. */
export const $pop: <T>(a: T[]) => T | undefined = uncurry(AP.pop);
/** Array.prototype.splice, uncurried. */
export const $splice: <T>(a: T[], start: number, count?: number) => T[] = uncurry(AP.splice);
/** Array.prototype.slice, uncurried. */
export const $slice: <T>(a: readonly T[], start?: number, end?: number) => T[] = uncurry(AP.slice);
/** Array.prototype.map, uncurried. */
export const $map: <T, U>(a: readonly T[], f: (x: T, i: number) => U) => U[] = uncurry(AP.map);
/** Array.prototype.filter, uncurried. */
export const $filter: <T>(a: readonly T[], f: (x: T, i: number) => unknown) => T[] = uncurry(
  AP.filter,
);
/** Array.prototype.find, uncurried. */
export const $find: <T>(a: readonly T[], f: (x: T) => unknown) => T | undefined = uncurry(AP.find);
/** Array.prototype.join, uncurried. */
export const $join: (a: readonly unknown[], sep?: string) => string = uncurry(AP.join);
/** Array.prototype.sort, uncurried. */
export const $sort: <T>(a: T[], f?: (x: T, y: T) => number) => T[] = uncurry(AP.sort);
/** Array.prototype.indexOf, uncurried. */
export const $indexOf: <T>(a: readonly T[], x: T) => number = uncurry(AP.indexOf);
/** Array.prototype.concat, uncurried. */
export const $concat: <T>(a: readonly T[], ...more: (T | readonly T[])[]) => T[] = uncurry(
  AP.concat,
);

const SP = String.prototype;
/** String(). */
export const $String: (value: unknown) => string = String;
/** String.prototype.slice, uncurried. */
export const $strSlice: (s: string, start?: number, end?: number) => string = uncurry(SP.slice);
/** String.prototype.split, uncurried. */
export const $split: (s: string, sep: string) => string[] = uncurry(SP.split);
/** String.prototype.startsWith, uncurried. */
export const $startsWith: (s: string, prefix: string) => boolean = uncurry(SP.startsWith);
/** String.prototype.includes, uncurried. */
export const $includes: (s: string, sub: string) => boolean = uncurry(SP.includes);
/** String.prototype.replace, uncurried. */
export const $replace: (s: string, re: RegExp | string, by: string) => string = uncurry(
  SP.replace,
);
/** String.prototype.padEnd, uncurried. */
export const $padEnd: (s: string, n: number) => string = uncurry(SP.padEnd);
/** String.prototype.trimEnd, uncurried. */
export const $trimEnd: (s: string) => string = uncurry(SP.trimEnd);
/** RegExp.prototype.exec, uncurried. */
export const $exec: (re: RegExp, s: string) => RegExpExecArray | null = uncurry(
  RegExp.prototype.exec,
);
/** decodeURIComponent. */
export const $decodeURIComponent: typeof decodeURIComponent = decodeURIComponent;

/** Number(). */
export const $Number: (value: unknown) => number = Number;
/** Number.isFinite. */
export const $isFinite: (value: unknown) => boolean = Number.isFinite;
/** parseInt. */
export const $parseInt: typeof parseInt = parseInt;
/** Math.max / min / floor / round / imul. */
export const $max: typeof Math.max = Math.max;
/** Math.min. */
export const $min: typeof Math.min = Math.min;
/** Math.floor. */
export const $floor: typeof Math.floor = Math.floor;
/** Math.imul. */
export const $imul: typeof Math.imul = Math.imul;
/** The Math object itself (lib sets and restores `Math.random` on it). */
export const $Math: Math = Math;
/** JSON.stringify. */
export const $stringify: typeof JSON.stringify = JSON.stringify;

/** Map, Set and WeakSet, and their methods uncurried. */
export const $Map: MapConstructor = Map;
/** Set. */
export const $Set: SetConstructor = Set;
/** WeakSet. */
export const $WeakSet: WeakSetConstructor = WeakSet;
const MP = Map.prototype;
/** Map.prototype.get. */
export const $mapGet: <K, V>(m: Map<K, V>, k: K) => V | undefined = uncurry(MP.get);
/** Map.prototype.set. */
export const $mapSet: <K, V>(m: Map<K, V>, k: K, v: V) => Map<K, V> = uncurry(MP.set);
/** Map.prototype.has. */
export const $mapHas: <K>(m: Map<K, unknown>, k: K) => boolean = uncurry(MP.has);
/** Map.prototype.delete. */
export const $mapDelete: <K>(m: Map<K, unknown>, k: K) => boolean = uncurry(MP.delete);
/** Map.prototype.forEach. */
export const $mapForEach: <K, V>(m: Map<K, V>, f: (v: V, k: K) => void) => void = uncurry(
  MP.forEach,
);
/** Map.prototype.clear. */
export const $mapClear: (m: Map<unknown, unknown>) => void = uncurry(MP.clear);
/** The Map.prototype.size getter. */
export const $mapSize: (m: Map<unknown, unknown>) => number = getter(MP, "size");
const SetP = Set.prototype;
/** Set.prototype.add. */
export const $setAdd: <T>(s: Set<T>, x: T) => Set<T> = uncurry(SetP.add);
/** Set.prototype.delete. */
export const $setDelete: <T>(s: Set<T>, x: T) => boolean = uncurry(SetP.delete);
/** Set.prototype.forEach. */
export const $setForEach: <T>(s: Set<T>, f: (x: T) => void) => void = uncurry(SetP.forEach);
/** The Set.prototype.size getter. */
export const $setSize: (s: Set<unknown>) => number = getter(SetP, "size");
/** WeakSet.prototype.add. */
export const $weakAdd: (s: WeakSet<object>, x: object) => WeakSet<object> = uncurry(
  WeakSet.prototype.add,
);
/** WeakSet.prototype.has. */
export const $weakHas: (s: WeakSet<object>, x: object) => boolean = uncurry(WeakSet.prototype.has);

/** Error and the error classes lib throws. */
export const $Error: ErrorConstructor = Error;
/** TypeError. */
export const $TypeError: TypeErrorConstructor = TypeError;
/** RangeError. */
export const $RangeError: RangeErrorConstructor = RangeError;
/** DOMException. */
export const $DOMException: typeof DOMException = DOMException;
/** AbortController and its abort(), uncurried. */
export const $AbortController: typeof AbortController = AbortController;
/** AbortController.prototype.abort. */
export const $abort: (c: AbortController, reason?: unknown) => void = uncurry(
  AbortController.prototype.abort,
);
/** The controller's signal getter. */
export const $signalOf: (c: AbortController) => AbortSignal = getter(
  AbortController.prototype,
  "signal",
);
/** Symbol.for, and the well-known Symbol.toPrimitive. */
export const $symbolFor: typeof Symbol.for = Symbol.for;
/** Symbol.toPrimitive. */
export const $toPrimitive: typeof Symbol.toPrimitive = Symbol.toPrimitive;
/** console.log, bound to the console of the moment lib loaded. */
export const $log: (...args: unknown[]) => void = $bind(console.log, console);
/** Date.UTC. */
export const $UTC: typeof Date.UTC = Date.UTC;
/** Array.from. */
export const $arrayFrom: typeof Array.from = Array.from;
/** Array.isArray. */
export const $isArray: typeof Array.isArray = Array.isArray;
/** JSON.parse. */
export const $parse: typeof JSON.parse = JSON.parse;
/** Array.prototype.every, uncurried. */
export const $every: <T>(a: readonly T[], f: (x: T, i: number) => unknown) => boolean = uncurry(
  Array.prototype.every,
);
