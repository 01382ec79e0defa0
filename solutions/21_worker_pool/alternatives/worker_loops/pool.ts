/**
 * Another correct WorkerPool: each thread runs an async "worker loop" that takes the next job
 * from a shared FIFO list and awaits its reply; a new loop (and thread) starts while fewer than
 * `size` exist and jobs wait. Replies still settle jobs by id.
 *
 * @module
 */
import { type JobReply, reviveError } from "./protocol.ts";

const HOST_URL = new URL("./worker_main.ts", import.meta.url).href;

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /** The most threads at once. Default `navigator.hardwareConcurrency`. */
  size?: number;
}

/** Options of {@linkcode WorkerPool.run}. */
export interface RunOptions {
  /** Cancels the job. */
  signal?: AbortSignal;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Task {
  id: number;
  fnName: string;
  args: unknown[];
  settle(outcome: Outcome): void;
  done: boolean;
  running?: Lane;
}

interface Lane {
  worker: Worker;
  /** The reply (or crash) of the job in flight. */
  current?: { id: number; resolve(outcome: Outcome | "crash", message?: string): void };
}

/** A pool of Worker threads, in the worker-loop style. */
export class WorkerPool implements AsyncDisposable {
  /** Absolute URL of the jobs' module. */
  readonly moduleUrl: string;
  /** The most threads at once. */
  readonly size: number;
  private lanes = new Set<Lane>();
  private waiting: Task[] = [];
  private live = new Set<Task>();
  private ids = 0;
  private closed = false;

  constructor(moduleUrl: string | URL, options: WorkerPoolOptions = {}) {
    const size = options.size === undefined ? navigator.hardwareConcurrency : options.size;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size <= 0) {
      throw new RangeError(`invalid size: ${size}`);
    }
    this.size = size;
    this.moduleUrl = new URL(moduleUrl).toString();
  }

  /** Threads alive now. */
  get threads(): number {
    return this.lanes.size;
  }

  /** Runs `fnName(...args)` on a thread. */
  async run<T = unknown>(
    fnName: string,
    args: unknown[] = [],
    options: RunOptions = {},
  ): Promise<T> {
    if (this.closed) {
      const error = new Error("disposed");
      error.name = "InvalidStateError";
      throw error;
    }
    const signal = options.signal;
    signal?.throwIfAborted();
    const outcome = await new Promise<Outcome>((resolve) => {
      const task: Task = {
        id: ++this.ids,
        fnName,
        args,
        done: false,
        settle: (o) => {
          if (task.done) return;
          task.done = true;
          this.live.delete(task);
          signal?.removeEventListener("abort", onAbort);
          resolve(o);
        },
      };
      const onAbort = () => {
        if (task.done) return;
        this.waiting = this.waiting.filter((t) => t !== task);
        if (task.running) this.kill(task.running);
        task.settle({ ok: false, error: signal!.reason });
        this.grow();
      };
      signal?.addEventListener("abort", onAbort);
      this.live.add(task);
      this.waiting.push(task);
      this.grow();
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiting = [];
    for (const lane of [...this.lanes]) this.kill(lane);
    for (const task of [...this.live]) {
      task.settle({ ok: false, error: new DOMException("disposed", "AbortError") });
    }
    await null;
  }

  /** Starts lanes while jobs wait and idle capacity is missing. */
  private grow(): void {
    const idle = [...this.lanes].filter((l) => !l.current).length;
    let missing = this.waiting.length - idle;
    for (const lane of this.lanes) if (!lane.current && this.waiting.length) this.next(lane);
    while (missing > 0 && this.lanes.size < this.size && this.waiting.length > 0) {
      missing--;
      const lane: Lane = { worker: new Worker(HOST_URL, { type: "module" }) };
      lane.worker.addEventListener("message", (e) => {
        const reply = (e as MessageEvent<JobReply>).data;
        if (lane.current?.id === reply.id) {
          lane.current.resolve(
            reply.ok
              ? { ok: true, value: reply.value }
              : { ok: false, error: reviveError(reply.error) },
          );
        }
      });
      lane.worker.addEventListener("error", (e) => {
        (e as ErrorEvent).preventDefault();
        if (lane.current) lane.current.resolve("crash", (e as ErrorEvent).message);
        else {
          // An idle lane died: it leaves the pool (a dead Worker would swallow the next job).
          this.kill(lane);
          this.grow();
        }
      });
      this.lanes.add(lane);
      this.next(lane);
    }
  }

  /** The worker loop: give the lane the next job, wait for its outcome, repeat. */
  private next(lane: Lane): void {
    if (lane.current || !this.lanes.has(lane)) return;
    const task = this.waiting.shift();
    if (!task) return;
    task.running = lane;
    void new Promise<Outcome | "crash">((resolve, reject) => {
      lane.current = {
        id: task.id,
        resolve: (
          o,
          message,
        ) => (o === "crash" ? reject(new Error(`crashed: ${message}`)) : resolve(o)),
      };
      try {
        lane.worker.postMessage({
          id: task.id,
          moduleUrl: this.moduleUrl,
          fnName: task.fnName,
          args: task.args,
        });
      } catch (error) {
        resolve({ ok: false, error });
      }
    }).then(
      (outcome) => {
        lane.current = undefined;
        task.settle(outcome as Outcome);
        this.next(lane);
        this.grow();
      },
      (error) => {
        this.kill(lane);
        task.settle({ ok: false, error });
        this.grow();
      },
    );
  }

  private kill(lane: Lane): void {
    lane.worker.terminate();
    lane.current = undefined;
    this.lanes.delete(lane);
  }
}
