/**
 * Copying a workbook selectively: a walk that keeps the files a filter accepts, refusing to write
 * into a folder that already has something in it.
 *
 * @module
 */

import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Throws unless `dir` is missing or empty.
 *
 * @param dir Target folder.
 * @param what What is being written, for the message.
 * @throws {Error} When the folder holds files, naming it.
 */
export function ensureEmptyDir(dir: string, what: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(
      `Cannot write ${what} into "${dir}": the folder is not empty (choose a new folder or empty it first)`,
    );
  }
  mkdirSync(dir, { recursive: true });
}

/**
 * Lists the files under a folder that a filter keeps, as `/`-separated relative paths, sorted.
 * Symbolic links and node_modules are never followed.
 *
 * @param root Folder to walk.
 * @param keep Decides per relative path (folders are given with a trailing "/").
 * @returns Relative file paths.
 */
export function listFiles(root: string, keep: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === "node_modules" || name === ".git") continue;
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, name));
      if (st.isDirectory()) {
        if (keep(`${r}/`)) walk(join(dir, name), r);
      } else if (st.isFile() && keep(r)) out.push(r);
    }
  };
  walk(root, "");
  return out;
}

/**
 * Copies relative paths from one root to another, creating folders.
 *
 * @param from Source root.
 * @param to Target root.
 * @param files Relative paths.
 */
export function copyFiles(from: string, to: string, files: string[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(join(from, f), join(to, f));
  }
}
