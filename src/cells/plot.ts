/**
 * `plot(spec)` in a cell: a chart described as plain data, so the worker needs no DOM. Channels are
 * field names (`x: 'layer'`) or constants; the main thread turns the spec into Observable Plot
 * options ({@link toPlotOptions}) and draws it.
 *
 * ```ts
 * plot({ marks: [{ type: 'line', data: rows, x: 'layer', y: 'meanSquare' }], y: { type: 'log' } })
 * ```
 *
 * @module
 */
import type { Markish, PlotOptions } from '@observablehq/plot';

/** The key under which a cell's chart travels inside an ordinary object. */
export const PLOT_BRAND = '__initbookPlot';

export const MARK_TYPES = [
  'line',
  'lineY',
  'lineX',
  'dot',
  'barY',
  'barX',
  'areaY',
  'ruleX',
  'ruleY',
  'tickX',
  'tickY',
  'rectY',
  'text',
] as const;
export type MarkType = (typeof MARK_TYPES)[number];

export interface MarkSpec {
  readonly type: MarkType;
  readonly data: readonly unknown[];
  readonly [option: string]: unknown;
}

export interface ScaleSpec {
  readonly type?: 'linear' | 'log' | 'symlog' | 'pow' | 'sqrt' | 'band' | 'point';
  readonly label?: string;
  readonly domain?: readonly (number | string)[];
  readonly grid?: boolean;
  readonly nice?: boolean;
}

export interface PlotSpec {
  readonly marks: readonly MarkSpec[];
  readonly title?: string;
  readonly x?: ScaleSpec;
  readonly y?: ScaleSpec;
  readonly height?: number;
  readonly grid?: boolean;
}

const SCALE_KEYS = ['type', 'label', 'domain', 'grid', 'nice'];
const TOP_KEYS = ['marks', 'title', 'x', 'y', 'height', 'grid'];
const MAX_POINTS = 20_000;

const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** Numbers, strings, booleans, null, and plain records/arrays of them; typed arrays become arrays. */
function clone(value: unknown, where: string): unknown {
  if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) return value;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map((v, i) => clone(v, `${where}[${i}]`));
  if (plain(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, clone(v, `${where}.${k}`)]),
    );
  }
  throw new TypeError(
    `plot(): ${where} is a ${typeof value}; use numbers, strings and field names (x: 'layer'), not functions.`,
  );
}

/** Checks a spec written in a cell and copies it into plain data; explains what is wrong otherwise. */
export function checkPlotSpec(spec: unknown): PlotSpec {
  if (!plain(spec) || !Array.isArray(spec['marks'])) {
    throw new TypeError(
      "plot() needs { marks: [{ type: 'line', data, x: 'field', y: 'field' }] }.",
    );
  }
  for (const key of Object.keys(spec)) {
    if (!TOP_KEYS.includes(key)) {
      throw new TypeError(`plot(): unknown option "${key}"; expected ${TOP_KEYS.join(', ')}.`);
    }
  }
  for (const axis of ['x', 'y'] as const) {
    const scale = spec[axis];
    if (scale === undefined) continue;
    if (!plain(scale) || Object.keys(scale).some((k) => !SCALE_KEYS.includes(k))) {
      throw new TypeError(`plot(): ${axis} takes { ${SCALE_KEYS.join(', ')} }.`);
    }
  }
  let points = 0;
  (spec['marks'] as unknown[]).forEach((mark, i) => {
    if (!plain(mark) || !MARK_TYPES.includes(mark['type'] as MarkType)) {
      throw new TypeError(
        `plot(): marks[${i}].type must be one of ${MARK_TYPES.join(', ')}; got ${JSON.stringify(plain(mark) ? mark['type'] : mark)}.`,
      );
    }
    const data = mark['data'];
    if (!Array.isArray(data) && !ArrayBuffer.isView(data)) {
      throw new TypeError(`plot(): marks[${i}].data must be an array of records or numbers.`);
    }
    points += (data as ArrayLike<unknown>).length;
  });
  if (points > MAX_POINTS) {
    throw new RangeError(
      `plot(): ${points} points is too many to draw; keep it under ${MAX_POINTS}.`,
    );
  }
  return clone(spec, 'spec') as PlotSpec;
}

type PlotModule = Record<MarkType, (data: unknown, options?: Record<string, unknown>) => Markish>;

/** Observable Plot options for a checked spec (`Plot` is the module, passed in so it loads lazily). */
export function toPlotOptions(spec: PlotSpec, plot: PlotModule): PlotOptions {
  const { marks, title: _title, x, y, height, grid } = spec;
  const options: PlotOptions = {
    marks: marks.map(({ type, data, ...channels }) => plot[type](data, channels)),
  };
  if (x) options.x = { ...x } as NonNullable<PlotOptions['x']>;
  if (y) options.y = { ...y } as NonNullable<PlotOptions['y']>;
  if (height !== undefined) options.height = height;
  if (grid !== undefined) options.grid = grid;
  return options;
}

/** One sentence describing a chart for screen readers. */
export function describePlot(spec: PlotSpec): string {
  const parts = spec.marks.map((m) => {
    const x = typeof m['x'] === 'string' ? m['x'] : 'x';
    const y = typeof m['y'] === 'string' ? m['y'] : 'y';
    return `${m.type} of ${y} against ${x} (${m.data.length} points)`;
  });
  return `Chart: ${parts.join('; ')}.`;
}
