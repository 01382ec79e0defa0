/**
 * The order service of `given_shop.ts` with every floating promise fixed (tasks 1 to 5), and a
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
 * Sends `text` to every recipient at once (a counter instead of Promise.all).
 *
 * @param mailer The mailer.
 * @param recipients The addresses.
 * @param text The e-mail.
 * @returns A promise that resolves when every e-mail has been sent.
 *
 * @example
 * ```ts
 * import { notifyAll } from "./shop.ts";
 * await notifyAll(mailer, ["a@example.com"], "hi");
 * ```
 */
export function notifyAll(
  mailer: Mailer,
  recipients: readonly string[],
  text: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let left = recipients.length;
    if (left === 0) return resolve();
    for (const to of recipients) {
      let sending: Promise<void>;
      try {
        sending = mailer.send(to, text);
      } catch (error) {
        reject(error); // the sends to the others still start
        continue;
      }
      sending.then(() => {
        if (--left === 0) resolve();
      }, reject);
    }
  });
}

/**
 * Runs `fn` with a connection (a promise chain).
 *
 * @param db The database.
 * @param fn The work.
 * @returns What `fn` resolved with.
 *
 * @example
 * ```ts
 * import { withConnection } from "./shop.ts";
 * await withConnection(db, (c) => c.query("SELECT 1"));
 * ```
 */
export function withConnection<T>(
  db: Database,
  fn: (connection: Connection) => Promise<T>,
): Promise<T> {
  return db.connect().then((connection) =>
    new Promise<T>((resolve) => resolve(fn(connection))).finally(() => connection.release())
  );
}

/**
 * Loads the customer and their orders at once; the first failure wins.
 *
 * @param api The API.
 * @param userId The customer's id.
 * @returns The dashboard.
 *
 * @example
 * ```ts
 * import { loadDashboard } from "./shop.ts";
 * await loadDashboard(api, "u1");
 * ```
 */
export async function loadDashboard(api: Api, userId: string): Promise<Dashboard> {
  const user = api.user(userId);
  const orders = api.orders(userId);
  // Handlers on both at once: a failure of either rejects `failed` while the other is awaited.
  const failed = new Promise<never>((_, reject) => {
    user.catch(reject);
    orders.catch(reject);
  });
  failed.catch(() => {});
  return {
    user: await Promise.race([user, failed]),
    orders: await Promise.race([orders, failed]),
  };
}

/**
 * Saves the order, then audits in the background (queueMicrotask and try/catch).
 *
 * @param db The database.
 * @param audit The audit log.
 * @param order The order.
 * @param reportError Gets audit failures.
 * @returns The order's id.
 *
 * @example
 * ```ts
 * import { placeOrder } from "./shop.ts";
 * await placeOrder(db, audit, order, console.error);
 * ```
 */
export async function placeOrder(
  db: Database,
  audit: AuditLog,
  order: Order,
  reportError: (error: unknown) => void,
): Promise<string> {
  await db.save(order);
  queueMicrotask(async () => {
    try {
      await audit.log("order placed", order.id);
    } catch (error) {
      reportError(error);
    }
  });
  return order.id;
}

/**
 * Runs `task` on a grid of `intervalMs` with a chain of timers, skipping grid points that fall
 * inside a run.
 *
 * @param intervalMs Milliseconds between two ticks.
 * @param task The work.
 * @param reportError Gets each failure.
 * @returns `stop()`.
 * @throws RangeError for a bad interval.
 *
 * @example
 * ```ts
 * import { every } from "./shop.ts";
 * const stop = every(1000, async () => {}, console.error);
 * await stop();
 * ```
 */
export function every(
  intervalMs: number,
  task: () => Promise<void>,
  reportError: (error: unknown) => void,
): () => Promise<void> {
  if (typeof intervalMs !== "number" || !(intervalMs > 0) || intervalMs === Infinity) {
    throw new RangeError(`bad interval: ${intervalMs}`);
  }
  const start = Date.now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();
  const arm = () => {
    const late = (Date.now() - start) % intervalMs;
    // At least 1 ms: a fractional remainder would round down to a 0 ms timer.
    timer = setTimeout(tick, Math.max(1, intervalMs - late));
  };
  const tick = async () => {
    timer = undefined;
    let done!: () => void;
    current = new Promise<void>((resolve) => (done = resolve));
    try {
      await task();
    } catch (error) {
      reportError(error);
    } finally {
      done();
    }
    if (!stopped) arm();
  };
  arm();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    return current;
  };
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

interface Watch {
  label: string;
  seen: boolean;
  order: number;
  outcome?: { ok: true } | { ok: false; reason: unknown };
}

/**
 * Names the promises nobody awaits; hands back a plain object with then/catch/finally (a
 * thenable), not a Promise subclass.
 *
 * @example
 * ```ts
 * import { PromiseTracker } from "./shop.ts";
 * new PromiseTracker().floating(); // []
 * ```
 */
export class PromiseTracker {
  #watches: Watch[] = [];
  #clock = 0;

  /**
   * Tracks a promise.
   *
   * @param promise The promise.
   * @param label Its name.
   * @returns A thenable that settles like `promise`.
   */
  track<T>(promise: PromiseLike<T>, label: string): Promise<T> {
    const watch: Watch = { label, seen: false, order: 0 };
    this.#watches.push(watch);
    const inner = Promise.resolve(promise).then(
      (value) => {
        watch.order = ++this.#clock;
        watch.outcome = { ok: true };
        return value;
      },
      (reason) => {
        watch.order = ++this.#clock;
        watch.outcome = { ok: false, reason };
        throw reason;
      },
    );
    inner.catch(() => {});
    const observed = <R>(f: () => R): R => {
      watch.seen = true;
      return f();
    };
    const thenable = {
      then: <A = T, B = never>(
        f?: ((value: T) => A | PromiseLike<A>) | null,
        r?: ((reason: unknown) => B | PromiseLike<B>) | null,
      ) => observed(() => inner.then(f, r)),
      catch: <B = never>(r?: ((reason: unknown) => B | PromiseLike<B>) | null) =>
        observed(() => inner.catch(r)),
      finally: (f?: (() => void) | null) => observed(() => inner.finally(f)),
      [Symbol.toStringTag]: "Promise",
    };
    return thenable as unknown as Promise<T>;
  }

  /**
   * The settled, unobserved promises, in settlement order.
   *
   * @returns The reports.
   */
  floating(): FloatingReport[] {
    const out: FloatingReport[] = [];
    for (const w of [...this.#watches].sort((a, b) => a.order - b.order)) {
      if (w.seen || !w.outcome) continue;
      out.push(
        w.outcome.ok
          ? { label: w.label, state: "fulfilled" }
          : { label: w.label, state: "rejected", reason: w.outcome.reason },
      );
    }
    return out;
  }

  /**
   * Labels not settled yet.
   *
   * @returns The labels.
   */
  pending(): string[] {
    return this.#watches.filter((w) => !w.outcome).map((w) => w.label);
  }

  /** Throws a FloatingPromiseError when something floats. */
  assertNoneFloating(): void {
    const labels = this.floating().map((f) => f.label);
    if (labels.length > 0) {
      throw Object.assign(new Error(`floating: ${labels.join(", ")}`), {
        name: "FloatingPromiseError",
      });
    }
  }
}
