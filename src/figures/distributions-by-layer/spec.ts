import * as Plot from '@observablehq/plot';
import { linearTicks, tickBudget, tickFormat } from '../axis';
import { DEFAULT_FRAME, lineHeight, type ChartFrame } from '../frame';
import { estimateWidth } from '../measure';
import { ALERT_COLOR, colorOf } from '../palette';
import { wrap } from '../header';
import type { ChartSpec } from '../render';
import { formatNumber, type FigureView } from '../types';
import { initName, type Bin, type DistributionData, type LayerStats, type schema } from './model';

/** Bars in the saturated ends: one colour for every init, named in the note above the chart. */
export const SATURATED_COLOR = ALERT_COLOR;
/** Room for the bars of one row, below its label. */
const BARS = 40;

const key = (b: { init: string; layer: number }): string => `${b.init}|${b.layer}`;

/**
 * Bar heights: the density, scaled so that each row's tallest bar (or predicted bar) fills the
 * row. Shared heights would let one spike flatten every other row; the widths stay comparable.
 */
function heights(bins: readonly Bin[]): { bar: (b: Bin) => number; theory: (b: Bin) => number } {
  const peak = new Map<string, number>();
  for (const b of bins) {
    const top = Math.max(b.share, b.theory ?? 0) / (b.x2 - b.x1);
    peak.set(key(b), Math.max(peak.get(key(b)) ?? 0, top));
  }
  const scale = (b: Bin, v: number): number => {
    const p = peak.get(key(b)) ?? 0;
    return p > 0 ? v / (b.x2 - b.x1) / p : 0;
  };
  return { bar: (b) => scale(b, b.share), theory: (b) => scale(b, b.theory ?? 0) };
}

/** The prediction as a staircase over the bins: one point at each end of each bar. */
function staircase(bins: readonly Bin[], height: (b: Bin) => number) {
  return bins.flatMap((b) => {
    const y = height(b);
    return [
      { init: b.init, layer: b.layer, x: b.x1, y },
      { init: b.init, layer: b.layer, x: b.x2, y },
    ];
  });
}

/** A row's label: its std against the prediction, and the saturated or zero share. */
function rowParts(what: DistributionData['what'], activation: string) {
  return (l: LayerStats): Part[] => {
    const parts: Part[] = [{ text: `std ${formatNumber(l.std)}`, join: '' }];
    if (l.theoryStd !== null) parts.push({ text: `(${formatNumber(l.theoryStd)})`, join: ' ' });
    const more = (text: string) => parts.push({ text, join: ' · ' });
    if (l.saturated !== null) more(`${formatNumber(100 * l.saturated)}% saturated`);
    if (what === 'activations' && activation === 'relu')
      more(`${formatNumber(100 * l.zero)}% zero`);
    if (l.offChart >= 0.01) more(`${formatNumber(100 * l.offChart)}% off chart`);
    return parts;
  };
}

/** A piece of a row label and what joins it to the previous piece on one line. */
interface Part {
  readonly text: string;
  readonly join: string;
}

/** The parts on as few lines as fit `width` px (the build's conservative widths decide). */
function packed(parts: readonly Part[], width: number, size: number, weight: number): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const joined = lines.length > 0 ? `${lines.at(-1)!}${part.join}${part.text}` : part.text;
    if (lines.length > 0 && estimateWidth(joined, size, weight) <= width)
      lines[lines.length - 1] = joined;
    else lines.push(part.text);
  }
  return lines;
}

/**
 * Small multiples: one row per layer (layer 1 on top), one column per initialization, bars of the
 * density on one shared x axis, so that narrowing and piling up at the ends compare at a glance.
 */
