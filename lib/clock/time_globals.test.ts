// installTimeForwarders(): Date, performance.now/timeOrigin, Intl.DateTimeFormat and Temporal.Now
// read the running clock's time, the real time when none runs, and cannot be replaced.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_EPOCH, runWithClock, withClock } from "../mod.ts";
import { real } from "./real.ts";
import { installTimeForwarders } from "./time_globals.ts";

interface Instant {
  epochMilliseconds: number;
  toString(): string;
}
interface TemporalNow {
  instant(): Instant;
  zonedDateTimeISO(tz?: string): Instant;
  plainDateTimeISO(tz?: string): { toString(): string };
  plainDateISO(tz?: string): { toString(): string };
  plainTimeISO(tz?: string): { toString(): string };
}
const temporalNow = (globalThis as { Temporal?: { Now: TemporalNow } }).Temporal?.Now;
const HOUR_AND_HALF = 90 * 60_000;
const utc = (options: Intl.DateTimeFormatOptions = {}) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...options });

describe("installTimeForwarders()", () => {
  it("installTimeForwarders() again changes nothing: the same forwarders stay installed", () => {
    const before = [Date, performance.now, Intl.DateTimeFormat, temporalNow?.instant];
    installTimeForwarders();
    assert.deepEqual([Date, performance.now, Intl.DateTimeFormat, temporalNow?.instant], before);
  });

  it("Date.now(), new Date() and performance.now() are the real time when no clock runs", () => {
    const low = real.dateNow();
    const [now, made] = [Date.now(), new Date().getTime()];
    const high = real.dateNow();
    assert.ok(low <= now && now <= made && made <= high, `${now} is not real time`);
    const p0 = real.perfNow();
    const p = performance.now();
    assert.ok(p0 <= p && p <= real.perfNow(), `performance.now() ${p} is not real time`);
    assert.ok(performance.timeOrigin > 0 && performance.timeOrigin < DEFAULT_EPOCH);
  });

  it(
    "Date.now() and new Date() are the epoch plus virtual time during a run",
    withClock(async (clock) => {
      assert.equal(Date.now(), DEFAULT_EPOCH);
      await clock.sleep(HOUR_AND_HALF);
      assert.equal(Date.now(), DEFAULT_EPOCH + HOUR_AND_HALF);
      assert.equal(new Date().toISOString(), "2030-01-01T01:30:00.000Z");
    }),
  );

  it("Date.now() follows the epoch option", async () => {
    assert.equal(await runWithClock(() => Date.now(), { epoch: 86_400_000 }), 86_400_000);
  });

  it(
    "Date() called without new gives the virtual time as a string",
    withClock(async (clock) => {
      await clock.sleep(1000);
      const text = (Date as unknown as () => string)();
      assert.equal(typeof text, "string");
      assert.equal(text, new Date(DEFAULT_EPOCH + 1000).toString());
    }),
  );

  it(
    "new Date(...) with arguments keeps the native meaning during a run",
    withClock(() => {
      assert.equal(new Date(0).getTime(), 0);
      assert.equal(new Date("2020-05-06T07:08:09Z").getTime(), Date.UTC(2020, 4, 6, 7, 8, 9));
      assert.equal(new Date(2020, 0, 1).getFullYear(), 2020);
      assert.equal(Date.parse("1970-01-01T00:00:01Z"), 1000);
      assert.equal(Date.UTC(2030, 0, 1), DEFAULT_EPOCH);
    }),
  );

  it(
    "Date keeps its name, length, prototype and subclasses, which see virtual time",
    withClock(async (clock) => {
      assert.deepEqual([Date.name, Date.length], ["Date", 7]);
      const d = new Date();
      assert.ok(d instanceof Date);
      assert.equal(Object.getPrototypeOf(d), Date.prototype);
      class Stamp extends Date {
        label(): string {
          return `at ${this.getTime() - DEFAULT_EPOCH}`;
        }
      }
      await clock.sleep(250);
      const s = new Stamp();
      assert.ok(s instanceof Stamp && s instanceof Date);
      assert.equal(s.label(), "at 250");
    }),
  );

  it("Date is frozen: code under test cannot replace Date.now", () => {
    assert.ok(Object.isFrozen(Date));
    assert.throws(() => {
      (Date as { now: () => number }).now = () => 0;
    }, TypeError);
    assert.notEqual(Date.now(), 0);
  });

  it(
    "performance.now() is the virtual ms of the run and timeOrigin its epoch",
    withClock(async (clock) => {
      assert.equal(performance.now(), 0);
      await clock.sleep(1234);
      assert.equal(performance.now(), 1234);
      assert.equal(performance.now(), clock.now());
      assert.equal(performance.timeOrigin, DEFAULT_EPOCH);
    }),
  );

  it("performance.now cannot be replaced or redefined", () => {
    const now = performance.now;
    assert.throws(() => {
      (performance as { now: () => number }).now = () => 0;
    }, TypeError);
    assert.throws(() => Object.defineProperty(performance, "now", { value: () => 0 }), TypeError);
    assert.equal(performance.now, now);
  });

  it(
    "Intl.DateTimeFormat formats the virtual time when no date is given",
    withClock(async (clock) => {
      await clock.sleep(HOUR_AND_HALF);
      const hm = utc({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
      assert.equal(hm.format(), "01:30");
      const detached = hm.format;
      assert.equal(detached(), "01:30", "format is bound, as the native getter's is");
      assert.equal(hm.format(new Date(Date.UTC(2001, 0, 1, 12, 5))), "12:05");
      assert.equal(utc({ year: "numeric" }).format(), "2030");
      const parts = hm.formatToParts();
      assert.deepEqual(parts.filter((p) => p.type !== "literal").map((p) => p.value), [
        "01",
        "30",
      ]);
      assert.equal(hm.formatToParts(0).find((p) => p.type === "hour")?.value, "00");
    }),
  );

  it(
    "Intl.DateTimeFormat works without new, keeps instanceof, options and statics, and is frozen",
    withClock(() => {
      const call = Intl.DateTimeFormat as unknown as (l: string, o: object) => Intl.DateTimeFormat;
      const f = call("en-GB", { timeZone: "UTC", year: "numeric" });
      assert.ok(f instanceof Intl.DateTimeFormat);
      assert.equal(f.format(), "2030");
      assert.equal(utc().resolvedOptions().timeZone, "UTC");
      assert.deepEqual(Intl.DateTimeFormat.supportedLocalesOf(["en-GB"]), ["en-GB"]);
      assert.ok(Object.isFrozen(Intl.DateTimeFormat));
      assert.ok(Object.isFrozen(Intl.DateTimeFormat.prototype));
    }),
  );

  it("Intl.DateTimeFormat formats the real time when no clock runs", () => {
    const yearOf = () => new Date(real.dateNow()).getUTCFullYear();
    const before = yearOf();
    const year = Number(utc({ year: "numeric" }).format());
    assert.ok(year === before || year === yearOf(), `${year} is not this year`);
  });

  it(
    "Temporal.Now reads the virtual time during a run",
    { skip: temporalNow === undefined },
    withClock(async (clock) => {
      const now = temporalNow!;
      await clock.sleep(HOUR_AND_HALF + 250);
      const ms = DEFAULT_EPOCH + HOUR_AND_HALF + 250;
      assert.equal(now.instant().epochMilliseconds, ms);
      assert.equal(now.zonedDateTimeISO("UTC").epochMilliseconds, ms);
      assert.equal(now.zonedDateTimeISO().epochMilliseconds, ms, "the system time zone");
      assert.equal(now.plainDateTimeISO("UTC").toString(), "2030-01-01T01:30:00.25");
      assert.equal(now.plainDateISO("UTC").toString(), "2030-01-01");
      assert.equal(now.plainTimeISO("UTC").toString(), "01:30:00.25");
    }),
  );

  it(
    "Temporal.Now reads the real time when no clock runs",
    { skip: temporalNow === undefined },
    () => {
      const low = real.dateNow();
      const ms = temporalNow!.instant().epochMilliseconds;
      assert.ok(low <= ms && ms <= real.dateNow(), `${ms} is not real time`);
    },
  );
});
