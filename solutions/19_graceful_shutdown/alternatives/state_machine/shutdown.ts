/**
 * Another correct runService/TaskRegistry: an explicit state machine ("running" -> "stopping" ->
 * "forced") and a registry that keeps an array of records and wraps each task in an async
 * function.
 *
 * @module
 */

/** What runService needs from process. */
export interface ProcessLike {
  on(event: string, listener: (signal: string) => void): unknown;
  off(event: string, listener: (signal: string) => void): unknown;
  exit(code?: number): void;
}

/** Options of runService. */
export interface RunServiceOptions {
  signals?: string[];
  graceMs?: number;
  process?: ProcessLike;
}

/** The service. */
export type ServiceMain = (
  signal: AbortSignal,
  force: AbortSignal,
  tasks: TaskRegistry,
) => Promise<void>;

/** Exit codes. */
export const EXIT_CODES = { clean: 0, failed: 1, forced: 2 } as const;

/** Options of TaskRegistry. */
export interface TaskRegistryOptions {
  onError?: (error: unknown, name: string) => void;
}

type Rec = { name: string; ac: AbortController; settled: Promise<unknown> };

/** The tasks a service owns. */
export class TaskRegistry {
  private records: Rec[] = [];
  constructor(private readonly options: TaskRegistryOptions = {}) {}

  spawn<T>(name: string, fn: (signal: AbortSignal) => T | Promise<T>): Promise<T> {
    const ac = new AbortController();
    const task = (async () => await fn(ac.signal))();
    const rec: Rec = { name, ac, settled: Promise.resolve() };
    this.records.push(rec);
    rec.settled = task.then(
      () => this.drop(rec),
      (error: unknown) => {
        this.drop(rec);
        if (!ac.signal.aborted || ac.signal.reason !== error) this.options.onError?.(error, name);
      },
    );
    return task;
  }

  get running(): string[] {
    return this.records.map((r) => r.name);
  }

  async cancelAll(reason?: unknown): Promise<number> {
    const now = this.records.slice();
    for (const r of now) r.ac.abort(reason);
    await Promise.allSettled(now.map((r) => r.settled));
    return now.length;
  }

  private drop(rec: Rec): void {
    const i = this.records.indexOf(rec);
    if (i !== -1) this.records.splice(i, 1);
  }
}

/** Runs a service until it stops, then exits. */
export async function runService(
  main: ServiceMain,
  options: RunServiceOptions = {},
): Promise<number> {
  const graceMs = options.graceMs === undefined ? 10_000 : options.graceMs;
  if (typeof graceMs !== "number" || Number.isNaN(graceMs) || graceMs < 0) {
    throw new RangeError("graceMs");
  }
  const proc = options.process ?? (globalThis as unknown as { process: ProcessLike }).process;
  const names = options.signals ?? ["SIGINT", "SIGTERM"];
  let state: "running" | "stopping" | "forced" = "running";
  let failed = false;
  const stop = new AbortController();
  const force = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const clear = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const toForced = (reason: unknown) => {
    if (state === "forced") return;
    state = "forced";
    clear();
    force.abort(reason);
    void registry.cancelAll(reason);
  };
  const toStopping = (message: string) => {
    state = "stopping";
    stop.abort(new DOMException(message, "AbortError"));
    if (Number.isFinite(graceMs)) {
      timer = setTimeout(
        () => toForced(new DOMException("grace period over", "TimeoutError")),
        graceMs,
      );
    }
  };
  const isAsked = (e: unknown) =>
    (stop.signal.aborted && e === stop.signal.reason) ||
    (force.signal.aborted && e === force.signal.reason);
  const registry = new TaskRegistry({
    onError: (error, name) => {
      if (isAsked(error)) return;
      failed = true;
      if (state === "running") toStopping(`task ${name} failed`);
    },
  });
  const handlers = new Map<string, () => void>();
  for (const name of names) {
    const h = () => (state === "running"
      ? toStopping(`received ${name}`)
      : toForced(new DOMException(`second ${name}`, "AbortError")));
    handlers.set(name, h);
    proc.on(name, h);
  }
  try {
    await Promise.resolve().then(() => main(stop.signal, force.signal, registry));
  } catch (e) {
    if (!isAsked(e)) failed = true;
  }
  await registry.cancelAll(new DOMException("stopped", "AbortError"));
  clear();
  for (const [name, h] of handlers) proc.off(name, h);
  const code = state === "forced" ? 2 : failed ? 1 : 0;
  proc.exit(code);
  return code;
}
