/**
 * Values → a plain, serialisable description of how to show them (an {@link OutputNode}), the way a
 * notebook shows values: numbers to five significant digits, numeric arrays as length + statistics,
 * arrays of records as tables, other objects as trees. Runs where the value lives (the cell worker, or
 * Node at build time, where values may come from another realm: no `instanceof`, no prototypes
 * compared with this realm's).
 *
 * @module
 */
import { PLOT_BRAND, type PlotSpec } from './plot';

export interface NumberStats {
  readonly min: string;
  readonly max: string;
  readonly mean: string;
  readonly std: string;
  /** Entries that are NaN or ±Infinity (left out of the statistics). */
  readonly nonFinite: number;
}

export type OutputNode =
  | { readonly kind: 'number'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'atom'; readonly text: string }
  | {
      readonly kind: 'numbers';
      readonly label: string;
      readonly length: number;
      readonly stats: NumberStats | null;
      readonly values: readonly string[];
      /** True when `values` holds only the first and last entries. */
      readonly elided: boolean;
    }
  | {
      readonly kind: 'list';
      readonly label: string;
      readonly items: readonly OutputNode[];
      readonly more: number;
    }
  | {
      readonly kind: 'table';
      readonly label: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
      readonly more: number;
    }
  | {
      readonly kind: 'tree';
      readonly label: string;
      readonly entries: readonly (readonly [string, OutputNode])[];
      readonly more: number;
    }
  | { readonly kind: 'plot'; readonly spec: PlotSpec };

/** Numeric arrays up to this length are listed in full. */
export const LIST_ALL = 16;
const MAX_ITEMS = 100;
const MAX_ROWS = 200;
const MAX_COLUMNS = 12;
const MAX_DEPTH = 6;

/** Five significant digits, trailing zeros dropped; integers in full; exponents for the extremes. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(x, -0)) return '-0';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e6) return String(Number(x.toPrecision(5)));
  const [mantissa, exponent] = x.toExponential(4).split('e') as [string, string];
  return `${mantissa.replace(/\.?0+$/, '')}e${exponent.replace('+', '')}`;
}

const tagOf = (value: object): string => Object.prototype.toString.call(value).slice(8, -1);

/** A plain object: its prototype is null or an `Object.prototype` (of any realm). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function isNumericArray(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return !(value instanceof DataView) && tagOf(value) !== 'DataView';
  return (
    Array.isArray(value) && value.length > 0 && value.every((v: unknown) => typeof v === 'number')
  );
}

function statsOf(values: ArrayLike<number | bigint>): NumberStats | null {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    // Welford's update: a stable running mean and sum of squared deviations.
    n++;
    const delta = v - mean;
    mean += delta / n;
    m2 += delta * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return null;
  return {
    min: formatNumber(min),
    max: formatNumber(max),
    mean: formatNumber(mean),
    std: formatNumber(Math.sqrt(m2 / n)),
    nonFinite,
  };
}

function numbersNode(value: ArrayLike<number | bigint>, label: string): OutputNode {
  const length = value.length;
  const show = (i: number) => {
    const v = value[i];
    return typeof v === 'bigint' ? `${v}n` : formatNumber(v as number);
  };
  const elided = length > LIST_ALL;
  const indices = elided
    ? [0, 1, 2, 3, 4, length - 2, length - 1]
    : Array.from({ length }, (_, i) => i);
  return {
    kind: 'numbers',
    label: `${label}(${length})`,
    length,
    stats: statsOf(value),
    values: indices.map(show),
    elided,
  };
}

/** A record row for a table, or null when the array is not a list of flat records. */
function tableOf(rows: readonly unknown[]): OutputNode | null {
  if (rows.length < 1 || !rows.every(isPlainObject)) return null;
  const columns: string[] = [];
  for (const row of rows as Record<string, unknown>[]) {
    for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  }
  if (columns.length === 0 || columns.length > MAX_COLUMNS) return null;
  const cells = (rows as Record<string, unknown>[]).slice(0, MAX_ROWS).map((row) =>
    columns.map((c) => {
      const v = row[c];
      if (v === undefined && !(c in row)) return '';
      return inlineText(formatValue(v, MAX_DEPTH - 1), 60);
    }),
  );
  return {
    kind: 'table',
    label: `Array(${rows.length})`,
    columns,
    rows: cells,
    more: Math.max(0, rows.length - MAX_ROWS),
  };
}

