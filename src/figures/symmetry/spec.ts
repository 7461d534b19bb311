import * as Plot from '@observablehq/plot';
import { integerAxis, linearAxis, thinTicks, tickBudget } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea } from '../frame';
import { initShort } from '../../engine/init-catalogue';
import { colorOf } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import { formatNumber, type FigureView } from '../types';
import { BATCH, WIDTH, relative, type SpreadRow, type SymmetryData, type schema } from './model';

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
  spec(d, p, frame = DEFAULT_FRAME): ChartSpec[] {
    const limit = Math.max(...d.cells.map((c) => Math.abs(c.value)), 0) || 1;
    const label = (init: string) =>
      init === 'constant' ? `c = ${formatNumber(p.value)}` : initShort(init);
    const points = spreadPoints(d.spreads, label);
    const series = [...new Set(points.map((q) => q.series))];
    const ends = series.map((s) => points.filter((q) => q.series === s).at(-1)!);
    const maxLayer = Math.max(...points.map((q) => q.layer));
    const lh = lineHeight(frame.fontSize);
    // Square cells: the grid is BATCH wide and WIDTH tall, plus the header and the axes.
    const heatHeight = panelHeight(frame, WIDTH / BATCH, { min: 16 * lh, max: 520 });
    const heatArea = plotArea(frame, heatHeight, { headerLines: 3 });
    const lineHeightPx = panelHeight(frame, 0.4, { min: 15 * lh, max: 400 });
    const lineArea = plotArea(frame, lineHeightPx, { right: 11 * frame.fontSize });
    const yMax = Math.max(1.2, ...points.map((q) => q.value));
    return [
      {
        height: heatHeight + (frame.height === undefined ? 5 * lh : 0),
        keys: [
          `activations at layer ${d.layer}: red < 0 < blue, from −${formatNumber(limit)} to ${formatNumber(limit)}`,
        ],
        x: {
          label: 'sample',
          ticks: thinTicks([1, 6, 12, 18, BATCH], tickBudget(frame, heatArea.x, 'x', 2)),
          tickSize: 0,
        },
        y: {
          label: 'unit',
          ticks: thinTicks([1, 4, 8, 12, WIDTH], tickBudget(frame, heatArea.y, 'y')),
          tickSize: 0,
          reverse: true,
        },
        color: { type: 'linear', scheme: 'rdbu', domain: [-limit, limit] },
        marks: [Plot.cell(d.cells, { x: 'sample', y: 'unit', fill: 'value', inset: 0.5 })],
      },
      {
        height: lineHeightPx,
        keys: ['solid: activations · dashed: gradients'],
        x: { ...integerAxis(frame, 1, maxLayer, 'x', lineArea.x), label: 'layer' },
        y: {
          ...linearAxis(frame, 0, yMax, 'y', lineArea.y),
          label: 'share of the variance across units',
          grid: true,
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
            ];
          }),
          directLabels(ends, {
            x: 'layer',
            y: 'value',
            text: 'series',
            fill: (q: SpreadPoint) => colorOf(q.init),
          }),
        ],
      },
    ];
  },
};
