// A Worker that answers each message after `delayMs` of real time: real work for the clock.
// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
scope.onmessage = (event: MessageEvent<{ value: string; delayMs: number }>) => {
  setTimeout(() => scope.postMessage(`echo:${event.data.value}`), event.data.delayMs);
};
