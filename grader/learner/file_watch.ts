/**
 * Notices when a learner saves a file: `fs.watch` on the files' folders (editors that save by
 * writing a new file and renaming it still trigger it), or polling each file's mtime and size
 * every ~500 ms where file events are unreliable (network drives, some containers and VMs) or
 * when asked with `--poll`. Bursts of events are merged into one call.
 *
 * @module
 */

import { existsSync, type FSWatcher, statSync, watch } from "node:fs";
import { basename, dirname } from "node:path";

/** Options of {@linkcode watchFiles}. */
export interface WatchOptions {
  /** Poll instead of using file events. */
  poll: boolean;
  /** Poll period, ms (default 100: a stat of a few files, too cheap to notice). */
  intervalMs?: number;
  /**
   * Quiet time before a burst of events is reported, ms (default 30: an editor's save, even a
   * write to a temporary file and a rename, is one burst well within it).
   */
  debounceMs?: number;
  /** Told when file events fail after the watch started (the folder went away). */
  onError?: (error: Error) => void;
}

/** A running watch. */
export interface FileWatch {
  /** "events" or "polling", for the screen. */
  mode: "events" | "polling";
  /** Stops watching. */
  stop(): void;
}

function signature(p: string): string {
  try {
    const st = statSync(p);
    return `${st.mtimeMs}:${st.size}`;
  } catch (e) {
    // A file that is gone (or not yet written back by the editor) is a change like any other.
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw e;
  }
}

/**
 * Calls `onChange` after any of `files` changes.
 *
 * @param files Absolute paths.
 * @param onChange Called once per burst of changes.
 * @param o Polling or events.
 * @returns The watch; call `stop()` to end it.
 *
 * @example
 * ```ts
 * const w = watchFiles(["/work/exercises/01_x/x.ts"], () => regrade(), { poll: false });
 * w.stop();
 * ```
 */
export function watchFiles(files: string[], onChange: () => void, o: WatchOptions): FileWatch {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, o.debounceMs ?? 30);
  };
  const names = new Set(files.map((f) => basename(f)));
  const startPolling = (): FileWatch => {
    const seen = new Map(files.map((f) => [f, signature(f)]));
    const iv = setInterval(() => {
      let changed = false;
      for (const f of files) {
        const s = signature(f);
        if (s !== seen.get(f)) {
          seen.set(f, s);
          changed = true;
        }
      }
      if (changed) fire();
    }, o.intervalMs ?? 100);
    return {
      mode: "polling",
      stop() {
        clearInterval(iv);
        if (timer) clearTimeout(timer);
      },
    };
  };
  if (o.poll) return startPolling();
  const watchers: FSWatcher[] = [];
  try {
    for (const dir of new Set(files.map((f) => dirname(f)))) {
      if (!existsSync(dir)) throw new Error(`no folder ${dir}`);
      const w = watch(dir, (_event, name) => {
        if (name === null || names.has(basename(String(name)))) fire();
      });
      w.on("error", (err) => o.onError?.(err));
      watchers.push(w);
    }
  } catch {
    // File events are unavailable here (no such folder, or fs.watch unsupported): poll instead,
    // and the screen says so through `mode`.
    for (const w of watchers) w.close();
    return startPolling();
  }
  return {
    mode: "events",
    stop() {
      for (const w of watchers) w.close();
      if (timer) clearTimeout(timer);
    },
  };
}
