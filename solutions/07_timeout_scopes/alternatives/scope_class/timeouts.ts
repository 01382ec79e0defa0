/**
 * timeout() written around a class with an explicit state machine (active, expiring, expired,
 * finished, as CPython's `_State`) and `.then` callbacks instead of try/catch/finally: another
 * correct style, graded like a submission.
 *
 * @module
 */

import { invalidState, timeoutError } from "./given_errors.ts";

/** The handle a `timeout()` body receives. */
export interface TimeoutScope {
  /** Aborts when the deadline passes (or the caller's signal aborts). */
  readonly signal: AbortSignal;
  /** True once this scope's deadline has passed while it was open. */
  readonly expired: boolean;
  /** The deadline in `Date.now()` ms, or null. */
  readonly deadline: number | null;
  /** Moves the deadline to `ms` from now, or removes it with null. */
  reschedule(ms: number | null): void;
}

/** Options of `timeout`. */
export interface TimeoutOptions {
  /** The caller's own cancellation. */
  signal?: AbortSignal;
}

type State = "active" | "expiring" | "expired" | "finished";

function validate(ms: unknown): void {
  if (ms === null) return;
  if (typeof ms !== "number") {
    throw new TypeError(`a delay must be a number or null, not ${typeof ms}`);
  }
  if (ms !== ms) throw new RangeError("a delay must not be NaN");
}

class Scope implements TimeoutScope {
  readonly #controller = new AbortController();
  #state: State = "active";
  #when: number | null = null;
  #handle: ReturnType<typeof setTimeout> | null = null;
  #ownAbort = false;
  #outsideAbortAtDeadline = false;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  get expired(): boolean {
    return this.#state === "expiring" || this.#state === "expired" || this.#outsideAbortAtDeadline;
  }
  get deadline(): number | null {
    return this.#when;
  }
  get ownAbort(): boolean {
    return this.#ownAbort;
  }

  reschedule(ms: number | null): void {
    if (this.#state !== "active" || this.#outsideAbortAtDeadline) {
      const name = this.#state === "active" ? "expiring" : this.#state;
      throw invalidState(`Cannot change state of ${name} Timeout`);
    }
    validate(ms);
    this.#schedule(ms);
  }

  start(ms: number | null): void {
    this.#schedule(ms);
  }

  #clear(): void {
    if (this.#handle !== null) clearTimeout(this.#handle);
    this.#handle = null;
  }

  #schedule(ms: number | null): void {
    this.#clear();
    this.#when = ms === null ? null : Date.now() + ms;
    if (ms === null || !Number.isFinite(ms) && ms > 0 || this.signal.aborted) return;
    this.#handle = setTimeout(() => {
      this.#handle = null;
      this.#state = "expiring";
      this.#ownAbort = true;
      this.#controller.abort(timeoutError(ms));
    }, ms > 0 ? ms : 0);
  }

  cancelFromOutside(reason: unknown): void {
    this.#clear();
    if (this.#when !== null && this.#when <= Date.now()) this.#outsideAbortAtDeadline = true;
    this.#controller.abort(reason);
  }

  close(): void {
    this.#clear();
    this.#state = this.#state === "expiring" || this.#outsideAbortAtDeadline
      ? "expired"
      : "finished";
  }
}

/**
 * Runs `body` inside a timeout scope (Python's `async with asyncio.timeout(delay)`).
 *
 * @param ms The delay in ms, or null.
 * @param body The code to run.
 * @param options `{ signal }`.
 * @returns What `body` returned.
 */
export function timeout<T>(
  ms: number | null,
  body: (scope: TimeoutScope) => Promise<T> | T,
  options: TimeoutOptions = {},
): Promise<T> {
  try {
    validate(ms);
  } catch (error) {
    return Promise.reject(error);
  }
  const caller = options.signal;
  if (caller?.aborted) return Promise.reject(caller.reason);

  const scope = new Scope();
  const onCaller = () => scope.cancelFromOutside(caller!.reason);
  caller?.addEventListener("abort", onCaller);
  scope.start(ms);

  const finish = () => {
    scope.close();
    caller?.removeEventListener("abort", onCaller);
  };
  const timedOut = (): never => {
    throw caller?.aborted ? caller.reason : timeoutError(ms);
  };
  return new Promise<T>((resolve) => resolve(body(scope))).then(
    (value) => {
      finish();
      return scope.ownAbort ? timedOut() : value;
    },
    (error) => {
      finish();
      if (scope.ownAbort && error === scope.signal.reason) timedOut();
      throw error;
    },
  );
}
