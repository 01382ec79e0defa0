// Hostile code under test, loaded after lib: replaces the global timer functions and the time
// sources. The clock's sleeps, the kit's latencies and the driver must not notice.
// deno-lint-ignore-file no-explicit-any
const g = globalThis as any;
const realSetTimeout = g.setTimeout;
g.setTimeout = (cb: (...a: unknown[]) => void, _ms?: number, ...args: unknown[]) =>
  realSetTimeout(cb, 0, ...args); // every delay becomes 0: sequential work looks instant
g.setInterval = (cb: () => void) => realSetTimeout(cb, 0);
g.setImmediate = (cb: () => void) => cb();
g.clearTimeout = () => {};
g.clearInterval = () => {};
g.clearImmediate = () => {};
g.queueMicrotask = (cb: () => void) => cb();
g.Date = class extends Date {
  static override now() {
    return 0;
  }
};
try {
  g.performance.now = () => 0;
} catch {
  // lib made performance.now read-only.
}
try {
  g.AbortSignal.timeout = () => AbortSignal.abort();
} catch {
  // Not writable on this runtime.
}
export const attack = "replace_timers";
