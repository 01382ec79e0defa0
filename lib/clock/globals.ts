/**
 * Global forwarders: `setTimeout`, `setInterval`, `setImmediate`, their clears and
 * `AbortSignal.timeout` are replaced once, for the life of the process, by functions that route
 * to whichever virtual clock is running, or to the real function when none is.
 *
 * Why forwarders and not a per-test install: a timer function captured while one clock was
 * installed keeps scheduling on that clock after it is gone, so the timer silently never fires
 * (probed on Deno 2.9 and Bun 1.4). A forwarder captured at any time always reaches the current
 * clock. Date, performance, Intl and Temporal get forwarders of their own (time_globals.ts). The
 * kit calls the forwarders from {@linkcode forwarders}, never through the globals, so code under
 * test that replaces a global timer function later changes only what its own calls do.
 *
 * Escapes: `Bun.sleep` is routed to virtual time; `Bun.sleepSync` and, under Deno, the named
 * exports of `node:timers` and `node:timers/promises` fail the test with an EscapedTimeError that
 * names the fix. Bun does not let the named exports of builtin modules be replaced, so there a
 * real sleep shows up as a deadlock whose message lists these escapes.
 *
 * @module
 */
import { real, runtimeName } from "./real.ts";
import { EscapedTimeError } from "./errors.ts";
import { activeHost } from "./host.ts";
import {
  $abort,
  $AbortController,
  $apply,
  $concat,
  $DOMException,
  $isFinite,
  $Number,
  $Promise,
  $signalOf,
  $TypeError,
} from "./intrinsics.ts";
import { createRequire, syncBuiltinESMExports } from "node:module";

export type { TimerHost, TimerKind } from "./host.ts";

type RealTimer = (cb: unknown, ms?: number, ...args: unknown[]) => unknown;

function callback(cb: unknown, api: string): (...args: unknown[]) => void {
  if (typeof cb !== "function") {
    throw new $TypeError(`${api} needs a function as its callback; received ${typeof cb}`);
  }
  return cb as (...args: unknown[]) => void;
}

const escapeMessage = (api: string) =>
  `${api} keeps real time, so the workbook's virtual clock cannot control it ` +
  `(your test would wait for real, or hang). Use the global setTimeout instead, for example ` +
  `\`await new Promise((resolve) => setTimeout(resolve, ms))\`.`;

const clear = (realClear: (h: never) => void) =>
  function clear(handle: unknown) {
    const host = activeHost();
    if (host && host.owns(handle)) return host.clear(handle);
    if (isVirtualHandle(handle)) return; // a timer of a clock that has already finished
    realClear(handle as never);
  };

/**
 * The forwarders themselves. lib installs them as the globals once, and the kit calls them from
 * here (a test's `clock.sleep`, the simulated network's latency), so code under test that later
 * replaces a global timer function changes only what its own calls do.
 */
export const forwarders = Object.freeze({
  setTimeout: function setTimeout(cb: unknown, ms?: number, ...args: unknown[]): unknown {
    const host = activeHost();
    if (!host) return $apply(real.setTimeout as RealTimer, undefined, $concat([cb, ms], args));
    return host.schedule("setTimeout", callback(cb, "setTimeout"), ms ?? 0, args);
  },
  setInterval: function setInterval(cb: unknown, ms?: number, ...args: unknown[]): unknown {
    const host = activeHost();
    if (!host) return $apply(real.setInterval as RealTimer, undefined, $concat([cb, ms], args));
    return host.schedule("setInterval", callback(cb, "setInterval"), ms ?? 0, args);
  },
  setImmediate: function setImmediate(cb: unknown, ...args: unknown[]): unknown {
    const host = activeHost();
    if (!host) return real.setImmediate(() => $apply(cb as () => void, undefined, args));
    return host.schedule("setImmediate", callback(cb, "setImmediate"), 0, args);
  },
  clearTimeout: clear(real.clearTimeout as (h: never) => void),
  clearInterval: clear(real.clearInterval as (h: never) => void),
  clearImmediate: clear(real.clearImmediate as (h: never) => void),
  abortSignalTimeout: function timeout(ms: number): AbortSignal {
    const host = activeHost();
    if (!host || typeof ms !== "number" || !(ms >= 0) || !$isFinite(ms)) {
      return real.abortSignalTimeout(ms); // real behaviour, including its TypeError
    }
    const controller = new $AbortController();
    host.schedule(
      "AbortSignal.timeout",
      () =>
        $abort(
          controller,
          new $DOMException("The operation was aborted due to timeout", "TimeoutError"),
        ),
      ms,
      [],
    );
    return $signalOf(controller);
  },
});

/** A virtual sleep through the forwarder (it shows in the trace like any setTimeout). */
export function virtualSleep(ms: number): Promise<void> {
  return new $Promise((resolve) => forwarders.setTimeout(resolve, ms));
}

