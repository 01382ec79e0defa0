/**
 * Global forwarders: `setTimeout`, `setInterval`, `setImmediate`, their clears and
 * `AbortSignal.timeout` are replaced once, for the life of the process, by functions that route
 * to whichever virtual clock is running, or to the real function when none is.
 *
 * Why forwarders and not a per-test install: a timer function captured while one clock was
 * installed keeps scheduling on that clock after it is gone, so the timer silently never fires
 * (probed on Deno 2.9 and Bun 1.4). A forwarder captured at any time always reaches the current
 * clock. Date, performance and Intl are faked per run by sinon's own install, because code rarely
 * captures them.
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
import { createRequire, syncBuiltinESMExports } from "node:module";

/** What a virtual clock must offer the forwarders. */
export interface TimerHost {
  schedule(
    kind: TimerKind,
    cb: (...args: unknown[]) => void,
    delay: number,
    args: unknown[],
  ): unknown;
  clear(handle: unknown): void;
  owns(handle: unknown): boolean;
  escape(error: EscapedTimeError): void;
}

/** The kinds of timer the clock records. */
export type TimerKind = "setTimeout" | "setInterval" | "setImmediate" | "AbortSignal.timeout";

type RealTimer = (cb: unknown, ms?: number, ...args: unknown[]) => unknown;

let active: TimerHost | undefined;
let installed = false;

/**
 * Makes `host` the clock that receives every timer call, or restores real timers with
 * `undefined`.
 *
 * @param host The running clock, or undefined.
 *
 * @example
 * ```ts
 * import { setActiveHost } from "./globals.ts";
 * setActiveHost(undefined); // real timers again
 * ```
 */
export function setActiveHost(host: TimerHost | undefined): void {
  installForwarders();
  active = host;
}

function callback(cb: unknown, api: string): (...args: unknown[]) => void {
  if (typeof cb !== "function") {
    throw new TypeError(`${api} needs a function as its callback; received ${typeof cb}`);
  }
  return cb as (...args: unknown[]) => void;
}

const escapeMessage = (api: string) =>
  `${api} keeps real time, so the workbook's virtual clock cannot control it ` +
  `(your test would wait for real, or hang). Use the global setTimeout instead, for example ` +
  `\`await new Promise((resolve) => setTimeout(resolve, ms))\`.`;

/**
 * Replaces the global timer functions with forwarders. Idempotent; called by the clock on first
 * use.
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
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;

  g.setTimeout = function setTimeout(cb: unknown, ms?: number, ...args: unknown[]) {
    const host = active;
    if (!host) return (real.setTimeout as RealTimer)(cb, ms, ...args);
    return host.schedule("setTimeout", callback(cb, "setTimeout"), ms ?? 0, args);
  };
  g.setInterval = function setInterval(cb: unknown, ms?: number, ...args: unknown[]) {
    const host = active;
    if (!host) return (real.setInterval as RealTimer)(cb, ms, ...args);
    return host.schedule("setInterval", callback(cb, "setInterval"), ms ?? 0, args);
  };
  g.setImmediate = function setImmediate(cb: unknown, ...args: unknown[]) {
    const host = active;
    if (!host) return real.setImmediate(() => (cb as (...a: unknown[]) => void)(...args));
    return host.schedule("setImmediate", callback(cb, "setImmediate"), 0, args);
  };
  const clear = (realClear: (h: never) => void) =>
    function clear(handle: unknown) {
      const host = active;
      if (host && host.owns(handle)) return host.clear(handle);
      if (isVirtualHandle(handle)) return; // a timer of a clock that has already finished
      realClear(handle as never);
    };
  g.clearTimeout = clear(real.clearTimeout as (h: never) => void);
  g.clearInterval = clear(real.clearInterval as (h: never) => void);
  g.clearImmediate = clear(real.clearImmediate as (h: never) => void);

  AbortSignal.timeout = function timeout(ms: number): AbortSignal {
    const host = active;
    if (!host || typeof ms !== "number" || !(ms >= 0) || !Number.isFinite(ms)) {
      return real.abortSignalTimeout(ms); // real behaviour, including its TypeError
    }
    const controller = new AbortController();
    host.schedule(
      "AbortSignal.timeout",
      () =>
        controller.abort(
          new DOMException("The operation was aborted due to timeout", "TimeoutError"),
        ),
      ms,
      [],
    );
    return controller.signal;
  };

  if (runtimeName === "bun") {
    const bun = g.Bun;
    const sleep = bun.sleep;
    const sleepSync = bun.sleepSync;
    bun.sleep = function sleepVirtual(msOrDate: number | Date) {
      if (!active) return sleep.call(bun, msOrDate);
      const ms = msOrDate instanceof Date ? msOrDate.getTime() - Date.now() : msOrDate;
      return new Promise((resolve) => g.setTimeout(resolve, Math.max(0, ms)));
    };
    bun.sleepSync = function sleepSyncGuarded(ms: number) {
      if (active) {
        const error = new EscapedTimeError(
          "Bun.sleepSync blocks the whole thread for real time, so nothing else can run and " +
            "the virtual clock cannot advance. Use `await new Promise((resolve) => " +
            "setTimeout(resolve, ms))` instead.",
        );
        active.escape(error);
        throw error;
      }
      return sleepSync.call(bun, ms);
    };
  }

  if (runtimeName === "deno") guardBuiltinTimerModules();
}

const VIRTUAL_ID_START = 1e12; // sinon numbers its timers from here
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
      return Number(handle);
    } catch {
      // A handle whose valueOf throws is not one of the clock's timers.
      return NaN;
    }
  }
  return NaN;
}

/**
 * Under Deno, the named exports of builtin modules can be replaced (`syncBuiltinESMExports`), so
 * `import { setTimeout } from "node:timers/promises"` is caught at the call and named.
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
        if (active) {
          const error = new EscapedTimeError(escapeMessage(`${name} from ${moduleName}`));
          active.escape(error);
          throw error;
        }
        return original.apply(this, args);
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
  : "Timers inside Workers keep real time: mark a Worker round-trip with clock.track().";

// Install at import, so a timer function captured by any module loaded after lib/ (the code
// under test) is a forwarder.
installForwarders();
