import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatValue, inlineText } from '../../src/cells/format';
import { resultView, valueView, type ViewNode } from '../../src/cells/view';

/** Text content of a view tree, as a reader would see it. */
const text = (node: ViewNode): string =>
  typeof node === 'string' ? node : node.children.map(text).join('');

describe('formatNumber', () => {
  it('shows five significant digits, integers in full, exponents at the extremes', () => {
    expect(formatNumber(0.39429449)).toBe('0.39429');
    expect(formatNumber(1.5925)).toBe('1.5925');
    expect(formatNumber(4096)).toBe('4096');
    expect(formatNumber(2 ** -29)).toBe('1.8626e-9');
    expect(formatNumber(1.3e30)).toBe('1.3e30');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
  });
});

describe('formatValue', () => {
  it('summarises a long typed array by length and statistics', () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => i);
    const node = formatValue(x);
    expect(node).toMatchObject({ kind: 'numbers', label: 'Float32Array(1000)', elided: true });
    if (node.kind !== 'numbers') return;
    // 0..999: mean 499.5, population std √((1000² − 1)/12) = 288.67.
    expect(node.stats).toMatchObject({ min: '0', max: '999', mean: '499.5', std: '288.67' });
    expect(node.values).toEqual(['0', '1', '2', '3', '4', '998', '999']);
  });

  it('lists a short numeric array in full', () => {
    const node = formatValue([1, 0.5, 0.25]);
    expect(node).toMatchObject({
      kind: 'numbers',
      label: 'Array(3)',
      values: ['1', '0.5', '0.25'],
    });
  });

  it('turns an array of records into a table', () => {
    const node = formatValue([
      { layer: 1, forward: '1.000' },
      { layer: 2, forward: '0.998', extra: true },
    ]);
    expect(node).toEqual({
      kind: 'table',
      label: 'Array(2)',
      columns: ['layer', 'forward', 'extra'],
      rows: [
        ['1', '1.000', ''],
        ['2', '0.998', 'true'],
      ],
      more: 0,
    });
  });

  it('shows objects as trees, with cycles marked', () => {
    const a: Record<string, unknown> = { x: 1, nested: { y: 'two' } };
    a['self'] = a;
    const node = formatValue(a);
    expect(node.kind).toBe('tree');
    expect(inlineText(node)).toBe('{x: 1, nested: {y: "two"}, self: [circular]}');
  });

  it('recognises values from another realm (the build runs cells in a vm context)', () => {
    const foreign = vm.runInNewContext('({ w: new Float32Array([1, 2, 3]), rows: [{ a: 1 }] })');
    const node = formatValue(foreign);
    if (node.kind !== 'tree') throw new Error('expected a tree');
    expect(node.label).toBe('Object');
    expect(node.entries[0]?.[1]).toMatchObject({ kind: 'numbers', label: 'Float32Array(3)' });
    expect(node.entries[1]?.[1]).toMatchObject({ kind: 'table' });
  });

  it('describes functions, maps and errors without running them', () => {
    expect(formatValue(function propagate(_a: number) {})).toEqual({
      kind: 'atom',
      text: 'ƒ propagate(1 args)',
    });
    expect(inlineText(formatValue(new Map([['k', 1]])))).toBe('Map(1) {k: 1}');
    expect(formatValue(new RangeError('bad'))).toEqual({ kind: 'atom', text: 'RangeError: bad' });
  });
});

describe('views', () => {
  it('renders logs, values and errors as text, never as markup', () => {
    const view = resultView({
      run: 1,
      ok: false,
      text: new Uint8Array(0),
      elided: null,
      outputs: [
        { kind: 'log', level: 'warn', parts: [formatValue('<b>hi</b>'), formatValue(2)] },
        { kind: 'value', node: formatValue({ a: 1 }) },
      ],
      error: {
        kind: 'runtime',
        name: 'TypeError',
        message: 'x is not a function',
        at: { line: 3, column: 5 },
      },
      checks: null,
      ms: 1,
    });
    expect(view.map(text)).toEqual([
      'warn: <b>hi</b> 2',
      '{a: 1}a1',
      'TypeError on line 3, column 5: x is not a function',
    ]);
  });

  it('gives a table a focusable, labelled scroll region with column headers', () => {
    const view = valueView(formatValue([{ a: 1 }, { a: 2 }]));
    if (typeof view === 'string') throw new Error('expected an element');
    expect(view.attrs).toMatchObject({
      role: 'region',
      tabindex: '0',
      'aria-label': 'Table, 2 rows',
    });
  });
});