let installed = false;

/**
 * Replaces the global timer functions with forwarders. Idempotent; runs when lib loads.
 *
 * @example
 * ```ts
 * import { installForwarders } from "./globals.ts";
 * installForwarders();
 * ```
 */
export function installForwarders(): void {
  if (installed) return;
  installed = true;
  // Load the builtin timer modules first: Bun's capture the global setTimeout when they load, so
  // they keep real time (an escape the deadlock advice names, as on Deno), whatever loads them.
  const require = createRequire(import.meta.url);
  require("node:timers/promises");
  require("node:timers");
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  g.setTimeout = forwarders.setTimeout;
  g.setInterval = forwarders.setInterval;
  g.setImmediate = forwarders.setImmediate;
  g.clearTimeout = forwarders.clearTimeout;
  g.clearInterval = forwarders.clearInterval;
  g.clearImmediate = forwarders.clearImmediate;
  AbortSignal.timeout = forwarders.abortSignalTimeout;

  if (runtimeName === "bun") {
    const bun = g.Bun;
    const sleep = bun.sleep;
    const sleepSync = bun.sleepSync;
    bun.sleep = function sleepVirtual(msOrDate: number | Date) {
      const host = activeHost();
      if (!host) return $apply(sleep, bun, [msOrDate]);
      const ms = typeof msOrDate === "number" ? msOrDate : +msOrDate - host.wallNow();
      return new $Promise((resolve) => forwarders.setTimeout(resolve, ms > 0 ? ms : 0));
    };
    bun.sleepSync = function sleepSyncGuarded(ms: number) {
      const host = activeHost();
      if (host) {
        const error = new EscapedTimeError(
          "Bun.sleepSync blocks the whole thread for real time, so nothing else can run and " +
            "the virtual clock cannot advance. Use `await new Promise((resolve) => " +
            "setTimeout(resolve, ms))` instead.",
        );
        host.escape(error);
        throw error;
      }
      return $apply(sleepSync, bun, [ms]);
    };
  }

  if (runtimeName === "deno") guardBuiltinTimerModules();
}

/** The clock numbers its timers from here, far above any real timer id (as sinon does). */
export const VIRTUAL_ID_START = 1e12;

function isVirtualHandle(handle: unknown): boolean {
  return timerId(handle) >= VIRTUAL_ID_START;
}

/**
 * The numeric id behind a timer handle: a number, or an object whose `Symbol.toPrimitive` gives
 * the id (sinon's handles, Node-style Timeout objects).
 *
 * @param handle What setTimeout returned.
 * @returns The id, or NaN when the handle has none.
 *
 * @example
 * ```ts
 * import { timerId } from "./globals.ts";
 * timerId(42); // 42
 * ```
 */
export function timerId(handle: unknown): number {
  if (typeof handle === "number") return handle;
  if (typeof handle === "object" && handle !== null) {
    try {
      return $Number(handle);
    } catch {
      // A handle whose valueOf throws is not one of the clock's timers.
      return NaN;
    }
  }
  return NaN;
}

/**
 * Under Deno, the named exports of `node:timers/promises` can be replaced
 * (`syncBuiltinESMExports`), so `import { setTimeout } from "node:timers/promises"` is caught at
 * the call and named. Those of `node:timers` cannot (probed on Deno 2.9.5: they keep real time,
 * and ESCAPE_HINT names them); its default export's methods are guarded.
 */
function guardBuiltinTimerModules(): void {
  const require = createRequire(import.meta.url);
  const guard = (moduleName: string, names: string[]) => {
    // deno-lint-ignore no-explicit-any
    const mod = require(moduleName) as Record<string, any>;
    for (const name of names) {
      const original = mod[name];
      if (typeof original !== "function") continue;
      mod[name] = function guarded(this: unknown, ...args: unknown[]) {
        const host = activeHost();
        if (host) {
          const error = new EscapedTimeError(escapeMessage(`${name} from ${moduleName}`));
          host.escape(error);
          throw error;
        }
        return $apply(original, this, args);
      };
    }
  };
  guard("node:timers/promises", ["setTimeout", "setInterval", "setImmediate"]);
  guard("node:timers", ["setTimeout", "setInterval", "setImmediate"]);
  syncBuiltinESMExports();
}

/** The escapes a deadlock message should mention, for the runtime in use. */
export const ESCAPE_HINT = runtimeName === "bun"
  ? "If the code sleeps with `node:timers/promises` or `node:timers` (named imports), those keep " +
    "real time under Bun: use the global setTimeout."
  : "If the code sleeps with `node:timers` (named imports), those keep real time: use the global " +
    "setTimeout. Timers inside Workers keep real time too: mark a Worker round-trip with " +
    "clock.track().";

// Install at import, so a timer function captured by any module loaded after lib/ (the code
// under test) is a forwarder.
installForwarders();
