// Hostile code under test, loaded after lib: replaces the builtins lib might call (array, Set
// and Map methods, Math, Reflect, Function.prototype, Object, JSON, string and RegExp methods,
// array iteration) with versions that misbehave only when called from lib's own code (its
// stack shows a lib/clock or lib/kit file): the probe would under-count, the timeline compare
// would always match, the driver would lose timers. `hijacked` lists every such call: lib must
// make none.
// deno-lint-ignore-file no-explicit-any ban-types

/** Every call that came from lib: "Array.prototype.push", ... */
export const hijacked: string[] = [];
const LIB = /lib\/(clock|kit)\/(?!testdata\/)[a-z_]+\.ts/;
const SELF = /patch_builtins\.ts/;
const exec = RegExp.prototype.exec;
const split = String.prototype.split;
const realPush = Array.prototype.push;
const apply = Reflect.apply;
const define = Object.defineProperty;
const describe = Reflect.getOwnPropertyDescriptor;
let busy = false;

function fromLib(): boolean {
  if (busy) return false;
  busy = true;
  try {
    // The immediate caller: the first frame below this module's own.
    const lines = apply(split, new Error().stack ?? "", ["\n"]) as string[];
    for (let i = 1; i < lines.length; i++) {
      if (!/^\s*at /.test(lines[i]) || apply(exec, SELF, [lines[i]]) !== null) continue;
      return apply(exec, LIB, [lines[i]]) !== null;
    }
    return false;
  } finally {
    busy = false;
  }
}

function sabotage(owner: any, key: PropertyKey, name: string, lie: (...a: any[]) => unknown): void {
  const d = describe(owner, key);
  if (!d) return;
  if (d.get) {
    const get = d.get;
    define(owner, key, {
      ...d,
      get(this: unknown) {
        if (fromLib()) {
          apply(realPush, hijacked, [name]);
          return lie();
        }
        return apply(get, this, []);
      },
    });
    return;
  }
  const original = d.value as Function;
  if (typeof original !== "function" || !d.writable && !d.configurable) return;
  const evil = function (this: unknown, ...args: unknown[]) {
    if (fromLib()) {
      apply(realPush, hijacked, [name]);
      return apply(lie, undefined, args);
    }
    return apply(original, this, args);
  };
  define(owner, key, { ...d, value: evil });
}

const A = Array.prototype as any;
for (
  const k of [
    "push",
    "pop",
    "splice",
    "slice",
    "map",
    "filter",
    "find",
    "join",
    "indexOf",
    "concat",
    "forEach",
    "sort",
  ]
) {
  sabotage(A, k, `Array.prototype.${k}`, () => undefined);
}
sabotage(A, "every", "Array.prototype.every", () => true);
sabotage(A, "some", "Array.prototype.some", () => false);
sabotage(A, "includes", "Array.prototype.includes", () => false);
sabotage(A, Symbol.iterator, "Array.prototype[Symbol.iterator]", () => [][Symbol.iterator]());
for (const k of ["add", "delete", "has", "forEach"]) {
  sabotage(Set.prototype, k, `Set.prototype.${k}`, () => undefined);
}
sabotage(Set.prototype, "size", "Set.prototype.size", () => 0);
sabotage(
  Set.prototype,
  Symbol.iterator,
  "Set.prototype[Symbol.iterator]",
  () => [][Symbol.iterator](),
);
for (const k of ["get", "set", "has", "delete", "forEach"]) {
  sabotage(Map.prototype, k, `Map.prototype.${k}`, () => undefined);
}
sabotage(Map.prototype, "size", "Map.prototype.size", () => 0);
for (const k of ["max", "min", "floor", "imul"]) sabotage(Math, k, `Math.${k}`, () => 0);
for (const k of ["apply", "construct", "defineProperty", "getPrototypeOf", "get"]) {
  sabotage(Reflect, k, `Reflect.${k}`, () => undefined);
}
for (const k of ["call", "apply", "bind"]) {
  sabotage(Function.prototype, k, `Function.prototype.${k}`, () => undefined);
}
for (const k of ["freeze", "keys", "create", "defineProperty"]) {
  sabotage(Object, k, `Object.${k}`, (x) => x);
}
for (const k of ["stringify", "parse"]) sabotage(JSON, k, `JSON.${k}`, () => "{}");
for (const k of ["split", "replace", "slice", "startsWith", "includes", "padEnd", "trimEnd"]) {
  sabotage(String.prototype, k, `String.prototype.${k}`, () => "");
}
sabotage(RegExp.prototype, "exec", "RegExp.prototype.exec", () => null);
sabotage(RegExp.prototype, "test", "RegExp.prototype.test", () => false);
export const attack = "patch_builtins";
