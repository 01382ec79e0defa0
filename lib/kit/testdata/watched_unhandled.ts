// Run as a plain script (no test runner, as the harness runs tests): a watched primitive's
// rejected call that nobody handles must still fail the run as an unhandled rejection, tracked
// or not (watched() remembers the promise, never attaches a handler). Prints the outcomes as JSON.
import { LOCK, runWithClock, watched } from "../../mod.ts";

class Rejects {
  locked(): boolean {
    return false;
  }
  acquire(): Promise<void> {
    return Promise.reject(new Error("lost"));
  }
}
const Lock = watched(Rejects, LOCK);

const outcome = (track: boolean) =>
  runWithClock(async (clock) => {
    void new Lock().acquire();
    await clock.sleep(1);
  }, { track }).then(() => "resolved", (e) => e.name);

console.log(JSON.stringify({ tracked: await outcome(true), untracked: await outcome(false) }));
