// deno-lint-ignore-file no-unused-vars require-await -- unused until you write the bodies
/**
 * The order service of `given_shop.ts`, its floating promises fixed (tasks 1 to 5), and a
 * tracker that names the promises nobody awaits (task 6).
 *
 * A floating promise is one that is started and then neither awaited nor given a handler. Its
 * work may still be running when the caller thinks it is done, and its failure becomes an
 * unhandled rejection, which stops Node and Deno and is an error in Bun.
 *
 * @module
 */
import type {
  Api,
  AuditLog,
  Connection,
  Dashboard,
  Database,
  Mailer,
  Order,
} from "./given_shop.ts";

/**
 * Sends `text` to every recipient, all at once, and resolves when every e-mail has been sent. The
 * first failure (in time) rejects at once; the other sends go on, and their failures are not left
 * unhandled. A `send()` that throws instead of rejecting is that send's failure: `notifyAll`
 * rejects, and the sends to the other recipients still start.
 *
 * @param mailer The mailer.
 * @param recipients The addresses (duplicates are sent twice; none resolves at once).
 * @param text The e-mail.
 * @returns A promise that resolves when every e-mail has been sent.
 *
 * @example
 * ```ts
 * import { notifyAll } from "./shop.ts";
 * await notifyAll(mailer, ["a@example.com", "b@example.com"], "Your order shipped");
 * ```
 */
export async function notifyAll(
  mailer: Mailer,
  recipients: readonly string[],
  text: string,
): Promise<void> {
  // TODO: copy notifyAll from given_shop.ts, find the promises it lets float, and fix it so that it keeps every promise of its JSDoc
  throw new Error("not implemented: notifyAll (task 1)");
}

/**
 * Runs `fn` with a connection and releases the connection once, after `fn`'s promise has
 * settled: on success, on rejection, and when `fn` throws synchronously. Resolves with `fn`'s
 * value or rejects with its error. When `connect()` fails, rejects with its error and does not
 * call `fn`.
 *
 * @param db The database.
 * @param fn The work to do with the connection.
 * @returns What `fn` resolved with.
 *
 * @example
 * ```ts
 * import { withConnection } from "./shop.ts";
 * const rows = await withConnection(db, (c) => c.query("SELECT 1"));
 * ```
 */
export async function withConnection<T>(
  db: Database,
  fn: (connection: Connection) => Promise<T>,
): Promise<T> {
  // TODO: copy withConnection from given_shop.ts, find the promise that floats past the finally, and fix it
  throw new Error("not implemented: withConnection (task 2)");
}

/**
 * Loads the customer and their orders, both requests started at once. Resolves when both are
 * done; if either fails, rejects with its error as soon as it fails, without waiting for the
 * other, and leaves no rejection unhandled.
 *
 * @param api The API.
 * @param userId The customer's id.
 * @returns The customer and their orders.
 *
 * @example
 * ```ts
 * import { loadDashboard } from "./shop.ts";
 * const { user, orders } = await loadDashboard(api, "u1");
 * ```
 */
export async function loadDashboard(api: Api, userId: string): Promise<Dashboard> {
  // TODO: copy loadDashboard from given_shop.ts, find the promise that can reject with nobody listening, and fix it
  throw new Error("not implemented: loadDashboard (task 3)");
}

/**
 * Saves the order and resolves with its id once it is saved; a failed save rejects with its
 * error and writes no audit entry. After a successful save, writes the audit entry "order
 * placed" in the background: started before `placeOrder` resolves, not waited for, and its
 * failure (a rejection, or a synchronous throw of `audit.log`) goes to `reportError`, never to
 * the caller and never unhandled.
 *
 * @param db The database.
 * @param audit The audit log.
 * @param order The order.
 * @param reportError Called with an audit failure.
 * @returns The order's id.
 *
 * @example
 * ```ts
 * import { placeOrder } from "./shop.ts";
 * const id = await placeOrder(db, audit, order, (e) => console.error("audit failed", e));
 * ```
 */
