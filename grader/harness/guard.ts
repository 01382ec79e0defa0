/**
 * A fingerprint of the shared globals (globalThis and the prototypes and namespaces code commonly
 * patches), to tell whether an exercise's code changed them. The harness takes one after the
 * test kit has loaded and compares after each exercise: an exercise that changed a global is
 * the last one that process runs, so it can never change another exercise's verdicts.
 *
 * @module
 */

import { I } from "./intrinsics.ts";
import { append } from "./registry.ts";

/** Names of constructors whose statics and prototype are compared. */
const CLASSES = [
  "Object",
  "Function",
  "Array",
  "Promise",
  "String",
  "Number",
  "Boolean",
  "Symbol",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "Error",
  "RegExp",
  "Date",
  "AbortController",
  "AbortSignal",
  "EventTarget",
  "Event",
  "Uint8Array",
  "ArrayBuffer",
  "TextEncoder",
  "TextDecoder",
  "URL",
  "Iterator",
  "AsyncIterator",
];
/** Names of namespaces compared. */
const NAMESPACES = [
  "Math",
  "JSON",
  "Reflect",
  "Atomics",
  "console",
  "process",
  "Deno",
  "Bun",
  "performance",
  "crypto",
];

const call = (f: unknown, self: unknown, args: unknown[]) =>
  I.apply(f as (...a: unknown[]) => unknown, self, args);

/**
 * The compared globals, read once when the harness loads (before any code under test): a global
 * behind a getter (Deno's `process`, `crypto`, `TextEncoder`, `TextDecoder`) is read through it
 * here, and the object it gave is compared from then on. A later replacement shows in
 * globalThis's own fingerprint (its getter or value changed); a patch of the object, here.
 */
const CAPTURED: [string, unknown][] = capture();

function capture(): [string, unknown][] {
  const g = globalThis as unknown as Record<string, unknown>;
  const out: [string, unknown][] = [];
  for (let i = 0; i < CLASSES.length + NAMESPACES.length; i++) {
    const name = i < CLASSES.length ? CLASSES[i]! : NAMESPACES[i - CLASSES.length]!;
    let v: unknown;
    try {
      v = g[name];
    } catch {
      // A global whose getter throws here: nothing to compare.
      v = undefined;
    }
    append(out, [name, v]);
  }
  return out;
}

/** Property owners compared, by the name shown in a report (read through captured intrinsics). */
function owners(): [string, object][] {
  const list: [string, object][] = [];
  append(list, ["globalThis", globalThis]);
  const take = (name: string, v: unknown) => {
    if ((typeof v === "object" || typeof v === "function") && v !== null) append(list, [name, v]);
  };
  for (let i = 0; i < CAPTURED.length; i++) {
    // Index reads, not destructuring: a patched array iterator cannot change what is compared.
    const name = CAPTURED[i]![0];
    const v = CAPTURED[i]![1];
    if (i < CLASSES.length) {
      if (typeof v === "function") {
        take(name, v);
        take(`${name}.prototype`, own(v, "prototype"));
      }
    } else take(name, v);
  }
  return list;
}

/** An own data property's value (a getter is never called: its function is compared instead). */
function own(o: object, key: string): unknown {
  try {
    const d = I.descriptor(o, key);
    return d !== undefined && I.hasOwn(d, "value") ? d.value : undefined;
  } catch {
    // A proxy that throws on inspection.
    return undefined;
  }
}

/** A fingerprint: owner -> key -> [value, getter, setter] (Maps read only through captured methods). */
export type Fingerprint = Map<string, Map<PropertyKey, unknown[]>>;

/**
 * Takes a fingerprint of the globals now.
 *
 * @returns The fingerprint.
 */
export function fingerprint(): Fingerprint {
  const out: Fingerprint = new I.Map();
  const list = owners();
  for (let o = 0; o < list.length; o++) {
    const name = list[o]![0];
    const owner = list[o]![1];
    const props = new I.Map<PropertyKey, unknown[]>();
    const names = I.names(owner);
    const symbols = I.symbols(owner);
    for (let i = 0; i < names.length + symbols.length; i++) {
      const k: PropertyKey = i < names.length ? names[i]! : symbols[i - names.length]!;
      let triple: unknown[];
      try {
        const d = I.descriptor(owner, k);
        triple = d
          ? [
            I.hasOwn(d, "value") ? d.value : undefined,
            I.hasOwn(d, "get") ? d.get : undefined,
            I.hasOwn(d, "set") ? d.set : undefined,
          ]
          : ["<unreadable>"];
      } catch {
        // A proxy that throws on inspection counts as changed below.
        triple = ["<unreadable>"];
      }
      call(I.mapSet, props, [k, triple]);
    }
    call(I.mapSet, out, [name, props]);
  }
  return out;
}

/** A Map's keys, through the captured forEach. */
function keysOf<K>(m: Map<K, unknown>): K[] {
  const out: K[] = [];
  call(I.mapForEach, m, [(_v: unknown, k: K) => append(out, k)]);
  return out;
}

/**
 * What changed between two fingerprints.
 *
 * @param before The earlier one.
 * @param after The later one.
 * @returns "owner.key" of each added, removed or replaced property (empty when nothing changed).
 */
export function changes(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  const names = keysOf(after);
  for (let o = 0; o < names.length; o++) {
    const name = names[o]!;
    const props = call(I.mapGet, after, [name]) as Map<PropertyKey, unknown[]>;
    if (!call(I.mapHas, before, [name])) {
      append(out, name);
      continue;
    }
    const old = call(I.mapGet, before, [name]) as Map<PropertyKey, unknown[]>;
    const keys = keysOf(props);
    for (let i = 0; i < keys.length; i++) {
      const v = call(I.mapGet, props, [keys[i]]) as unknown[];
      const was = call(I.mapGet, old, [keys[i]]) as unknown[] | undefined;
      let same = was !== undefined && was.length === v.length;
      for (let j = 0; same && j < v.length; j++) same = I.is(was![j], v[j]);
      if (!same) append(out, `${name}.${I.String(keys[i])}`);
    }
    const gone = keysOf(old);
    for (let i = 0; i < gone.length; i++) {
      if (!call(I.mapHas, props, [gone[i]])) append(out, `${name}.${I.String(gone[i])}`);
    }
  }
  return out;
}
