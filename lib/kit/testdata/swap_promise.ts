// Hostile code under test, loaded after lib: replaces the global Promise binding with a subclass
// whose statics report success at once. Before lib captured its builtins, the clock's driver
// called this resolve() and every failing test passed (10/10 for an empty stub).
const Real = Promise;
// deno-lint-ignore no-explicit-any
class Instant extends (Real as any) {
  static resolve(): Promise<unknown> {
    const fake = { then: (ok?: (v: unknown) => unknown) => (ok?.(undefined), fake) };
    return fake as unknown as Promise<unknown>;
  }
  static race(): Promise<unknown> {
    return Instant.resolve();
  }
  static all(): Promise<unknown> {
    return Instant.resolve();
  }
  static reject(): Promise<unknown> {
    return Instant.resolve();
  }
}
(globalThis as { Promise: unknown }).Promise = Instant;
try {
  (Real.prototype as { then: unknown }).then = function () {
    return Instant.resolve();
  };
} catch {
  // Frozen by lib: the binding swap above is the attack that remains.
}
export const attack = "swap_promise";
