/**
 * Modern primitives: what JavaScript now has built in for the patterns of the earlier exercises.
 *
 * - `timeoutSignal(ms, { signal })`: a deadline and the caller's cancellation in one signal, with
 *   `AbortSignal.timeout()` and `AbortSignal.any()` (Python: `asyncio.timeout()` around work a
 *   task may also be cancelled from outside).
 * - `once(target, type, { signal, filter })`: the next event as a promise, with
 *   `Promise.withResolvers()` (Python: `loop.create_future()` completed from a callback).
 * - `openAll(openers, { signal })`: open resources one after another and close them in reverse
 *   order, also when opening fails halfway, with `AsyncDisposableStack` and its `move()` (Python:
 *   `contextlib.AsyncExitStack` and `pop_all()`).
 * - `runJob(openers, body, { signal, timeoutMs })`: open, run, clean up in reverse order on every
 *   path, with `await using` (Python: `async with AsyncExitStack() as stack:` inside
 *   `async with asyncio.timeout(...)`).
 *
 * @module
 */

/** Options of {@linkcode timeoutSignal}. */
export interface TimeoutSignalOptions {
  /** The caller's cancellation: the returned signal also aborts when this one does. */
  signal?: AbortSignal;
}

/** The longest delay a timer takes: past it, Deno's AbortSignal.timeout() fires at once. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * A signal that aborts `ms` milliseconds from now with a `DOMException` named "TimeoutError", or
 * earlier with the caller's `signal.reason` (by identity) if that signal aborts first: whichever
 * comes first wins, and its reason stays.
 *
 * @param ms The deadline in ms from now: a number from 0 to 2^31 - 1 (fractions allowed), or
 *   `Infinity` for no deadline (Python's `asyncio.timeout(None)`). 0 aborts on the next turn of
 *   the timers, not during the call.
 * @param options `{ signal }`: the caller's cancellation. An already aborted signal gives a
 *   signal that is already aborted with the same reason.
 * @returns The combined signal.
 * @throws RangeError when `ms` is negative, NaN, finite above 2^31 - 1, or not a number (a
 *   synchronous throw).
 *
 * @example
 * ```ts
 * import { timeoutSignal } from "./modern.ts";
 * const user = new AbortController();
 * const signal = timeoutSignal(2000, { signal: user.signal });
 * await fetch("https://example.com/", { signal }); // stops at 2 s, or when the user cancels
 * ```
 */
