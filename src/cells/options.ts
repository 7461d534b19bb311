/**
 * A cell's options, written after the marker in the fence: ```` ```ts cell timeout=10000 fold ````.
 *
 * - `timeout=<ms>`: time limit of one run (default {@link DEFAULT_TIMEOUT_MS}).
 * - `hidden`: the source is not shown (its output is); `fold`: the source starts folded.
 * - `autorun`: runs when the page is opened (with JavaScript on).
 * - `exercise=<id>`: the cell carries the checks of `src/cells/exercises/<id>.ts`.
 * - `static`: the build does not run the cell (a note says to run it).
 *
 * @module
 */

export const DEFAULT_TIMEOUT_MS = 5000;

export interface CellOptions {
  readonly timeout: number;
  readonly hidden: boolean;
  readonly fold: boolean;
  readonly autorun: boolean;
  readonly exercise: string | null;
  readonly static: boolean;
}

const FLAGS = ['hidden', 'fold', 'autorun', 'static'] as const;

/** True when a fence's language and meta mark it as a cell (` ```ts cell … `). */
export function isCellFence(lang: string | null | undefined, meta: string | null | undefined) {
  return (lang === 'ts' || lang === 'typescript') && /^cell(\s|$)/.test(meta ?? '');
}

/** Parses the words after `cell`; an unknown or malformed option throws, naming what was expected. */
export function parseCellOptions(meta: string): CellOptions {
  const words = meta.trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'cell') words.shift();
  let timeout = DEFAULT_TIMEOUT_MS;
  let exercise: string | null = null;
  const flags = new Set<string>();
  for (const word of words) {
    const [key, value] = word.split('=', 2) as [string, string | undefined];
    if (key === 'timeout' && value !== undefined) {
      const ms = Number(value);
      if (!Number.isInteger(ms) || ms < 100 || ms > 120_000) {
        throw new Error(
          `Cell option timeout=${value}: expected whole milliseconds, 100 to 120000.`,
        );
      }
      timeout = ms;
    } else if (key === 'exercise' && value && /^[a-z0-9-]+$/.test(value)) {
      exercise = value;
    } else if (value === undefined && (FLAGS as readonly string[]).includes(key)) {
      flags.add(key);
    } else {
      throw new Error(
        `Unknown cell option "${word}": expected timeout=<ms>, exercise=<id>, ${FLAGS.join(', ')}.`,
      );
    }
  }
  return {
    timeout,
    exercise,
    hidden: flags.has('hidden'),
    fold: flags.has('fold'),
    autorun: flags.has('autorun'),
    static: flags.has('static'),
  };
}
