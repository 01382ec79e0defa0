/**
 * Where the grader's own workbook is: the folder above grader/ (its node_modules, lib/ and
 * configs). Every layer may import it.
 *
 * @module
 */

import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The workbook the grader lives in. */
export const TOOL_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
