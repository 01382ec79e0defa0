// GIVEN: fake services for the tests (and for your own experiments); you do not edit them
/**
 * Fakes of the services `given_shop.ts` talks to. They run on the global `setTimeout`, so they
 * take virtual time in the tests, and they record what was done to them.
 *
 * @module
 */
import type { Api, AuditLog, Connection, Database, Mailer, Order, User } from "./given_shop.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** When and how one call fails. */
export interface Failure {
  /** Virtual ms before the call rejects (default 0). */
  afterMs?: number;
  /** The error it rejects with. */
  error: unknown;
  /** Throw synchronously instead of rejecting. */
  sync?: boolean;
}

/** A mailer whose sends take `latencyMs[to]` (default 10) and may fail per address. */
export class FakeMailer implements Mailer {
  /** `to` of every finished send, in the order they finished. */
  readonly sent: string[] = [];
  /** `to` of every send started. */
  readonly started: string[] = [];
  /**
   * @param latencyMs Virtual ms per address.
   * @param failures How the sends to some addresses fail.
   */
  constructor(
    readonly latencyMs: Record<string, number> = {},
    readonly failures: Record<string, Failure> = {},
  ) {}

  send(to: string, _text: string): Promise<void> {
    const failure = this.failures[to];
    if (failure?.sync) throw failure.error;
    this.started.push(to);
    if (failure) {
      return sleep(failure.afterMs ?? 0).then(() => Promise.reject(failure.error));
    }
    return sleep(this.latencyMs[to] ?? 10).then(() => void this.sent.push(to));
  }
}

/** A connection whose queries take 10 ms and fail once it has been released. */
export class FakeConnection implements Connection {
  /** How many times `release()` was called. */
  releases = 0;
  /** Virtual time of the first `release()`. */
  releasedAt: number | undefined;
  /** Queries that ran to their end. */
  readonly queries: string[] = [];
  /** @param now Reads the virtual time. */
  constructor(private readonly now: () => number) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.releases > 0) throw new Error(`query "${sql}" on a released connection`);
    await sleep(10);
    if (this.releases > 0) throw new Error(`connection released while "${sql}" ran`);
    this.queries.push(sql);
    return [{ sql }];
  }

  release(): void {
    this.releases++;
    this.releasedAt ??= this.now();
  }
}

/** Options of {@linkcode FakeDatabase}. */
export interface FakeDatabaseOptions {
  /** How `connect()` fails, if it does. */
  connectFailure?: Failure;
  /** How `save()` fails, if it does. */
  saveFailure?: Failure;
  /** Virtual ms a save takes (default 10). */
  saveMs?: number;
}

/** A database: `connect()` takes 5 ms, `save()` `saveMs`. */
export class FakeDatabase implements Database {
  /** Every connection handed out. */
  readonly connections: FakeConnection[] = [];
  /** Ids of the orders saved. */
  readonly saved: string[] = [];
  /** @param now Reads the virtual time. */
  constructor(private readonly now: () => number, readonly options: FakeDatabaseOptions = {}) {}

  async connect(): Promise<Connection> {
    const failure = this.options.connectFailure;
    await sleep(failure?.afterMs ?? 5);
    if (failure) throw failure.error;
    const connection = new FakeConnection(this.now);
    this.connections.push(connection);
    return connection;
  }

  async save(order: Order): Promise<void> {
    const failure = this.options.saveFailure;
    await sleep(failure?.afterMs ?? this.options.saveMs ?? 10);
    if (failure) throw failure.error;
    this.saved.push(order.id);
  }
}

/** An audit log whose entries take `latencyMs` (default 50) and may fail. */
export class FakeAudit implements AuditLog {
  /** `event:id` of every entry started, with the virtual time it started. */
  readonly started: { entry: string; at: number }[] = [];
  /** `event:id` of every entry written. */
  readonly written: string[] = [];
  /**
   * @param now Reads the virtual time.
   * @param failure How every entry fails, if they do.
   * @param latencyMs Virtual ms per entry.
   */
  constructor(
    private readonly now: () => number,
    readonly failure?: Failure,
    readonly latencyMs = 50,
  ) {}

  log(event: string, id: string): Promise<void> {
    if (this.failure?.sync) throw this.failure.error;
    this.started.push({ entry: `${event}:${id}`, at: this.now() });
    const failure = this.failure;
    return sleep(failure?.afterMs ?? this.latencyMs).then(() => {
      if (failure) throw failure.error;
      this.written.push(`${event}:${id}`);
    });
  }
}

/** Options of {@linkcode FakeApi}. */
export interface FakeApiOptions {
  /** Virtual ms of `user()` (default 30). */
  userMs?: number;
  /** Virtual ms of `orders()` (default 20). */
  ordersMs?: number;
  /** How `user()` fails, if it does. */
  userFailure?: Failure;
  /** How `orders()` fails, if it does. */
  ordersFailure?: Failure;
}

/** An API with a customer and two orders. */
export class FakeApi implements Api {
  /** Each call made: `user:id` or `orders:id`, with the virtual time. */
  readonly calls: { call: string; at: number }[] = [];
  /**
   * @param now Reads the virtual time.
   * @param options Timing and failures.
   */
  constructor(private readonly now: () => number, readonly options: FakeApiOptions = {}) {}

  async user(id: string): Promise<User> {
    this.calls.push({ call: `user:${id}`, at: this.now() });
    const failure = this.options.userFailure;
    await sleep(failure?.afterMs ?? this.options.userMs ?? 30);
    if (failure) throw failure.error;
    return { id, name: `Customer ${id}` };
  }

  async orders(id: string): Promise<Order[]> {
    this.calls.push({ call: `orders:${id}`, at: this.now() });
    const failure = this.options.ordersFailure;
    await sleep(failure?.afterMs ?? this.options.ordersMs ?? 20);
    if (failure) throw failure.error;
    return [
      { id: "o1", customer: id, total: 10 },
      { id: "o2", customer: id, total: 25 },
    ];
  }
}
