/**
 * Every code cell's PyTorch twin (the ```` ```python twin ```` fence after it in the chapter, see
 * src/markdown/remark-cells.mjs) against the cell itself: each twin prints `name value` for every
 * number its cell shows (names: paths into the cell's value, tests/unit/helpers/cell-twins.ts), and
 * the cell, run in Node as the build runs it (on PyTorch's stream, the cells' default), shows the
 * same numbers. The twins' printouts under torch 1.13 (AVX2) are committed in
 * tests/fixtures/torch/cell-twins.json (UPDATE_PYTORCH_FIXTURES=1, from scripts/pytorch-fixtures.sh),
 * so the comparison runs without PyTorch; with it, every twin also runs now.
 *
 * Tolerances:
 * - a number the cell shows as text (toFixed, toPrecision) is printed the same way by its twin and
 *   may differ by one unit of its last digit (float32 rounding can move a value across a boundary);
 * - other numbers to a relative 2e-5 (absolute 1e-12): the draws are the same, but PyTorch sums
 *   float32 products in its own order where a cell sums in float32 or float64 in another, trunc_normal_
 *   is within 8 float32 steps of PyTorch's, orthogonal_ factors through LAPACK's QR, and the twins of
 *   formula cells integrate by quadrature (to about 1e-7); counts and integers are therefore exact.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import remarkCells from '../../src/markdown/remark-cells.mjs';
import { cellTwinScript } from '../../src/pytorch/cell-twin';
import {
  allCells,
  flatten,
  parseTwinOutput,
  runPage,
  runTwins,
  type PageCell,
} from './helpers/cell-twins';
import { runPython, torchVersion } from './helpers/python-torch';

const FIXTURE = 'tests/fixtures/torch/cell-twins.json';
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

interface Fixture {
  readonly torch: string;
  /** By `page#n`, n the cell's position among the page's cells (from 0). */
  readonly twins: Record<string, { readonly sha256: string; readonly output: string }>;
}

const cells = allCells();
const pages = [...new Set(cells.map((c) => c.page))];
const keyOf = (cell: PageCell): string =>
  `${cell.page}#${cells.filter((c) => c.page === cell.page).indexOf(cell)}`;
const twinned = cells.filter((c) => c.twin !== null);

const torch = torchVersion();
if (process.env['UPDATE_PYTORCH_FIXTURES'] === '1') {
  if (!torch) throw new Error('UPDATE_PYTORCH_FIXTURES needs python3-torch');
  const outputs = runTwins(
    twinned.map((c) => c.twin!),
    (s) => runPython(s),
  );
  const twins = Object.fromEntries(
    twinned.map((c, i) => [keyOf(c), { sha256: sha(c.twin!), output: outputs[i]! }]),
  );
  fs.writeFileSync(FIXTURE, `${JSON.stringify({ torch, twins }, null, 1)}\n`);
}
const fixture = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Fixture;

/** Each cell's value, computed once: the pages' cells run in order, as the build runs them. */
let values: Map<PageCell, unknown> | undefined;
function valueOf(cell: PageCell): unknown {
  if (!values) {
    values = new Map();
    for (const page of pages) {
      const own = cells.filter((c) => c.page === page);
      runPage(own).forEach((v, i) => values!.set(own[i]!, v));
    }
  }
  return values.get(cell);
}

/** One unit of the last digit of a number written as text ("0.110" → 0.001, "2.7e-8" → 1e-9). */
function lastDigit(text: string): number {
  const [mantissa, exponent = '0'] = text.toLowerCase().split('e') as [string, string?];
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  return 10 ** (Number(exponent) - decimals);
}

/** Where a twin's printout and its cell's value disagree (empty when they agree). */
function mismatches(cell: PageCell, printed: Map<string, number>): string[] {
  const shown = flatten(valueOf(cell));
  const out: string[] = [];
  const names = shown.map(([name]) => name);
  for (const name of printed.keys())
    if (!names.includes(name)) out.push(`${name}: not in the cell`);
  for (const [name, value] of shown) {
    const got = printed.get(name);
    if (got === undefined) {
      out.push(`${name}: not printed by the twin`);
      continue;
    }
    const want = typeof value === 'string' ? Number(value) : value;
    const tolerance =
      typeof value === 'string'
        ? lastDigit(value) * 1.0001
        : 2e-5 * Math.max(Math.abs(want), Math.abs(got)) + 1e-12;
    const same = Object.is(want, got) || Math.abs(want - got) <= tolerance;
    if (!same) out.push(`${name}: cell ${String(value)}, twin ${got}`);
  }
  return out;
}

describe('every code cell has its PyTorch twin', () => {
  it('the chapters have cells, exercises among them', () => {
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((c) => c.exercise).length).toBeGreaterThan(5);
  });

  for (const cell of cells.filter((c) => !c.exercise)) {
    it(`${cell.page}:${cell.line} is followed by a python twin fence`, () => {
      expect(cell.twin, 'add a ```python twin fence directly after the cell').not.toBeNull();
      expect(cell.twin).toMatch(/torch/);
    });
  }

  it('no exercise cell has a twin (it would give the solution away)', () => {
    expect(cells.filter((c) => c.exercise && c.twin !== null)).toEqual([]);
  });
});

