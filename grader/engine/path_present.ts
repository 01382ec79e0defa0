/**
 * Whether anything is at a path, a symbolic link included: a submitted file that is a dangling
 * link must be refused with a reason, not taken for missing (existsSync follows links).
 *
 * @module
 */

import { lstatSync } from "node:fs";

/**
 * Whether lstat finds something at a path.
 *
 * @param p The path.
 * @returns True when something (a file, a folder, a link, even a dangling one) is there.
 *
 * @example
 * ```ts
 * import { pathPresent } from "./path_present.ts";
 * pathPresent("/"); // true
 * ```
 */
export function pathPresent(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    // ENOENT and the like: nothing there, as far as this user can see.
    return false;
  }
}
