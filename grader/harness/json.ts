/**
 * JSON text and plain-data copies for the harness, over intrinsics captured at load: never
 * `JSON.stringify` on an object (it calls an inherited `toJSON` a submission can define) and
 * never a getter of the code under test. Strings and numbers go through the captured
 * `JSON.stringify`, which looks nothing up for primitives.
 *
 * @module
 */

import { I } from "./intrinsics.ts";

/** A node budget shared by one copy. */
interface Budget {
  nodes: number;
}

/**
 * An own enumerable data property's value (an array's `length` counts), or `absent`; getters are
 * never called.
 */
function own(o: object, key: string | number, absent: unknown): unknown {
  let d: PropertyDescriptor | undefined;
  try {
    d = I.descriptor(o, key);
  } catch {
    // A proxy that throws on inspection: treated as missing.
    return absent;
  }
  return d !== undefined && I.hasOwn(d, "value") && (d.enumerable || key === "length")
    ? d.value
    : absent;
}

const ABSENT = I.freeze({ __proto__: null });

/**
 * A copy of plain data (strings, finite numbers, booleans, null, arrays and records of them):
 * records without a prototype, arrays filled with defineProperty (no setter on Array.prototype
 * runs), read through own data properties only; functions, getters, symbols and
 * cycles are left out. Deep or large values are cut (depth 8, 2000 nodes, strings of 4000).
 *
 * @param value Any value, typically from an error object of the code under test or the kit.
 * @param budget Remaining nodes.
 * @param depth Current depth.
 * @returns The copy, or undefined when nothing plain is there.
 */
export function copyPlain(value: unknown, budget: Budget = { nodes: 2000 }, depth = 0): unknown {
  try {
    return copyInner(value, budget, depth);
  } catch {
    // A revoked Proxy or the like somewhere inside: nothing plain to copy.
    return undefined;
  }
}

/** copyPlain's walk, which may throw on a hostile value. */
function copyInner(value: unknown, budget: Budget, depth: number): unknown {
  if (--budget.nodes < 0) return undefined;
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") {
    return value === value && value !== 1 / 0 && value !== -1 / 0 ? value : null;
  }
  if (typeof value === "string") {
    return value.length > 4000 ? I.apply(I.slice, value, [0, 4000]) : value;
  }
  if (typeof value !== "object" || depth >= 8) return undefined;
  if (I.isArray(value)) {
    const len = own(value, "length", 0);
    const out: unknown[] = [];
    for (let i = 0; i < (typeof len === "number" ? len : 0) && budget.nodes > 0; i++) {
      const v = copyInner(own(value, i, undefined), budget, depth + 1);
      I.defineProperty(out, i, {
        value: v ?? null,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return out;
  }
  const out = I.create(null) as Record<string, unknown>;
  const keys = I.names(value);
  for (let i = 0; i < keys.length && budget.nodes > 0; i++) {
    const v = own(value, keys[i]!, ABSENT);
    if (v === ABSENT) continue;
    const c = copyInner(v, budget, depth + 1);
    if (c !== undefined) out[keys[i]!] = c;
  }
  return out;
}

/**
 * JSON text of plain data the harness built (records, arrays, strings, numbers, booleans, null);
 * anything else is written as null.
 *
 * @param value The value.
 * @returns Its JSON text.
 */
export function toJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    return value === value && value !== 1 / 0 && value !== -1 / 0 ? I.stringify(value) : "null";
  }
  if (typeof value === "string") return I.stringify(value);
  if (typeof value !== "object") return "null";
  if (I.isArray(value)) {
    let out = "[";
    const len = own(value, "length", 0) as number;
    for (let i = 0; i < len; i++) out += (i ? "," : "") + toJson(own(value, i, null));
    return out + "]";
  }
  let out = "{";
  let first = true;
  const keys = I.names(value);
  for (let i = 0; i < keys.length; i++) {
    const v = own(value, keys[i]!, ABSENT);
    if (v === ABSENT || v === undefined) continue;
    out += (first ? "" : ",") + I.stringify(keys[i]!) + ":" + toJson(v);
    first = false;
  }
  return out + "}";
}