describe('remark-cells attaches the twin to its cell', () => {
  const code = (lang: string, meta: string, value: string) => ({ type: 'code', lang, meta, value });
  const transform = (children: object[]) => {
    const tree = { type: 'root', children };
    remarkCells()(tree, { path: `${process.cwd()}/content/chapters/x.mdx` });
    return tree.children as {
      type: string;
      name?: string;
      attributes?: { name: string; value: string }[];
    }[];
  };

  it('as the `pytorch` prop, and takes it out of the page', () => {
    const out = transform([code('ts', 'cell', '1 + 1'), code('python', 'twin', 'print(2)')]);
    const elements = out.filter((n) => n.type === 'mdxJsxFlowElement');
    expect(elements).toHaveLength(1);
    expect(out.some((n) => n.type === 'code')).toBe(false);
    expect(elements[0]!.attributes!.find((a) => a.name === 'pytorch')?.value).toBe('print(2)');
  });

  it('a cell without a twin has no `pytorch` prop; other python fences stay code', () => {
    const out = transform([code('ts', 'cell', '1'), code('python', '', 'print(1)')]);
    const cell = out.find((n) => n.type === 'mdxJsxFlowElement')!;
    expect(cell.attributes!.some((a) => a.name === 'pytorch')).toBe(false);
    expect(out.filter((n) => n.type === 'code')).toHaveLength(1);
  });

  it('a twin that does not directly follow a cell fails the build, naming the line', () => {
    const para = { type: 'paragraph', children: [] };
    expect(() => transform([code('ts', 'cell', '1'), para, code('python', 'twin', 'x')])).toThrow(
      /content\/chapters\/x\.mdx:\d+: a python twin fence must come directly after/,
    );
  });

  it('a twin after an exercise cell fails the build', () => {
    expect(() =>
      transform([code('ts', 'cell exercise=q-star', 'f'), code('python', 'twin', 'x')]),
    ).toThrow(/an exercise cell has no PyTorch twin/);
  });
});

describe('Copy as PyTorch: the copied script', () => {
  it('is the twin under a header of comments naming the cell and the CPU build', () => {
    const twin = 'import torch\n\ntorch.manual_seed(1)\nprint("x", torch.rand(1).item())\n';
    const copied = cellTwinScript(twin, { chapter: 'why-scale-matters', label: 'code cell 1' });
    const lines = copied.split('\n');
    expect(lines[0]).toBe(
      '# Initbook, why-scale-matters: code cell 1, in PyTorch. It prints each number the cell shows.',
    );
    const body = lines.findIndex((l) => !l.startsWith('#'));
    expect(lines.slice(0, body).join('\n')).toMatch(/x86 CPU with AVX2/);
    expect(copied.endsWith(twin)).toBe(true);
  });
});

describe('the twins print their cells’ numbers (fixture of torch 1.13)', () => {
  // Every page's cells, run once (about 15 s on a quiet machine).
  beforeAll(() => void valueOf(cells[0]!), 600_000);

  it('the fixture holds these very twins (else run scripts/pytorch-fixtures.sh)', () => {
    expect(Object.keys(fixture.twins).sort()).toEqual(twinned.map(keyOf).sort());
    for (const c of twinned) expect(fixture.twins[keyOf(c)]?.sha256, keyOf(c)).toBe(sha(c.twin!));
  });

  for (const cell of twinned) {
    it(`${keyOf(cell)} (line ${cell.line})`, () => {
      const entry = fixture.twins[keyOf(cell)];
      expect(entry, 'no fixture: run scripts/pytorch-fixtures.sh').toBeDefined();
      expect(mismatches(cell, parseTwinOutput(entry!.output))).toEqual([]);
    });
  }

  it('a twin that prints another number, or misses one, is caught', () => {
    const cell = twinned[0]!;
    const printed = parseTwinOutput(fixture.twins[keyOf(cell)]!.output);
    const [first] = printed.keys();
    const off = new Map(printed).set(first!, printed.get(first!)! * 1.001 + 1);
    expect(mismatches(cell, off)).toHaveLength(1);
    const missing = new Map(printed);
    missing.delete(first!);
    expect(mismatches(cell, missing)).toEqual([`${first}: not printed by the twin`]);
  });
});

describe.skipIf(!torch)(
  `the twins run under PyTorch ${torch ?? '(python3-torch not installed: skipped)'}`,
  () => {
    it("every twin, run now, prints its cell's numbers", () => {
      const outputs = runTwins(
        twinned.map((c) => c.twin!),
        (s) => runPython(s),
      );
      const wrong = twinned.flatMap((cell, i) =>
        mismatches(cell, parseTwinOutput(outputs[i]!)).map((m) => `${keyOf(cell)} ${m}`),
      );
      expect(wrong).toEqual([]);
    }, 600_000);
  },
);
