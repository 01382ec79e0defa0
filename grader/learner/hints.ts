/**
 * Hints, one level at a time, for the first unfinished task. `HINTS.md` has `## Level N`
 * sections (1 a nudge, 2 the approach, 3 a skeleton), each with a `### Task K` section per task
 * of the README. A HINTS.md without task sections is read as one task, "0".
 *
 * @module
 */

/** The parsed hints of an exercise. */
export interface HintBook {
  /** Level numbers, ascending. */
  levels: number[];
  /** Task keys ("1", "2", ... or "0" for a file without task sections), ascending. */
  tasks: string[];
  /** The text of a level for a task. */
  text(level: number, task: string): string | undefined;
}

/**
 * Parses a HINTS.md.
 *
 * @param markdown The file's text.
 * @returns The hint book.
 *
 * @example
 * ```ts
 * import { readHints } from "./hints.ts";
 * readHints("## Level 1\n\n### Task 1\n\nUse a queue.\n").text(1, "1"); // "Use a queue."
 * ```
 */
export function readHints(markdown: string): HintBook {
  const sections = new Map<number, Map<string, string[]>>();
  let level: Map<string, string[]> | null = null;
  let task = "0";
  for (const line of markdown.split("\n")) {
    const l = /^##\s+Level\s+(\d+)\b/.exec(line);
    if (l) {
      level = new Map();
      sections.set(Number(l[1]), level);
      task = "0";
      continue;
    }
    if (/^##\s/.test(line)) {
      level = null;
      continue;
    }
    if (!level) continue;
    const t = /^###\s+Task\s+(\d+)\b/.exec(line);
    if (t) {
      task = t[1]!;
      level.set(task, []);
      continue;
    }
    if (!level.has(task)) level.set(task, []);
    level.get(task)!.push(line);
  }
  const text = (lv: number, tk: string) => {
    const body = sections.get(lv)?.get(tk)?.join("\n").trim();
    return body ? body : undefined;
  };
  const tasks = new Set<string>();
  for (const m of sections.values()) {
    for (const [k, v] of m) if (v.join("").trim() !== "") tasks.add(k);
  }
  const hasTasks = [...tasks].some((t) => t !== "0");
  if (hasTasks) tasks.delete("0");
  return {
    levels: [...sections.keys()].sort((a, b) => a - b),
    tasks: [...tasks].sort((a, b) => Number(a) - Number(b)),
    text,
  };
}

/** The hint to show next. */
export interface NextHint {
  /** Task key. */
  task: string;
  /** Level to show. */
  level: number;
  /** Its text. */
  text: string;
  /** Levels of this task still hidden after this one. */
  remaining: number;
  /** True when every level of this task was already shown (this one is shown again). */
  exhausted: boolean;
}

/**
 * Picks the next hint: the first failing task's next level (task 1 when nothing was graded; the
 * first task with hidden levels when every task passes), or a given level again.
 *
 * @param book The exercise's hints.
 * @param shown Levels shown so far, by task key.
 * @param failingTasks Tasks with a failing test at the last grade, or undefined when never graded.
 * @param level A level asked for explicitly.
 * @returns The hint, or undefined when the file has none.
 */
export function nextHint(
  book: HintBook,
  shown: Record<string, number>,
  failingTasks: number[] | undefined,
  level?: number,
): NextHint | undefined {
  if (book.tasks.length === 0 || book.levels.length === 0) return undefined;
  const max = (t: string) =>
    Math.max(0, ...book.levels.filter((l) => book.text(l, t) !== undefined));
  const failing = (failingTasks ?? []).map(String).find((t) => book.tasks.includes(t));
  const task = book.tasks.includes("0")
    ? "0"
    : failing ?? (failingTasks === undefined
      ? book.tasks[0]!
      : book.tasks.find((t) => (shown[t] ?? 0) < max(t)) ?? book.tasks.at(-1)!);
  const top = max(task);
  const want = level ?? Math.min((shown[task] ?? 0) + 1, top);
  const text = book.text(want, task);
  if (text === undefined) return undefined;
  return {
    task,
    level: want,
    text,
    remaining: Math.max(0, top - Math.max(want, shown[task] ?? 0)),
    exhausted: level === undefined && (shown[task] ?? 0) >= top,
  };
}
