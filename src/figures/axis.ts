/**
 * Axis ticks shared by the views: as many as fit the axis's length at the frame's type size, at values
 * a reader expects (whole layers, every decade of a log axis), labelled by the one number formatter.
 *
 * Log axes label every decade while the labels fit; when they do not, they keep a clean subset (every
 * 2nd, 3rd, 5th or 10th decade, aligned on multiples, so 1e-10, 1e-5, 1 rather than 1e-9, 1e-4, 10),
 * with no ticks at the skipped decades: a reader never meets an unlabelled decade between labelled ones.
 *
 * @module
 */
import { lineHeight, type ChartFrame } from './frame';
import { formatNumber } from './types';

/** Horizontal room a tick label needs beyond its own width, in ems. */
const X_GAP = 3;
/** Vertical room per y tick label, in lines: labels two lines apart read as a column, not a block. */
const Y_LINES = 2;

/** How many ticks fit along `length` px: x labels of up to `glyphs` characters, or y labels. */
export function tickBudget(frame: ChartFrame, length: number, axis: 'x' | 'y', glyphs = 4): number {
  const each =
    axis === 'x' ? frame.fontSize * (0.65 * glyphs + X_GAP) : lineHeight(frame.fontSize) * Y_LINES;
  return Math.max(2, Math.floor(length / each) + 1);
}

/** A round step (1, 2 or 5 × 10ᵏ) giving at most `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9));
  return step ?? 10 * power;
}

/** Multiples of `step` within [lo, hi], with the float noise of the products removed. */
function multiples(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi * (1 + 1e-12) + 1e-12; k++) {
    out.push(Number((k * step).toPrecision(12)));
  }
  return out;
}

/** Round ticks for a linear axis over [lo, hi], at most `count` of them. */
export function linearTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  return multiples(lo, hi, niceStep(hi - lo, Math.max(1, count - 1)));
}

/**
 * Whole-number ticks (layers, steps): steps of 1, 2, 5, 10 …, never a fraction. The first value (layer
 * 1) is labelled too when it is not a multiple, unless it would crowd the next tick.
 */
export function integerTicks(lo: number, hi: number, count: number): number[] {
  const from = Math.ceil(lo);
  const to = Math.floor(hi);
  if (to <= from) return [from];
  const step = Math.max(1, niceStep(to - from, Math.max(1, count - 1)));
  const ticks = multiples(from, to, step);
  if (ticks[0] !== from && (ticks[0] ?? Infinity) - from >= 0.75 * step) ticks.unshift(from);
  return ticks;
}

/**
 * Ticks for a log axis over [lo, hi] (both > 0): every decade, or the clean subset described above;
 * under two decades in range, 1-2-5 steps, and for a range inside one such step, round linear ticks.
 */
export function logTicks(lo: number, hi: number, count: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return [lo];
  const first = Math.ceil(Math.log10(lo) - 1e-9);
  const last = Math.floor(Math.log10(hi) + 1e-9);
  const decades = last - first + 1;
  const ones = (): number[] => {
    const out: number[] = [];
    for (let e = first - 1; e <= last; e++) {
      for (const m of [1, 2, 5]) {
        const v = Number(`${m}e${e}`);
        if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12)) out.push(v);
      }
    }
    return out;
  };
  // A few decades on a long axis: 1, 2 and 5 in each, while they fit.
  if (decades >= 2 && 3 * decades <= count) {
    const fine = ones();
    if (fine.length <= count) return fine;
  }
  if (decades >= 2) {
    const every = [1, 2, 3, 5, 10, 20, 50, 100].find((k) => Math.ceil(decades / k) <= count) ?? 100;
    const ticks: number[] = [];
    for (let e = first; e <= last; e++) {
      if (e % every === 0 || every === 1) ticks.push(Number(`1e${e}`));
    }
    if (ticks.length >= 2) return ticks;
  }
  const fine = ones();
  return fine.length >= 2 && fine.length <= count ? fine : linearTicks(lo, hi, count);
}

