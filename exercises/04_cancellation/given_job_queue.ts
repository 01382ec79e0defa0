// GIVEN: the job queue's storage, put(), size and waiting; you write get() in cancellation.ts
/**
 * The part of the job queue that has nothing to do with cancellation, given so that the
 * exercise can focus on `get`.
 *
 * @module
 */

/**
 * A FIFO queue of jobs, without `get`. `put` hands a job straight to the oldest waiting `get`,
 * if there is one, by calling its waiter function; otherwise it keeps the job in `items`.
 *
 * @typeParam T The job type.
 *
 * @example
 * ```ts
 * import { JobQueueBase } from "./given_job_queue.ts";
 * class Queue<T> extends JobQueueBase<T> {}
 * const q = new Queue<string>();
 * q.put("resize cat.png");
 * q.size; // 1
 * ```
 */
export class JobQueueBase<T> {
  /** Jobs nobody has taken yet, oldest first. */
  protected readonly items: T[] = [];
  /** Waiting `get` calls, oldest first: `put` calls the first one with the job it hands over. */
  protected readonly waiters: Array<(job: T) => void> = [];

  /**
   * Adds a job: hands it to the oldest waiting `get`, or keeps it.
   *
   * @param job The job.
   *
   * @example
   * ```ts
   * import { JobQueueBase } from "./given_job_queue.ts";
   * new JobQueueBase<number>().put(1);
   * ```
   */
  put(job: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(job);
    else this.items.push(job);
  }

  /** Jobs waiting to be taken. */
  get size(): number {
    return this.items.length;
  }

  /** `get` calls waiting for a job. */
  get waiting(): number {
    return this.waiters.length;
  }
}
