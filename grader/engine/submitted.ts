/**
 * Copies one submitted stub file into a grading workspace, taking only what a student can honestly
 * submit: a regular file of at most 1 MiB, reached without a symbolic link below the submission's
 * root. Anything else (a link to the reference solution or to /etc/passwd, a named pipe, a
 * device, a huge file) is never opened for reading: its place in the workspace gets a module that
 * fails to load with the reason, so every test of that exercise fails saying why and the others
 * are graded as usual.
 *
 * @module
 */

import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { sep } from "node:path";
import { type AstNode, parseModule } from "./parse.ts";

/**
 * Why a stub's source is refused, or null: import attributes (`with { type: "text" }`) would load
 * any file of the workspace, the hidden tests and the harness's entry included, as part of the
 * module graph (Deno asks no read permission for it); no exercise needs them.
 *
 * @param source The stub's text.
 * @returns The reason, or null.
 */
export function refusedSource(source: string): string | null {
  const program = parseModule(source);
  if (program === null) return null;
  let found: string | null = null;
  const visit = (node: AstNode): void => {
    if (found !== null || node === null || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const line = node.loc?.start?.line ?? 0;
    const dynamicWithOptions = (node.type === "ImportExpression" && node.options) ||
      (node.type === "CallExpression" && node.callee?.type === "Import" &&
        node.arguments?.length > 1);
    if ((Array.isArray(node.attributes) && node.attributes.length > 0) || dynamicWithOptions) {
      found =
        `it imports with attributes (\`with { ... }\`, line ${line}), which stubs may not use`;
      return;
    }
    for (const key of Object.keys(node)) {
      if (key === "loc" || key.endsWith("Comments")) continue;
      const v = node[key];
      if (v !== null && typeof v === "object") visit(v);
    }
  };
  visit(program);
  return found;
}

/** The largest stub file graded. */
export const MAX_STUB_BYTES = 1024 * 1024;

/** Why a path cannot be taken as a submitted file, or null when it can. */
function refusal(src: string, root: string | undefined): string | null {
  let st;
  try {
    st = lstatSync(src);
  } catch (e) {
    return `it cannot be read (${(e as Error).message})`;
  }
  if (st.isSymbolicLink()) return "it is a symbolic link, not a file: submit the file itself";
  if (!st.isFile()) return "it is not a regular file (a pipe, a device or a folder)";
  if (st.size > MAX_STUB_BYTES) {
    return `it is ${st.size} bytes, more than the ${MAX_STUB_BYTES} a stub file may have`;
  }
  if (root !== undefined) {
    const real = realpathSync(src);
    const top = realpathSync(root);
    if (!real.startsWith(top + sep)) {
      return "it is reached through a symbolic link that leads outside the submission";
    }
  }
  return null;
}

/** The module put in place of a refused file: it fails to load, saying why. */
export function refusedModule(label: string, why: string): string {
  return `throw new Error(${
    JSON.stringify(`the grader did not take ${label} from the submission: ${why}`)
  });\nexport {};\n`;
}

/**
 * Reads a submitted file, or says why it is refused.
 *
 * @param src The submitted file.
 * @param root The submission folder `src` must stay inside (no check when absent).
 * @returns Its bytes, or the reason it was refused.
 */
export function readSubmitted(
  src: string,
  root?: string,
): { bytes: Uint8Array } | { refused: string } {
  const why = refusal(src, root);
  if (why !== null) return { refused: why };
  // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a pipe since lstat is not followed
  // and cannot block; fstat then checks what was opened.
  let fd: number;
  try {
    fd = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    return { refused: `it cannot be opened (${(e as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_STUB_BYTES) {
      return {
        refused: "it changed into something other than a small regular file while it was read",
      };
    }
    const buf = new Uint8Array(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, null);
      if (n === 0) break;
      got += n;
    }
    return { bytes: buf.subarray(0, got) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies a submitted file, or writes the refusal module in its place.
 *
 * @param src The submitted file.
 * @param dst Where it goes in the workspace.
 * @param label The stub's name in messages ("add.ts").
 * @param root The submission folder `src` must stay inside (no check when absent).
 * @returns Null when copied, else the reason it was refused.
 */
export function copySubmitted(
  src: string,
  dst: string,
  label: string,
  root?: string,
): string | null {
  const r = readSubmitted(src, root);
  // Only a submission's source is checked (root given): solutions and mutants are trusted.
  const why = "refused" in r
    ? r.refused
    : root !== undefined
    ? refusedSource(new TextDecoder().decode(r.bytes))
    : null;
  if (why !== null) {
    writeFileSync(dst, refusedModule(label, why));
    return why;
  }
  writeFileSync(dst, (r as { bytes: Uint8Array }).bytes);
  return null;
}
