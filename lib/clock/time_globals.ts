// deno-lint-ignore-file no-explicit-any
/**
 * Forwarders for what tells the time: `Date`, `performance.now` (and `timeOrigin`),
 * `Intl.DateTimeFormat` and `Temporal.Now`. Installed once when lib loads, like the timer
 * forwarders: they read the running clock's time, or the real time when no clock runs.
 *
 * They replace sinon's per-run fakes, which hung the fake clock itself on the globals
 * (`Date.clock`, `performance.clock`, `Intl.clock`, `Temporal.clock`): through it, code under
 * test could rewind or advance virtual time (`Date.clock.now -= 5000` made a sequential
 * implementation look concurrent). These forwarders hold no clock object: they ask the active
 * host (host.ts), a frozen object of closures that no global reaches. `Date` and the
 * `DateTimeFormat` forwarder are frozen, and `performance.now` cannot be redefined, so the time
 * a test reads is the clock's.
 *
 * @module
 */
import { activeHost } from "./host.ts";
import {
  $bind,
  $construct,
  $create,
  $defineProperty,
  $freeze,
  $getOwnPropertyDescriptor,
} from "./intrinsics.ts";

const g = globalThis as any;
const FP = Function.prototype;
const uncurry = (fn: any): any => FP.bind.call(FP.call, fn);

const NativeDate: DateConstructor = g.Date;
const realDateNow: () => number = $bind(NativeDate.now, NativeDate);
const dateToString: (d: Date) => string = uncurry(NativeDate.prototype.toString);
const perf = g.performance;
const realPerfNow: () => number = $bind(perf.now, perf);
const realTimeOrigin: number = perf.timeOrigin;

/** `Date.now()` as the code under test sees it. */
function wallNow(): number {
  const host = activeHost();
  return host ? host.wallNow() : realDateNow();
}

/** The `Date` forwarder: `new Date()` and `Date.now()` in virtual time during a run. */
function VirtualDate(this: unknown, ...args: unknown[]): unknown {
  if (new.target === undefined) return dateToString(new NativeDate(wallNow()));
  return $construct(NativeDate, args.length === 0 ? [wallNow()] : args, new.target);
}

function installDate(): void {
  const D = VirtualDate as unknown as Record<string, unknown>;
  D.prototype = NativeDate.prototype; // instances, instanceof and subclasses behave as before
  $defineProperty(VirtualDate, "name", { value: "Date" });
  $defineProperty(VirtualDate, "length", { value: 7 });
  D.now = function now(): number {
    return wallNow();
  };
  D.parse = NativeDate.parse;
  D.UTC = NativeDate.UTC;
  $freeze(VirtualDate);
  g.Date = VirtualDate;
}

function installPerformance(): void {
  const now = function now(): number {
    const host = activeHost();
    return host ? host.elapsed() : realPerfNow();
  };
  const timeOrigin = function timeOrigin(): number {
    const host = activeHost();
    return host ? host.wallNow() - host.elapsed() : realTimeOrigin;
  };
  $defineProperty(perf, "now", { value: now, writable: false, configurable: false });
  $defineProperty(perf, "timeOrigin", { get: timeOrigin, configurable: false });
}

function installIntl(): void {
  const intl = g.Intl;
  const Native = intl?.DateTimeFormat;
  if (typeof Native !== "function") return;
  const formatOf = uncurry($getOwnPropertyDescriptor(Native.prototype, "format")!.get);
  const nativeFormatToParts: (f: unknown, date: unknown) => unknown = uncurry(
    Native.prototype.formatToParts,
  );
  const at = (date: unknown) => (date === undefined ? wallNow() : date);
  function DateTimeFormat(this: unknown, locales?: unknown, options?: unknown): unknown {
    return $construct(Native, [locales, options], new.target ?? DateTimeFormat);
  }
  DateTimeFormat.prototype = $create(Native.prototype, {
    constructor: { value: DateTimeFormat, writable: true, configurable: true },
    format: {
      get(this: unknown) {
        const format = formatOf(this);
        return (date?: unknown) => format(at(date));
      },
      configurable: true,
    },
    formatToParts: {
      value: function formatToParts(this: unknown, date?: unknown) {
        return nativeFormatToParts(this, at(date));
      },
      writable: true,
      configurable: true,
    },
  });
  (DateTimeFormat as unknown as Record<string, unknown>).supportedLocalesOf =
    Native.supportedLocalesOf;
  $freeze(DateTimeFormat.prototype);
  $freeze(DateTimeFormat);
  intl.DateTimeFormat = DateTimeFormat;
}

function installTemporal(): void {
  const temporal = g.Temporal;
  const now = temporal?.Now;
  if (!now || typeof temporal.Instant?.fromEpochMilliseconds !== "function") return;
  const fromMs: (ms: number) => any = $bind(
    temporal.Instant.fromEpochMilliseconds,
    temporal.Instant,
  );
  const native = {
    instant: $bind(now.instant, now),
    timeZoneId: $bind(now.timeZoneId, now),
    zoned: $bind(now.zonedDateTimeISO, now),
    dateTime: $bind(now.plainDateTimeISO, now),
    date: $bind(now.plainDateISO, now),
    time: $bind(now.plainTimeISO, now),
  };
  const toZoned = uncurry(temporal.Instant.prototype.toZonedDateTimeISO);
  const ZP = temporal.ZonedDateTime.prototype;
  const toDateTime = uncurry(ZP.toPlainDateTime);
  const toDate = uncurry(ZP.toPlainDate);
  const toTime = uncurry(ZP.toPlainTime);
  const zoned = (tz: unknown) => {
    const host = activeHost();
    if (!host) return native.zoned(tz);
    return toZoned(fromMs(host.wallNow()), tz ?? native.timeZoneId());
  };
  now.instant = function instant() {
    const host = activeHost();
    return host ? fromMs(host.wallNow()) : native.instant();
  };
  now.zonedDateTimeISO = function zonedDateTimeISO(tz?: unknown) {
    return zoned(tz);
  };
  now.plainDateTimeISO = function plainDateTimeISO(tz?: unknown) {
    return activeHost() ? toDateTime(zoned(tz)) : native.dateTime(tz);
  };
  now.plainDateISO = function plainDateISO(tz?: unknown) {
    return activeHost() ? toDate(zoned(tz)) : native.date(tz);
  };
  now.plainTimeISO = function plainTimeISO(tz?: unknown) {
    return activeHost() ? toTime(zoned(tz)) : native.time(tz);
  };
}

let installed = false;

/**
 * Installs the time forwarders. Idempotent; runs when lib loads.
 *
 * @example
 * ```ts
 * import { installTimeForwarders } from "./time_globals.ts";
 * installTimeForwarders();
 * ```
 */
export function installTimeForwarders(): void {
  if (installed) return;
  installed = true;
  installDate();
  installPerformance();
  installIntl();
  installTemporal();
}

installTimeForwarders();
