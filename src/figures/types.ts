/**
 * What every figure provides. A figure is split in two so that the worker never loads Plot:
 * - its *model* (schema, presets, `compute`, `summary`, `table`): pure, runs in the worker and at build time;
 * - its *view* (`spec`): turns the model's data into Observable Plot options, on the main thread and at
 *   build time.
 *
 * @module
 */
import type { ChartFrame } from './frame';
import type { ParamsOf, Schema } from './params';
import type { ChartSpec } from './render';

/** A named set of parameter values for a comparison the prose makes. */
export interface Preset<S extends Schema> {
  readonly id: string;
  readonly label: string;
  readonly params: Partial<ParamsOf<S>>;
}

/** Rows for the CSV export and for readers who prefer numbers. */
export interface DataTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface FigureModel<S extends Schema, D> {
  /** Lowercase id: the figure's anchor, URL prefix source and embed path. */
  readonly id: string;
  readonly title: string;
  /** Short prefix for this figure's URL parameters, e.g. `vbd` → `?vbd.depth=30`. */
  readonly prefix: string;
  readonly schema: S;
  /**
   * The settings shown first, under the chart, in this order: the few the chapters' captions ask the
   * reader to change (at most four; checked by ./primary.ts). The others wait under "More settings".
   */
  readonly primary: readonly string[];
  readonly presets: readonly Preset<S>[];
  /**
   * Runs the engine for these parameters: deterministic (seeded), no DOM, structured-cloneable result.
   * A generator, so the worker can pause between layers (progress, cancellation, newer requests);
   * {@link runToEnd} runs it at once. Throws the engine's `EngineInputError` for combinations the
   * schema alone cannot rule out.
   */
  compute(params: ParamsOf<S>): Generator<unknown, D, undefined>;
  /**
   * A long run (training): the page shows its progress with pause, resume and cancel buttons, and
   * `compute` yields {@link FigureProgress} values the worker forwards as progress.
   */
  readonly long?: boolean;
  /**
   * Loads what `compute` needs beyond the engine (e.g. a parser), once, before the first compute: the
   * worker and the build await it, so heavy modules load only for the figure that uses them.
   */
  prepare?(): Promise<void>;
  /** One or two sentences saying what the chart shows, with its key numbers. */
  summary(data: D, params: ParamsOf<S>): string;
  /** The data behind the chart. */
  table(data: D, params: ParamsOf<S>): DataTable;
  /**
   * "Copy as PyTorch": a short, commented Python script that builds the same network with the same
   * seed and inputs and prints the numbers the figure shows (src/pytorch/ writes the pieces).
   */
  pytorch(params: ParamsOf<S>): string;
}

export interface FigureView<S extends Schema, D> {
  /**
   * Chart specs for the data, or one per panel (drawn one below the other, or side by side in
   * presentation mode), laid out for `frame` (the wide build layout when left out); the caller
   * renders them (src/figures/render.ts).
   */
  spec(data: D, params: ParamsOf<S>, frame?: ChartFrame): ChartSpec | ChartSpec[];
  /**
   * Formulas and key numbers shown beside the chart: `tex` is typeset with KaTeX, else `text` is
   * shown; `text` is also the plain-text fallback.
   */
  notes?(data: D, params: ParamsOf<S>): readonly FigureNote[];
  /**
   * Clicking inside this panel sets the two numeric parameters from the clicked point (inverted
   * through the panel's linear x and y scales, which ./pick.ts writes onto the SVG). The same
   * parameters have sliders, for the keyboard.
   */
  readonly pick?: {
    readonly panel: number;
    readonly x: keyof S & string;
    readonly y: keyof S & string;
  };
}

/** One line beside a chart: a label and a typeset formula or a plain value. */
export interface FigureNote {
  readonly label: string;
  readonly text: string;
  readonly tex?: string;
  /** A worked chain under the text, each step beside the source that computes it. */
  readonly steps?: readonly { readonly text: string; readonly source: string }[];
  /** Code shown whole under the text, with a Copy button; the note spans the row. */
  readonly code?: string;
}

/** What a long figure's `compute` yields now and then: how far it is, in words for the reader. */
export interface FigureProgress {
  /** Share done, in [0, 1]. */
  readonly fraction: number;
  /** e.g. "He normal: step 120 of 200, loss 0.53". */
  readonly text: string;
}

/** Whether a value yielded by `compute` is a {@link FigureProgress}. */
export function isFigureProgress(value: unknown): value is FigureProgress {
  const v = value as Partial<FigureProgress> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.fraction === 'number' &&
    typeof v.text === 'string'
  );
}

/** A model with its parameter types erased, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFigureModel = FigureModel<Schema, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFigureView = FigureView<Schema, any>;

/** Runs a figure's compute generator to its result. */
export function runToEnd<D>(steps: Generator<unknown, D, undefined>): D {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * The one number format of the figures, at build time and live, in summaries, tables, slider values,
 * chart text and tick labels (through src/figures/axis.ts's `tickFormat`): 3 significant digits, plain
 * from 0.001 to under 100 000 and in exponent form outside (`1.23e-4`, `2e5`), `∞` and `−∞` for the
 * infinities, `NaN` for a value that is not a number.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e5) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(2).split('e') as [string, string];
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/**
 * How far below its scale a value may sit and still be printed: a result the arithmetic rounds to
 * about 1e-16 of its operands (a mean of a symmetric quantity, a difference of equal terms) is zero.
 */
export const ZERO_BELOW = 1e-12;

/**
 * {@link formatNumber} for a value measured against a stated scale (the quantity's natural size: the
 * root of its second moment, or the largest of the values it is compared with). The rule: a value
 * whose magnitude is below {@link ZERO_BELOW} × |scale| prints as 0, since at that size it is
 * floating-point rounding, not a measurement. Without a finite, nonzero scale nothing is zeroed.
 */
export function formatOnScale(x: number, scale: number): string {
  return isRoundingNoise(x, scale) ? '0' : formatNumber(x);
}

/** The rule of {@link formatOnScale}: true when `x` is rounding noise beside `scale`. */
export function isRoundingNoise(x: number, scale: number): boolean {
  return Number.isFinite(scale) && Math.abs(x) < ZERO_BELOW * Math.abs(scale);
}

/** CSV text for a table (RFC 4180 quoting). */
export function toCsv(table: DataTable): string {
  const cell = (v: string | number | null): string => {
    const text = v === null ? '' : String(v);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
