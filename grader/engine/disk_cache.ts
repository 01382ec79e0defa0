/**
 * A content-addressed cache in the grader's workbook (`.workbook/cache/<kind>/<key>.json`, git
 * ignored): what the grader derives from files that rarely change (type-check results, the tests a
 * file declares) is computed once per content. Keys hash the inputs and the code that derives
 * from them, so a changed input or grader never meets a stale entry. A workbook that cannot be
 * written keeps no cache, and everything still works.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A hex SHA-256 of some parts (strings), each length-prefixed so no two lists collide.
 *
 * @param parts The inputs.
 * @returns The key.
 */
export function hashKey(...parts: string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(`${p.length}:`).update(p);
  return h.digest("hex");
}

/**
 * The hash of modules' own source (the code a cached value depends on).
 *
 * @param urls `import.meta.url`-style URLs of the modules.
 * @returns The key part.
 */
export function codeKey(...urls: string[]): string {
  return hashKey(...urls.map((u) => readFileSync(fileURLToPath(u), "utf8")));
}

function file(root: string, kind: string, key: string): string {
  return join(root, ".workbook", "cache", kind, `${key}.json`);
}

/**
 * Reads a cached value.
 *
 * @param root The grader's workbook.
 * @param kind The cache's folder ("typecheck", "tests").
 * @param key The entry's key.
 * @returns The value, or undefined when there is none.
 */
export function readCached<T>(root: string, kind: string, key: string): T | undefined {
  try {
    return (JSON.parse(readFileSync(file(root, kind, key), "utf8")) ?? undefined) as T | undefined;
  } catch {
    // No entry (or a damaged one): the caller computes it again.
    return undefined;
  }
}

/**
 * Writes a cached value.
 *
 * @param root The grader's workbook.
 * @param kind The cache's folder.
 * @param key The entry's key.
 * @param value Plain data.
 */
export function writeCached(root: string, kind: string, key: string, value: unknown): void {
  try {
    mkdirSync(dirname(file(root, kind, key)), { recursive: true });
    writeFileSync(file(root, kind, key), JSON.stringify(value));
  } catch {
    // A read-only workbook keeps no cache: the value is computed each time, nothing else changes.
  }
}

/**
 * A value from memory, then the disk, then `compute` (which fills both).
 *
 * @param memory This process's entries.
 * @param root The grader's workbook.
 * @param kind The cache's folder.
 * @param key The entry's key.
 * @param compute Derives the value.
 * @returns The value.
 */
export function cached<T>(
  memory: Map<string, T>,
  root: string,
  kind: string,
  key: string,
  compute: () => T,
): T {
  const hit = memory.get(key) ?? readCached<T>(root, kind, key);
  if (hit !== undefined) {
    memory.set(key, hit);
    return hit;
  }
  const value = compute();
  memory.set(key, value);
  writeCached(root, kind, key, value);
  return value;
}
