/**
 * An event recorder: tests and code under test note what happened, and the recorder stamps each
 * note with virtual time.
 *
 * @module
 */
import { $filter, $find, $join, $map, $push, $stringify } from "../clock/intrinsics.ts";
import { virtualNow } from "./now.ts";

/** One recorded event. */
export interface RecordedEvent<D = unknown> {
  /** Virtual ms since the clock started. */
  at: number;
  name: string;
  detail?: D;
}

/**
 * Records named events with virtual timestamps.
 *
 * @example
 * ```ts
 * import { EventRecorder } from "./recorder.ts";
 * const rec = new EventRecorder();
 * rec.record("start");
 * rec.names(); // ["start"]
 * ```
 */
export class EventRecorder<D = unknown> {
  /** Every event, in order. */
  readonly events: RecordedEvent<D>[] = [];

  /**
   * Notes an event now.
   *
   * @param name What happened.
   * @param detail Optional data.
   *
   * @example
   * ```ts
   * import { EventRecorder } from "./recorder.ts";
   * new EventRecorder<number>().record("got", 3);
   * ```
   */
  record(name: string, detail?: D): void {
    $push(this.events, { at: virtualNow(), name, detail });
  }

  /**
   * The event names in order.
   *
   * @returns Names.
   *
   * @example
   * ```ts
   * import { EventRecorder } from "./recorder.ts";
   * new EventRecorder().names(); // []
   * ```
   */
  names(): string[] {
    return $map(this.events, (e) => e.name);
  }

  /**
   * When `name` first happened.
   *
   * @param name The event.
   * @returns Virtual ms, or undefined if it never happened.
   *
   * @example
   * ```ts
   * import { EventRecorder } from "./recorder.ts";
   * new EventRecorder().firstAt("x"); // undefined
   * ```
   */
  firstAt(name: string): number | undefined {
    return $find(this.events, (e) => e.name === name)?.at;
  }

  /**
   * Every time `name` happened.
   *
   * @param name The event.
   * @returns Virtual ms of each occurrence.
   *
   * @example
   * ```ts
   * import { EventRecorder } from "./recorder.ts";
   * new EventRecorder().times("tick"); // []
   * ```
   */
  times(name: string): number[] {
    return $map($filter(this.events, (e) => e.name === name), (e) => e.at);
  }

  /**
   * Events as compact `t=NNN name` lines, for failure messages.
   *
   * @returns One line per event.
   *
   * @example
   * ```ts
   * import { EventRecorder } from "./recorder.ts";
   * new EventRecorder().format(); // ""
   * ```
   */
  format(): string {
    return $join(
      $map(
        this.events,
        (e) => `t=${e.at} ${e.name}${e.detail === undefined ? "" : " " + $stringify(e.detail)}`,
      ),
      "\n",
    );
  }
}
