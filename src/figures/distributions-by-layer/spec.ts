import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { colorOf } from '../palette';
import { formatNumber, type FigureView } from '../types';
import { initName, type Bin, type DistributionData, type LayerStats, type schema } from './model';

/** Bars in the saturated ends: one colour for every init, named in the note above the chart. */
export const SATURATED_COLOR = '#e11d48';
/** Height of one layer's row. */
const ROW_HEIGHT = 58;

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
function rowText(what: DistributionData['what'], activation: string) {
  return (l: LayerStats): string => {
    const parts = [
      `std ${formatNumber(l.std)}${l.theoryStd === null ? '' : ` (${formatNumber(l.theoryStd)})`}`,
    ];
    if (l.saturated !== null) parts.push(`${formatNumber(100 * l.saturated)}% saturated`);
    if (what === 'activations' && activation === 'relu')
      parts.push(`${formatNumber(100 * l.zero)}% zero`);
    if (l.offChart >= 0.01) parts.push(`${formatNumber(100 * l.offChart)}% off chart`);
    return parts.join(' · ');
  };
}

/**
 * Small multiples: one row per layer (layer 1 on top), one column per initialization, bars of the
 * density on one shared x axis, so that narrowing and piling up at the ends compare at a glance.
 */
export const view: FigureView<typeof schema, DistributionData> = {
  spec(d): PlotOptions {
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
    return {
      marginTop: 48,
      marginLeft: 56,
      marginRight: 12,
      height: 70 + ROW_HEIGHT * depth,
      // Headroom above the tallest bar for each row's label.
      y: { domain: [0, 1.4], axis: null },
      // ReLU's first bar starts just above 0 (exact zeros are left out); the axis still starts at 0.
      x: {
        domain: [
          Math.min(...d.bins.map((b) => (b.x1 === Number.MIN_VALUE ? 0 : b.x1))),
          Math.max(...d.bins.map((b) => b.x2)),
        ],
        label: d.what === 'gradients' ? '∂L/∂pre-activation →' : 'activation value →',
        tickFormat: formatNumber,
        ticks: inits.length > 2 ? 3 : 5,
      },
      fx: { domain: inits, tickFormat: initName, label: null, axis: 'top' },
      fy: {
        domain: Array.from({ length: depth }, (_, i) => i + 1),
        tickFormat: (l: number) => `layer ${l}`,
        label: null,
      },
      color: { domain: inits, range: inits.map(colorOf) },
      marks: [
        Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.15 }),
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
          dx: 4,
          dy: 3,
          fontSize: 10,
          fill: 'currentColor',
          text: rowText(d.what, d.activation),
        }),
        Plot.text([note], {
          frameAnchor: 'top-right',
          dy: -40,
          fill: 'currentColor',
          facet: 'super',
        }),
      ],
    };
  },
};
