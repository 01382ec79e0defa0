/**
 * The workbook's progress bar: `[######>-------------]  6/19 done`.
 *
 * @module
 */

/**
 * Draws a progress bar.
 *
 * @param done Exercises done.
 * @param total Exercises in the workbook.
 * @param width Cells inside the brackets.
 * @returns One line of text.
 *
 * @example
 * ```ts
 * progressBar(1, 4, 8); // "[##>-----]  1/4 done"
 * ```
 */
export function progressBar(done: number, total: number, width = 40): string {
  const filled = total === 0 ? 0 : Math.round((width * done) / total);
  const head = filled < width && done < total ? ">" : "";
  const bar = "#".repeat(filled) + head + "-".repeat(Math.max(0, width - filled - head.length));
  return `[${bar}]  ${done}/${total} done`;
}
