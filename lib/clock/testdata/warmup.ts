// Code under test for lib's own tests: right only in creation order. A loader fills a cache in
// two 50 ms steps (connect, fetch); each reader waits 60 ms, then 40 ms, then reads, counting on
// the loader being done by t=100. Both land at t=100 ms: the loader's fetch timer (armed at
// t=50) fires first only because it was created before the readers' (armed at t=60).

/** Loads the cache and serves `reads` reads from it; resolves with what each read saw. */
export function warmUpAndServe(reads: number): Promise<string[]> {
  const cache = new Map<string, string>();
  const seen: string[] = [];
  const fetch = () => {
    setTimeout(() => cache.set("greeting", "hello"), 50);
  };
  const read = (resolve: (seen: string[]) => void) => {
    seen.push(cache.get("greeting") ?? "miss");
    if (seen.length === reads) resolve(seen);
  };
  return new Promise((resolve) => {
    setTimeout(fetch, 50);
    for (let i = 0; i < reads; i++) {
      setTimeout(() => {
        setTimeout(read, 40, resolve);
      }, 60);
    }
  });
}
