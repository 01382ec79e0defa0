// Code under test for lib's own tests: right only in creation order. It starts loading a cache
// and serving reads on two timers of the same delay, and counts on the loader's timer firing
// first because it was created first.

/** Loads the cache, then serves `reads` reads from it; returns what each read saw. */
export function warmUpAndServe(reads: number, delayMs: number): Promise<string[]> {
  const cache = new Map<string, string>();
  const seen: string[] = [];
  return new Promise((resolve) => {
    setTimeout(() => cache.set("greeting", "hello"), delayMs);
    for (let i = 0; i < reads; i++) {
      setTimeout(() => {
        seen.push(cache.get("greeting") ?? "miss");
        if (seen.length === reads) resolve(seen);
      }, delayMs);
    }
  });
}
