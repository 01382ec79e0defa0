/**
 * Freezes what the tests and the code under test share, so the code under test cannot disarm the
 * tests: the `node:assert` objects (a stub that sets `assert.equal = () => {}` would otherwise
 * turn every assertion into a no-op) and the kit's own classes (a stub that replaces
 * `VirtualClock.prototype.now` could fake any timeline), and `Promise` and `AsyncLocalStorage`
 * with their prototypes, which the clock and `withClock` use to hand the test body's verdict to
 * the runner (a stub that replaced `Promise.prototype.then` turned every failing test into a
 * pass).
 *
 * It runs when `lib/mod.ts` is imported. Test files import lib before the code under test
 * (the grader's lint checks it), so everything is frozen before student code runs. It does not
 * make the process a sandbox: under Bun the code under test can still read and write files, and
 * under both runtimes it can patch other globals; it closes the cheap, silent ways to pass.
 *
 * @module
 */
import assert from "node:assert";
import strict from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { $freeze, $Promise } from "../clock/intrinsics.ts";
import {
  DeadlockError,
  EscapedTimeError,
  LeakedTimersError,
  RunawayError,
  UnhandledRejectionError,
} from "../clock/errors.ts";

/**
 * Freezes objects and, for functions and classes, their prototypes.
 *
 * @param targets Objects or classes to freeze.
 *
 * @example
 * ```ts
 * import { freezeAll } from "./harden.ts";
 * class Box {}
 * freezeAll(Box);
 * Object.isFrozen(Box.prototype); // true
 * ```
 */
export function freezeAll(...targets: unknown[]): void {
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if ((typeof t !== "object" && typeof t !== "function") || t === null) continue;
    $freeze(t);
    const proto = (t as { prototype?: unknown }).prototype;
    if (typeof proto === "object" && proto !== null) $freeze(proto);
  }
}

// The intrinsic Promise, whatever the global binding is (promise tracking may make it a Proxy).
freezeAll(assert, strict, assert.AssertionError, $Promise, AsyncLocalStorage);
freezeAll(
  DeadlockError,
  EscapedTimeError,
  LeakedTimersError,
  RunawayError,
  UnhandledRejectionError,
);