/** Every `k`-th tick of a fixed list (from the first), with k as small as fits `count`. */
export function thinTicks<T>(ticks: readonly T[], count: number): T[] {
  const every = Math.max(1, Math.ceil(ticks.length / Math.max(1, count)));
  return ticks.filter((_, i) => i % every === 0);
}

/** Whether ticks are evenly spaced (a linear axis's), as opposed to decades or 1-2-5 steps. */
function evenlySpaced(ticks: readonly number[]): boolean {
  // Two ticks tell nothing (0.01 and 0.1 are two decades): only three or more count as linear.
  if (ticks.length < 3) return false;
  const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
  return ticks.every(
    (t, i) => i === 0 || Math.abs(t - ticks[i - 1]! - step) <= 1e-9 * Math.abs(step),
  );
}

/**
 * Labels for a set of ticks: {@link formatNumber} for each, and for evenly spaced plain decimals,
 * padded to the same number of decimals (0.5, 1.0, 1.5 rather than 0.5, 1, 1.5). Decades and 1-2-5
 * steps keep each label as short as it is (0.01, 0.1, 1).
 */
export function tickFormat(ticks: readonly number[]): (value: number) => string {
  const plain = ticks.map(formatNumber);
  const decimals =
    evenlySpaced(ticks) && plain.every((t) => /^-?\d+(\.\d+)?$/.test(t))
      ? Math.max(0, ...plain.map((t) => t.split('.')[1]?.length ?? 0))
      : undefined;
  return (value) =>
    decimals === undefined || !Number.isFinite(value)
      ? formatNumber(value)
      : Number(value.toPrecision(12)).toFixed(decimals);
}

/** The extent of the positive finite values, for a log axis (a single value is widened ×2 each way). */
function positiveExtent(values: readonly number[]): [number, number] {
  const shown = values.filter((v) => Number.isFinite(v) && v > 0);
  if (shown.length === 0) return [0.1, 10];
  const lo = Math.min(...shown);
  const hi = Math.max(...shown);
  return hi > lo ? [lo, hi] : [lo / 2, hi * 2];
}

/** Scale options for a log axis over `values` along `length` px. */
export function logAxis(
  frame: ChartFrame,
  values: readonly number[],
  axis: 'x' | 'y',
  length: number,
): { type: 'log'; domain: [number, number]; ticks: number[]; tickFormat: (v: number) => string } {
  const domain = positiveExtent(values);
  const ticks = logTicks(domain[0], domain[1], tickBudget(frame, length, axis, 5));
  return { type: 'log', domain, ticks, tickFormat: tickFormat(ticks) };
}

/** Scale options for a whole-number axis from `lo` to `hi` (layers) along `length` px. */
export function integerAxis(
  frame: ChartFrame,
  lo: number,
  hi: number,
  axis: 'x' | 'y',
  length: number,
): {
  domain: [number, number];
  ticks: number[];
  tickFormat: (v: number) => string;
  inset: number;
} {
  const ticks = integerTicks(lo, hi, tickBudget(frame, length, axis, String(hi).length));
  // Half an em inside the frame, so the first and last points clear the axes.
  const inset = Math.round(frame.fontSize / 2);
  return { domain: [lo, Math.max(hi, lo + 1)], ticks, tickFormat: tickFormat(ticks), inset };
}

/** Scale options for a linear axis over [lo, hi] along `length` px. */
export function linearAxis(
  frame: ChartFrame,
  lo: number,
  hi: number,
  axis: 'x' | 'y',
  length: number,
): { domain: [number, number]; ticks: number[]; tickFormat: (v: number) => string } {
  // A flat series (a constant φ) still gets an axis: one unit either way.
  const [from, to] = hi > lo ? [lo, hi] : [lo - 1, lo + 1];
  const glyphs = Math.max(2, formatNumber(from).length, formatNumber(to).length);
  const ticks = linearTicks(from, to, tickBudget(frame, length, axis, glyphs));
  return { domain: [from, to], ticks, tickFormat: tickFormat(ticks) };
}