export function timeoutSignal(ms: number, options: TimeoutSignalOptions = {}): AbortSignal {
  if (typeof ms !== "number" || Number.isNaN(ms) || ms < 0 || (ms > MAX_DELAY && ms !== Infinity)) {
    throw new RangeError(
      `timeoutSignal(ms) needs 0 <= ms <= 2^31 - 1, or Infinity; received ${ms}`,
    );
  }
  const { signal } = options;
  if (ms === Infinity) return signal ?? new AbortController().signal;
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** Options of {@linkcode once}. */
export interface OnceOptions<E extends Event> {
  /** Stops waiting: the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Only an event for which this returns true counts; the others are skipped. */
  filter?: (event: E) => boolean;
}

/**
 * Waits for the next event of `type` on `target` (that passes `filter`, if given).
 *
 * @typeParam E The event's type.
 * @param target What dispatches the event.
 * @param type The event type ("message", "close", ...).
 * @param options `{ signal, filter }`. An already aborted signal rejects at once (no listener is
 *   added); an abort while waiting rejects with `signal.reason` exactly. A `filter` that throws
 *   makes the promise reject with what it threw.
 * @returns The event. Both listeners (on `target` and on `signal`) are removed on every path.
 *
 * @example
 * ```ts
 * import { once } from "./modern.ts";
 * const socket = new WebSocket("wss://example.com/");
 * await once(socket, "open", { signal: AbortSignal.timeout(5000) });
 * ```
 */
export function once<E extends Event = Event>(
  target: EventTarget,
  type: string,
  options: OnceOptions<E> = {},
): Promise<E> {
  const { signal, filter } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { promise, resolve, reject } = Promise.withResolvers<E>();
  const listeners = new DisposableStack();
  const onEvent: EventListener = (event) => {
    let wanted: boolean;
    try {
      wanted = filter ? filter(event as E) : true;
    } catch (error) {
      listeners.dispose();
      reject(error);
      return;
    }
    if (!wanted) return;
    listeners.dispose();
    resolve(event as E);
  };
  target.addEventListener(type, onEvent);
  listeners.defer(() => target.removeEventListener(type, onEvent));
  if (signal) {
    const onAbort = () => {
      listeners.dispose();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort);
    listeners.defer(() => signal.removeEventListener("abort", onAbort));
  }
  return promise;
}

/** What an opener may resolve with: something `await using` accepts. */
export type Resource = AsyncDisposable | Disposable | null | undefined;

/** Opens one resource; gets the signal of the call (undefined when there is none). */
export type Opener<T extends Resource> = (signal: AbortSignal | undefined) => Promise<T> | T;

/** Resources opened together; disposing the bundle closes them in reverse order. */
export interface ResourceBundle<T extends Resource> extends AsyncDisposable {
  /** The opened resources, in the order of their openers. */
  readonly resources: readonly T[];
}

/** Options of {@linkcode openAll}. */
export interface OpenAllOptions {
  /** Stops opening: the call closes what it opened and rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Calls each opener in turn (the next only after the previous one resolved) and resolves with a
 * bundle that owns every resource. If an opener throws or rejects, or the signal aborts, the
 * resources already opened are closed, last opened first, before the call rejects.
 *
 * @typeParam T What the openers resolve with.
 * @param openers Called in order, each with the signal (or undefined).
 * @param options `{ signal }`: an already aborted signal rejects with its reason and calls no
 *   opener; an abort while opening closes what was opened (also a resource whose opener resolved
 *   after the abort) and rejects with `signal.reason`.
 * @returns The bundle. Disposing it closes every resource, last opened first, one at a time, each
 *   close awaited; disposing it again does nothing. When a close fails, the others still run and
 *   the dispose rejects (several failures nest in `SuppressedError`s).
 *   Rejects with the opener's error (or the signal's reason); when a close also fails while
 *   cleaning up, with a `SuppressedError` whose `error` is the close's error and whose
 *   `suppressed` is the earlier one. A value that is neither `null`, `undefined`, nor has
 *   `[Symbol.asyncDispose]` or `[Symbol.dispose]` is a `TypeError`.
 *
 * @example
 * ```ts
 * import { openAll } from "./modern.ts";
 * await using bundle = await openAll([openDatabase, openCache]);
 * const [db, cache] = bundle.resources;
 * // closed here: cache first, then db
 * ```
 */
export async function openAll<T extends Resource>(
  openers: readonly Opener<T>[],
  options: OpenAllOptions = {},
): Promise<ResourceBundle<T>> {
  const { signal } = options;
  await using stack = new AsyncDisposableStack();
  const resources: T[] = [];
  for (const open of openers) {
    signal?.throwIfAborted();
    resources.push(stack.use(await open(signal)));
  }
  signal?.throwIfAborted();
  const owned = stack.move(); // success: the bundle owns the resources now
  return { resources, [Symbol.asyncDispose]: () => owned.disposeAsync() };
}

/** What the body of {@linkcode runJob} receives. */
export interface Job<T extends Resource> {
  /** The opened resources, in the order of their openers. */
  readonly resources: readonly T[];
  /** Aborts at the deadline (TimeoutError) or when the caller's signal aborts (its reason). */
  readonly signal: AbortSignal;
  /**
   * Registers a cleanup to run when the job ends, before the resources are closed; cleanups run
   * in reverse order of registration. Throws a ReferenceError once the job has ended.
   */
  defer(cleanup: () => Promise<void> | void): void;
}

/** Options of {@linkcode runJob}. */
export interface RunJobOptions {
  /** The caller's cancellation. */
  signal?: AbortSignal;
  /** The deadline for opening and running, in ms (0 to 2^31 - 1, or Infinity). Default Infinity. */
  timeoutMs?: number;
}

/**
 * Opens the resources, runs `body`, and cleans up on every path: the body's deferred cleanups in
 * reverse order, then the resources, last opened first. Cleanup is never cut short by the signal.
 *
 * @typeParam T What the openers resolve with.
 * @typeParam R What `body` resolves with.
 * @param openers As for {@linkcode openAll}, called with the job's signal.
 * @param body The work: receives the resources, the job's signal and `defer`.
 * @param options `{ signal, timeoutMs }`: the job's signal aborts with a TimeoutError at the
 *   deadline, or with the caller's reason.
 * @returns What `body` resolved with, even if the signal aborted meanwhile (the body decides
 *   whether to stop). Rejects with what `body` (or an opener) threw; when a cleanup also fails,
 *   with a `SuppressedError` (`error`: the cleanup's, `suppressed`: the earlier one). Rejects
 *   with a RangeError for an invalid `timeoutMs` (never a synchronous throw).
 *
 * @example
 * ```ts
 * import { runJob } from "./modern.ts";
 * const report = await runJob([openDatabase], async ({ resources: [db], signal, defer }) => {
 *   const file = await createTempFile();
 *   defer(() => file.remove());
 *   return await db.query("SELECT ...", { signal });
 * }, { timeoutMs: 5000 });
 * ```
 */
export async function runJob<T extends Resource, R>(
  openers: readonly Opener<T>[],
  body: (job: Job<T>) => Promise<R> | R,
  options: RunJobOptions = {},
): Promise<R> {
  const signal = timeoutSignal(options.timeoutMs ?? Infinity, { signal: options.signal });
  await using stack = new AsyncDisposableStack();
  const { resources } = stack.use(await openAll(openers, { signal }));
  const defer = (cleanup: () => Promise<void> | void) => {
    stack.defer(cleanup);
  };
  return await body({ resources, signal, defer });
}
