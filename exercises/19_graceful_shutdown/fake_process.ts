// GIVEN: a fake `process` for the tests (signals on demand, exit recorded); you do not edit it
/**
 * A fake `process` for the shutdown tests: it keeps signal listeners like Node's EventEmitter,
 * lets a test deliver a signal with `emit("SIGTERM")`, and records `exit(code)` instead of ending
 * the test run. It also keeps a log of `on`, `off` and `exit` calls, in order.
 *
 * @module
 */

/**
 * The fake process.
 *
 * @example
 * ```ts
 * import { FakeProcess } from "./fake_process.ts";
 * const proc = new FakeProcess();
 * proc.on("SIGTERM", () => console.log("stopping"));
 * proc.emit("SIGTERM"); // prints "stopping"
 * proc.exit(0);
 * proc.exitCodes; // [0]
 * ```
 */
export class FakeProcess {
  /** Every `on`, `off` and `exit` call, in order: "on SIGINT", "off SIGINT", "exit 0". */
  readonly log: string[] = [];
  /** The codes `exit()` was called with, in order. */
  readonly exitCodes: number[] = [];
  readonly #listeners = new Map<string, Array<(signal: string) => void>>();

  /** Adds a listener for `event` (a signal name such as "SIGTERM"). */
  on(event: string, listener: (signal: string) => void): this {
    this.log.push(`on ${event}`);
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  /** Removes one registration of `listener` for `event`. */
  off(event: string, listener: (signal: string) => void): this {
    this.log.push(`off ${event}`);
    const list = this.#listeners.get(event) ?? [];
    const index = list.indexOf(listener);
    if (index !== -1) this.#listeners.set(event, list.toSpliced(index, 1));
    return this;
  }

  /** Records the exit code (the real one would end the process here). */
  exit(code?: number): void {
    this.log.push(`exit ${code ?? 0}`);
    this.exitCodes.push(code ?? 0);
  }

  /**
   * Delivers a signal to its listeners, synchronously, like the operating system would.
   *
   * @returns How many listeners it reached.
   */
  emit(event: string): number {
    const list = this.#listeners.get(event) ?? [];
    for (const listener of list) listener(event);
    return list.length;
  }

  /** How many listeners `event` has. */
  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
}
