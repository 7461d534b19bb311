/**
 * The chapters' code cells and their PyTorch twins, read from the MDX as src/markdown/remark-cells.mjs
 * reads them, and run in Node as the build runs them (src/cells/session.ts in a node realm, the
 * cells' scope), keeping each cell's value itself rather than its formatted output.
 *
 * The twins' convention: a twin prints one line `name value` per number its cell shows, where `name`
 * is the number's path in the cell's value (`uniform.std`, `width16[3]`, `[2].simulated`; see
 * {@link flatten}) and `value` is what Python's print gives for a float or an int.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createNodeRealm } from '../../../src/cells/node-realm';
import { CELL_BUILTINS } from '../../../src/cells/scope';
import { Session } from '../../../src/cells/session';

export const CHAPTERS = 'content/chapters';

export interface PageCell {
  readonly page: string;
  /** Line of the opening fence, from 1. */
  readonly line: number;
  readonly meta: string;
  readonly source: string;
  readonly exercise: boolean;
  /** The twin's script, when a ```` ```python twin ```` fence follows the cell. */
  readonly twin: string | null;
}

const FENCE = /^(`{3,}|~{3,})\s*(\S*)\s*(.*)$/;

/** The cells of one page, in order, with the twin that follows each (top-level fences only). */
export function readCells(file: string): PageCell[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const page = path.relative(process.cwd(), file).replaceAll('\\', '/');
  const blocks: { line: number; lang: string; meta: string; body: string; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const mark = open[1]!;
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(mark)) j++;
    blocks.push({
      line: i + 1,
      lang: open[2]!,
      meta: open[3]!.trim(),
      body: lines.slice(i + 1, j).join('\n'),
      end: j,
    });
    i = j;
  }
  const cells: PageCell[] = [];
  blocks.forEach((b, k) => {
    if (!((b.lang === 'ts' || b.lang === 'typescript') && /^cell(\s|$)/.test(b.meta))) return;
    const next = blocks[k + 1];
    const between = next
      ? lines
          .slice(b.end + 1, next.line - 1)
          .join('')
          .trim()
      : 'x';
    const twin =
      next && next.lang === 'python' && next.meta === 'twin' && between === '' ? next.body : null;
    cells.push({
      page,
      line: b.line,
      meta: b.meta,
      source: b.body,
      exercise: /(^|\s)exercise=/.test(b.meta),
      twin,
    });
  });
  return cells;
}

/** Every chapter's cells. */
export function allCells(): PageCell[] {
  return fs
    .readdirSync(CHAPTERS)
    .filter((f) => f.endsWith('.mdx'))
    .sort()
    .flatMap((f) => readCells(path.join(CHAPTERS, f)));
}

/** A value's numbers by path: `a.b`, `a[0]`, `[0].b`; numeric strings (toFixed) count as numbers. */
export function flatten(value: unknown, prefix = ''): [string, number | string][] {
  if (typeof value === 'number') return [[prefix, value]];
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value === 'boolean') return [[prefix, value ? 1 : 0]];
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return [...(value as ArrayLike<unknown> & Iterable<unknown>)].flatMap((v, i) =>
      flatten(v, `${prefix}[${i}]`),
    );
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** Runs a page's cells in order, as the build does; the value of each cell (exercises: null). */
export function runPage(cells: readonly PageCell[]): unknown[] {
  const node = createNodeRealm(120_000);
  let last: unknown;
  const realm = {
    global: node.global,
    evaluate(program: string) {
      last = node.evaluate(program);
      return last;
    },
  };
  const session = new Session(realm, CELL_BUILTINS);
  return cells.map((cell, i) => {
    if (cell.exercise) return null;
    last = undefined;
    const result = session.run(i, cell.source);
    if (result.error) throw new Error(`${cell.page}:${cell.line}: ${result.error.message}`);
    return last;
  });
}

/** A twin's printout, `name value` per line, as a map (a repeated name throws). */
export function parseTwinOutput(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^(\S+)\s+(\S+)$/.exec(line.trim());
    if (!match) throw new Error(`Twin output line is not "name value": ${JSON.stringify(line)}`);
    if (out.has(match[1]!)) throw new Error(`Twin printed ${match[1]} twice`);
    const text = match[2]!;
    out.set(match[1]!, text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text));
  }
  return out;
}

/**
 * Runs each twin in turn in one Python process, so torch is imported once, and returns what each
 * printed. Each twin runs as its own `__main__` module; they all seed torch themselves.
 */
export function runTwins(twins: readonly string[], run: (script: string) => string): string[] {
  // A JSON string is a valid Python string literal (the same escapes).
  const driver = [
    'import contextlib, io, json',
    `sources = json.loads(${JSON.stringify(JSON.stringify(twins))})`,
    'outputs = []',
    'for source in sources:',
    '    buffer = io.StringIO()',
    '    with contextlib.redirect_stdout(buffer):',
    '        exec(compile(source, "twin", "exec"), {"__name__": "__main__"})',
    '    outputs.append(buffer.getvalue())',
    'print(json.dumps(outputs))',
  ].join('\n');
  return JSON.parse(run(`${driver}\n`)) as string[];
}