/** Describes any value for display. `depth` counts down; cycles show as "[circular]". */
export function formatValue(
  value: unknown,
  depth = MAX_DEPTH,
  seen = new Set<object>(),
): OutputNode {
  switch (typeof value) {
    case 'number':
      return { kind: 'number', text: formatNumber(value) };
    case 'string':
      return { kind: 'string', text: value };
    case 'bigint':
      return { kind: 'atom', text: `${value}n` };
    case 'boolean':
    case 'undefined':
      return { kind: 'atom', text: String(value) };
    case 'symbol':
      return { kind: 'atom', text: value.toString() };
    case 'function':
      return { kind: 'atom', text: `ƒ ${value.name || '(anonymous)'}(${value.length} args)` };
  }
  if (value === null) return { kind: 'atom', text: 'null' };
  const object = value as object;
  const brand = (object as Record<string, unknown>)[PLOT_BRAND];
  if (brand) return { kind: 'plot', spec: brand as PlotSpec };
  if (seen.has(object)) return { kind: 'atom', text: '[circular]' };
  if (isNumericArray(object)) {
    return numbersNode(object, Array.isArray(object) ? 'Array' : tagOf(object));
  }
  if (depth <= 0) return { kind: 'atom', text: `${tagOf(object)} {…}` };
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const table = tableOf(object);
      if (table) return table;
      return {
        kind: 'list',
        label: `Array(${object.length})`,
        items: object.slice(0, MAX_ITEMS).map((v: unknown) => formatValue(v, depth - 1, seen)),
        more: Math.max(0, object.length - MAX_ITEMS),
      };
    }
    const tag = tagOf(object);
    if (tag === 'Error' || object instanceof Error) {
      const e = object as Error;
      return { kind: 'atom', text: `${e.name}: ${e.message}` };
    }
    if (tag === 'Date') return { kind: 'atom', text: (object as Date).toISOString() };
    let entries: [string, unknown][];
    if (tag === 'Map') {
      entries = [...(object as Map<unknown, unknown>)].map(([k, v]) => [
        inlineText(formatValue(k, 1), 40),
        v,
      ]);
    } else if (tag === 'Set') {
      entries = [...(object as Set<unknown>)].map((v, i) => [String(i), v]);
    } else {
      entries = Object.entries(object);
    }
    const proto: unknown = Object.getPrototypeOf(object);
    const ctor = isPlainObject(object)
      ? 'Object'
      : (proto as { constructor?: { name?: string } } | null)?.constructor?.name || tag;
    const label = tag === 'Map' || tag === 'Set' ? `${tag}(${entries.length})` : ctor;
    return {
      kind: 'tree',
      label,
      entries: entries.slice(0, MAX_ITEMS).map(([k, v]) => [k, formatValue(v, depth - 1, seen)]),
      more: Math.max(0, entries.length - MAX_ITEMS),
    };
  } finally {
    seen.delete(object);
  }
}

/** One line of text for a node, at most about `budget` characters (previews, table cells, logs). */
export function inlineText(node: OutputNode, budget = 80): string {
  const clip = (s: string) => (s.length > budget ? `${s.slice(0, budget - 1)}…` : s);
  switch (node.kind) {
    case 'number':
    case 'atom':
      return node.text;
    case 'string':
      return clip(node.text);
    case 'numbers':
      return clip(
        node.elided
          ? `${node.label} [${node.values.slice(0, 5).join(', ')}, …]`
          : `[${node.values.join(', ')}]`,
      );
    case 'list':
      return clip(
        `[${node.items.map((n) => (n.kind === 'string' ? JSON.stringify(n.text) : inlineText(n, 20))).join(', ')}${node.more ? ', …' : ''}]`,
      );
    case 'table':
      return `${node.label} of records`;
    case 'tree':
      return clip(
        `${node.label === 'Object' ? '' : `${node.label} `}{${node.entries
          .map(
            ([k, v]) => `${k}: ${v.kind === 'string' ? JSON.stringify(v.text) : inlineText(v, 20)}`,
          )
          .join(', ')}${node.more ? ', …' : ''}}`,
      );
    case 'plot':
      return 'chart';
  }
}
