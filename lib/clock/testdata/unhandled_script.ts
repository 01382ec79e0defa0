// Run as a plain script (no test runner): prints what the clock made of an unhandled rejection.
import { runWithClock } from "../../mod.ts";

const outcome = await runWithClock(async (clock) => {
  void Promise.reject(new Error("lost task"));
  await clock.sleep(10);
}).then(() => "resolved", (e: Error) => `${e.name}: ${e.message}`);
console.log(JSON.stringify({ outcome }));