export async function placeOrder(
  db: Database,
  audit: AuditLog,
  order: Order,
  reportError: (error: unknown) => void,
): Promise<string> {
  // TODO: copy placeOrder from given_shop.ts, find its two floating promises, and fix them: one must be awaited, one must not
  throw new Error("not implemented: placeOrder (task 4)");
}

/**
 * Runs `task` every `intervalMs` (the first run after `intervalMs`). A run's failure, a
 * rejection or a synchronous throw, goes to `reportError` and the runs go on. A tick that comes
 * while the previous run is still going is skipped: runs never overlap. The returned `stop()`
 * prevents further runs and resolves once the run in progress, if any, has finished.
 *
 * @param intervalMs Milliseconds between two ticks: a positive finite number.
 * @param task The work of one run.
 * @param reportError Called with each failed run's error.
 * @returns `stop()`.
 * @throws RangeError when `intervalMs` is not a positive finite number.
 *
 * @example
 * ```ts
 * import { every } from "./shop.ts";
 * const stop = every(60_000, () => flushCache(), console.error);
 * await stop();
 * ```
 */
export function every(
  intervalMs: number,
  task: () => Promise<void>,
  reportError: (error: unknown) => void,
): () => Promise<void> {
  // TODO: copy every from given_shop.ts, find the promises its timer callback lets float, and fix it (validation, failures, no overlap, a stop() that waits)
  throw new Error("not implemented: every (task 5)");
}

/** A tracked promise that settled while nobody was listening. */
export interface FloatingReport {
  /** The label it was tracked with. */
  label: string;
  /** How it settled. */
  state: "fulfilled" | "rejected";
  /** The rejection reason, for a rejected one. */
  reason?: unknown;
}

/**
 * Names the promises nobody awaits: each tracked promise is handed back wrapped, and the tracker
 * notes whether anybody attached a handler to the wrapper (`await`, `then`, `catch`, `finally`,
 * `Promise.all`...). A tracked promise that settles unobserved is reported by `floating()`; a
 * rejected one is reported there instead of becoming an unhandled rejection. A handler attached
 * later takes it off the list.
 *
 * @example
 * ```ts
 * import { PromiseTracker } from "./shop.ts";
 * const tracker = new PromiseTracker();
 * void tracker.track(Promise.reject(new Error("lost")), "audit entry");
 * await new Promise((resolve) => setTimeout(resolve, 0));
 * tracker.floating(); // [{ label: "audit entry", state: "rejected", reason: Error("lost") }]
 * ```
 */
export class PromiseTracker {
  // TODO: keep what you need to know about each tracked promise (its label, whether it was observed, how and when it settled)

  /**
   * Tracks a promise.
   *
   * @param promise The promise (or any thenable) to watch.
   * @param label How reports name it.
   * @returns A promise that settles like `promise` (same value, same reason): use it instead.
   */
  track<T>(promise: PromiseLike<T>, label: string): Promise<T> {
    // TODO: return a promise that settles like promise and notes when anybody calls its then() (a subclass of Promise whose then() is overridden works with await); handle its rejection yourself without counting that as observing
    throw new Error("not implemented: PromiseTracker.track (task 6)");
  }

  /**
   * The tracked promises that have settled and that nobody has attached a handler to, in the
   * order they settled.
   *
   * @returns One report per floating promise.
   */
  floating(): FloatingReport[] {
    // TODO: list the settled, unobserved promises in the order they settled
    throw new Error("not implemented: PromiseTracker.floating (task 6)");
  }

  /**
   * The labels of the tracked promises that have not settled yet, in the order they were tracked.
   *
   * @returns The labels.
   */
  pending(): string[] {
    // TODO: list the labels of the promises that have not settled yet
    throw new Error("not implemented: PromiseTracker.pending (task 6)");
  }

  /**
   * Throws when a tracked promise is floating: an Error named "FloatingPromiseError" whose message
   * names every floating promise by its label. Pending promises are not floating.
   *
   * @throws FloatingPromiseError.
   */
  assertNoneFloating(): void {
    // TODO: throw a FloatingPromiseError naming every floating promise, if there is one
    throw new Error("not implemented: PromiseTracker.assertNoneFloating (task 6)");
  }
}
