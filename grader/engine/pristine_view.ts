/**
 * Whether stubs were edited, for many stubs at the cost of a few git calls: the pristine blob ids
 * of a ref's exercises/ come from one `git ls-tree` and each stub is compared by its blob id.
 * (Asking `git show` per stub took up to four processes each: 0.5 s for `list` over 32
 * exercises.) A view reads git once; make a new one when git may have changed (each command,
 * each re-grade).
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { snapshotPath } from "./pristine.ts";

/** The refs that hold the pristine stubs, in order (as pristineStub reads them). */
export const PRISTINE_REFS = ["@{upstream}", "origin/HEAD", "HEAD"] as const;

/**
 * Git's id of a blob with these bytes (SHA-1, or SHA-256 in a repository that uses it).
 *
 * @param bytes The file's bytes.
 * @param hexLength 40 (SHA-1) or 64 (SHA-256): the length of the repository's ids.
 * @returns The hex id.
 */
export function blobId(bytes: Uint8Array, hexLength: number): string {
  return createHash(hexLength === 64 ? "sha256" : "sha1")
    .update(`blob ${bytes.length}\0`)
    .update(bytes)
    .digest("hex");
}

/** Answers "was this stub edited?" for one workbook, reading git at most once per ref. */
export class PristineView {
  readonly #root: string;
  #inGit: boolean | undefined;
  readonly #trees = new Map<string, Map<string, string> | null>();

  /** @param root The workbook (the learner's copy). */
  constructor(root: string) {
    this.#root = root;
  }

  #git(args: string[]): string | null {
    const r = spawnSync("git", args, {
      cwd: this.#root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return r.status === 0 ? r.stdout : null;
  }

  /** exercises/ of a ref: path -> blob id, or null when the ref does not resolve. */
  #tree(ref: string): Map<string, string> | null {
    if (!this.#trees.has(ref)) {
      const out = this.#git(["ls-tree", "-r", "-z", "--full-tree", ref, "--", "exercises/"]);
      let tree: Map<string, string> | null = null;
      if (out !== null) {
        tree = new Map();
        for (const entry of out.split("\0")) {
          // "<mode> blob <id>\t<path>"
          const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
          if (m) tree.set(m[2]!, m[1]!);
        }
      }
      this.#trees.set(ref, tree);
    }
    return this.#trees.get(ref)!;
  }

  /**
   * Whether a stub differs from its pristine version: the snapshot's text when there is one,
   * else the blob of the first ref that has the file.
   *
   * @param dir Exercise folder name.
   * @param stub Stub file name.
   * @returns true when edited (or deleted), false when pristine, null when no pristine copy is
   *   known.
   */
  isEdited(dir: string, stub: string): boolean | null {
    const mine = join(this.#root, "exercises", dir, stub);
    const snap = snapshotPath(this.#root, dir, stub);
    if (existsSync(snap)) {
      return !existsSync(mine) || readFileSync(mine, "utf8") !== readFileSync(snap, "utf8");
    }
    if (this.#inGit === undefined) {
      this.#inGit = existsSync(join(this.#root, ".git")) &&
        this.#git(["rev-parse", "--is-inside-work-tree"]) !== null;
    }
    if (!this.#inGit) return null;
    const rel = `exercises/${dir}/${stub}`;
    for (const ref of PRISTINE_REFS) {
      const id = this.#tree(ref)?.get(rel);
      if (id === undefined) continue;
      return !existsSync(mine) || blobId(readFileSync(mine), id.length) !== id;
    }
    return null;
  }
}

/**
 * Whether a learner's stub differs from its pristine version.
 *
 * @param root Workbook root.
 * @param dir Exercise folder name.
 * @param stub Stub file name.
 * @returns true when edited (or deleted), false when pristine, null when no pristine copy is known.
 *   For many stubs, one {@linkcode PristineView} reads git once for all of them.
 */
export function isEdited(root: string, dir: string, stub: string): boolean | null {
  return new PristineView(root).isEdited(dir, stub);
}
