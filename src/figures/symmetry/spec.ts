import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { colorOf } from '../palette';
import { formatNumber, type FigureView } from '../types';
import { BATCH, WIDTH, relative, type SpreadRow, type SymmetryData, type schema } from './model';

const SHORT: Readonly<Record<string, string>> = {
  zeros: 'zeros',
  small: 'small',
  xavier_normal: 'Xavier',
};

interface SpreadPoint {
  readonly series: string;
  readonly init: string;
  readonly layer: number;
  readonly value: number;
  readonly dashed: boolean;
}

/** Activations and gradients of each init as two series of relative spread by layer. */
function spreadPoints(rows: readonly SpreadRow[], label: (init: string) => string): SpreadPoint[] {
  return rows.flatMap((r) => [
    {
      series: `${label(r.init)}: activations`,
      init: r.init,
      layer: r.layer,
      value: relative(r.spread, r.variance),
      dashed: false,
    },
    {
      series: `${label(r.init)}: gradients`,
      init: r.init,
      layer: r.layer,
      value: relative(r.gradSpread, r.gradVariance),
      dashed: true,
    },
  ]);
}

/**
 * Two panels: the heatmap of one layer (units × samples; identical units make vertical stripes),
 * and the spread across units at every layer, as a share of the variance.
 */
export const view: FigureView<typeof schema, SymmetryData> = {
  spec(d, p): PlotOptions[] {
    const limit = Math.max(...d.cells.map((c) => Math.abs(c.value)), 0) || 1;
    // Short names: the end labels must fit a phone-width chart.
    const label = (init: string) =>
      SHORT[init] ?? (init === 'constant' ? `c = ${formatNumber(p.value)}` : init);
    const points = spreadPoints(d.spreads, label);
    const series = [...new Set(points.map((q) => q.series))];
    const ends = series.map((s) => points.filter((q) => q.series === s).at(-1)!);
    const maxLayer = Math.max(...points.map((q) => q.layer));
    return [
      {
        marginTop: 48,
        marginLeft: 48,
        height: 80 + 16 * WIDTH,
        x: {
          label: 'sample →',
          ticks: [1, 6, 12, 18, BATCH],
          tickSize: 0,
        },
        y: { label: '↑ unit', ticks: [1, 4, 8, 12, WIDTH], tickSize: 0, reverse: true },
        color: { type: 'linear', scheme: 'rdbu', domain: [-limit, limit] },
        marks: [
          Plot.cell(d.cells, { x: 'sample', y: 'unit', fill: 'value', inset: 0.5 }),
          Plot.text(
            [
              `activations at layer ${d.layer}: red < 0 < blue, from −${formatNumber(limit)} to ${formatNumber(limit)}`,
            ],
            { frameAnchor: 'top-right', dy: -26, textAnchor: 'end', fill: 'currentColor' },
          ),
        ],
      },
      {
        marginTop: 24,
        marginRight: 130,
        height: 240,
        x: { label: 'layer →', ticks: maxLayer, tickFormat: 'd' },
        y: {
          label: 'share of the variance across units',
          grid: true,
          domain: [0, Math.max(1.2, ...points.map((q) => q.value))],
        },
        marks: [
          Plot.ruleY([0]),
          ...[false, true].flatMap((dashed) => {
            const shown = points.filter((q) => q.dashed === dashed);
            return [
              Plot.line(shown, {
                x: 'layer',
                y: 'value',
                z: 'series',
                stroke: (q: SpreadPoint) => colorOf(q.init),
                ...(dashed ? { strokeDasharray: '5,4' } : {}),
              }),
              Plot.dot(shown, {
                x: 'layer',
                y: 'value',
                fill: (q: SpreadPoint) => colorOf(q.init),
                r: 2.5,
              }),
              // Tied curves coincide at 0: activations' label above, gradients' below.
              Plot.text(
                ends.filter((q) => q.dashed === dashed),
                {
                  x: 'layer',
                  y: 'value',
                  text: 'series',
                  fill: (q: SpreadPoint) => colorOf(q.init),
                  textAnchor: 'start',
                  dx: 8,
                  dy: dashed ? 8 : -8,
                },
              ),
            ];
          }),
          // In the empty middle of the frame, clear of the axis label and of both groups of curves.
          Plot.text(['solid: activations · dashed: gradients'], {
            frameAnchor: 'right',
            textAnchor: 'end',
            fill: 'currentColor',
          }),
        ],
      },
    ];
  },
};