export const view: FigureView<typeof schema, DistributionData> = {
  spec(d, _p, frame: ChartFrame = DEFAULT_FRAME): ChartSpec {
    const inits = [...new Set(d.layers.map((l) => l.init))];
    const depth = Math.max(...d.layers.map((l) => l.layer));
    const predicted = d.bins.filter((b) => b.theory !== null);
    const height = heights(d.bins);
    const zeros = d.bins.some((b) => b.x1 === Number.MIN_VALUE);
    const note = [
      'bars: simulation',
      predicted.length > 0 ? 'dashed: mean-field prediction' : '',
      d.bins.some((b) => b.saturated) ? 'red: saturated' : '',
      zeros ? 'exact zeros left out' : '',
      'std (theory)',
    ]
      .filter((t) => t !== '')
      .join(' · ');
    // Narrow columns label the rows 1, 2, … (named in the key) to leave the width to the bars.
    const narrow = frame.width / inits.length < 16 * frame.fontSize;
    // Each facet's width, roughly (the row labels take about six ems on the left, or two).
    const facet = ((frame.width - (narrow ? 2.5 : 6) * frame.fontSize) / inits.length) * 0.84 - 8;
    const parts = rowParts(d.what, d.activation);
    const labels = new Map(
      d.layers.map((l) => [l, packed(parts(l), facet, frame.smallSize, frame.fontWeight)]),
    );
    const lines = Math.max(1, ...[...labels.values()].map((t) => t.length));
    const labelPx = lines * lineHeight(frame.smallSize) + 4;
    const lh = lineHeight(frame.fontSize);
    const header = 6 * lh;
    const row =
      frame.height === undefined
        ? labelPx + BARS
        : Math.max(labelPx + 12, (frame.height - header) / depth);
    const title = (init: string) =>
      wrap(initName(init), (t) => estimateWidth(t, frame.fontSize, frame.fontWeight) <= facet).join(
        '\n',
      );
    const x1 = Math.min(...d.bins.map((b) => (b.x1 === Number.MIN_VALUE ? 0 : b.x1)));
    const x2 = Math.max(...d.bins.map((b) => b.x2));
    const ticks = linearTicks(x1, x2, tickBudget(frame, facet, 'x', 4));
    return {
      height: Math.round(frame.height ?? header + row * depth),
      keys: narrow ? [note, `rows: layer 1 (top) to ${depth}`] : [note],
      // Headroom above the tallest bar for each row's label.
      y: { domain: [0, row / (row - labelPx)], axis: null },
      // ReLU's first bar starts just above 0 (exact zeros are left out); the axis still starts at 0.
      x: {
        domain: [x1, x2],
        label: d.what === 'gradients' ? '∂ℒ/∂pre-activation' : 'activation value',
        ticks,
        tickFormat: tickFormat(ticks),
      },
      fx: { domain: inits, tickFormat: title, label: null, axis: 'top', padding: 0.16 },
      fy: {
        domain: Array.from({ length: depth }, (_, i) => i + 1),
        tickFormat: (l: number) => (narrow ? String(l) : `layer ${l}`),
        label: null,
        axis: 'left',
      },
      color: { domain: inits, range: inits.map(colorOf) },
      marks: [
        Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.2 }),
        Plot.rectY(d.bins, {
          x1: 'x1',
          x2: 'x2',
          y: height.bar,
          fx: 'init',
          fy: 'layer',
          fill: (b: Bin) => (b.saturated ? SATURATED_COLOR : colorOf(b.init)),
          fillOpacity: 0.8,
          insetLeft: 0.25,
          insetRight: 0.25,
        }),
        Plot.line(staircase(predicted, height.theory), {
          x: 'x',
          y: 'y',
          fx: 'init',
          fy: 'layer',
          stroke: 'currentColor',
          strokeWidth: 1,
          strokeDasharray: '3,2',
        }),
        Plot.text(d.layers, {
          fx: 'init',
          fy: 'layer',
          frameAnchor: 'top-left',
          lineAnchor: 'top',
          dx: 4,
          dy: 3,
          fontSize: frame.smallSize,
          fill: 'currentColor',
          text: (l: LayerStats) => labels.get(l)!.join('\n'),
        }),
      ],
    };
  },
};
