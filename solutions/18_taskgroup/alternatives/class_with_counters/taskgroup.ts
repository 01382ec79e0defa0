/**
 * Another correct style for exercise 18: the group is a class with an explicit counter of
 * running tasks and one "idle" promise, signals are linked with listeners (removed again) rather
 * than AbortSignal.any, and splitErrors() splits both sides in one recursive pass.
 *
 * @module
 */

/** A child task of a group. */
export interface Task<T> {
  /** What the task returned, or its error. */
  readonly result: Promise<T>;
  /** The task's signal: aborted when the group shuts down or when `cancel()` is called. */
  readonly signal: AbortSignal;
  /** Cancels this task only. */
  cancel(reason?: unknown): void;
}

/** What the body of {@linkcode taskGroup} receives. */
export interface TaskGroup {
  /** Aborted when the group shuts down. */
  readonly signal: AbortSignal;
  /** Starts a child task now. */
  spawn<T>(fn: (signal: AbortSignal) => Promise<T> | T): Task<T>;
  /** Shuts the group down quietly. */
  cancel(reason?: unknown): void;
}

/** A class of error, or a predicate, for {@linkcode splitErrors}. */
export type ErrorMatcher =
  | ((error: unknown) => boolean)
  // deno-lint-ignore no-explicit-any
  | (abstract new (...args: any[]) => Error);

class InvalidStateError extends Error {
  override name = "InvalidStateError";
}

/** Aborts `target` when `source` aborts; returns the function that unlinks them. */
function link(source: AbortSignal, target: AbortController): () => void {
  const onAbort = () => target.abort(source.reason);
  source.addEventListener("abort", onAbort, { once: true });
  return () => source.removeEventListener("abort", onAbort);
}

class Group implements TaskGroup {
  readonly #controller = new AbortController();
  readonly errors: unknown[] = [];
  #pending = 0;
  #finished = false;
  #onIdle: (() => void) | undefined;

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  spawn<T>(fn: (signal: AbortSignal) => Promise<T> | T): Task<T> {
    if (this.#finished) throw new InvalidStateError("TaskGroup is finished: no new task");
    if (this.signal.aborted) throw new InvalidStateError("TaskGroup is shutting down: no new task");
    const own = new AbortController();
    const unlink = link(this.signal, own);
    const signal = own.signal;
    this.#pending++;
    let result: Promise<T>;
    try {
      result = Promise.resolve(fn(signal));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      () => this.#settle(unlink),
      (error) => {
        if (!(signal.aborted && error === signal.reason)) this.fail(error);
        this.#settle(unlink);
      },
    );
    return {
      result,
      signal,
      cancel: (reason?: unknown) =>
        own.abort(reason ?? new DOMException("task cancelled", "AbortError")),
    };
  }

  cancel(reason?: unknown): void {
    this.#controller.abort(reason ?? new DOMException("taskGroup cancelled", "AbortError"));
  }

  fail(error: unknown): void {
    this.errors.push(error);
    if (!this.signal.aborted) {
      this.#controller.abort(new DOMException("a task of the group failed", "AbortError"));
    }
  }

  abortFrom(reason: unknown): void {
    this.#controller.abort(reason);
  }

  /** Resolves once no task is running (tasks may still be spawned while it waits). */
  idle(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#onIdle = resolve));
  }

  finish(): void {
    this.#finished = true;
  }

  #settle(unlink: () => void): void {
    unlink();
    if (--this.#pending === 0 && this.#onIdle) {
      const wake = this.#onIdle;
      this.#onIdle = undefined;
      wake();
    }
  }
}

/**
 * Runs `body` with a task group; see the exercise's README for every rule.
 *
 * @param body The code that spawns tasks.
 * @param opts `signal`: an outer signal that cancels the whole group.
 * @returns The body's value.
 */
export async function taskGroup<T>(
  body: (tg: TaskGroup) => Promise<T> | T,
  opts: { signal?: AbortSignal } = {},
): Promise<T | undefined> {
  const outer = opts.signal;
  if (outer?.aborted) throw outer.reason;
  const group = new Group();
  const onOuterAbort = () => group.abortFrom(outer!.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    let value: T | undefined;
    try {
      value = await body(group);
    } catch (error) {
      if (!(group.signal.aborted && error === group.signal.reason)) group.fail(error);
    }
    await group.idle();
    group.finish();
    if (group.errors.length > 0) {
      throw new AggregateError(group.errors, "unhandled errors in a task group");
    }
    if (outer?.aborted) throw outer.reason;
    return value;
  } finally {
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

/**
 * Splits an error into the part that matches and the rest (Python's `except*`).
 *
 * @param error What a `catch` caught.
 * @param match An error class or a predicate.
 * @returns `[matched, rest]`.
 */
export function splitErrors(
  error: unknown,
  match: ErrorMatcher,
): [AggregateError | undefined, unknown] {
  const isClass = match === Error || (match as { prototype?: unknown }).prototype instanceof Error;
  const test = (e: unknown) =>
    isClass ? e instanceof (match as typeof Error) : (match as (e: unknown) => boolean)(e);
  if (!(error instanceof AggregateError)) {
    return test(error) ? [new AggregateError([error]), undefined] : [undefined, error];
  }
  const [yes, no] = split(error, test);
  return [yes, no];
}

/** Both sides of `group` in one pass; a side with no leaf is undefined. */
function split(
  group: AggregateError,
  test: (e: unknown) => boolean,
): [AggregateError | undefined, AggregateError | undefined] {
  const yes: unknown[] = [];
  const no: unknown[] = [];
  for (const child of group.errors) {
    if (child instanceof AggregateError) {
      const [y, n] = split(child, test);
      if (y) yes.push(y);
      if (n) no.push(n);
    } else {
      (test(child) ? yes : no).push(child);
    }
  }
  return [
    yes.length > 0 ? new AggregateError(yes, group.message) : undefined,
    no.length > 0 ? new AggregateError(no, group.message) : undefined,
  ];
}
