import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { colorOf } from '../palette';
import { formatNumber, type FigureView } from '../types';
import { initLabel } from '../variance-by-depth/inits';
import { WIDTHS, type WidthData, type WidthPoint, type schema } from './model';

/** One label per end value: inits whose theory ends at the same value share it. */
function endLabels(points: readonly WidthPoint[]): { point: WidthPoint; text: string }[] {
  const widest = points.filter((p) => p.width === WIDTHS.at(-1));
  const groups = new Map<string, WidthPoint[]>();
  for (const p of widest) {
    const key = formatNumber(p.theory);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => ({
    point: group[0]!,
    text: group.map((p) => initLabel(p.init)).join(' · '),
  }));
}

/** Log–log: the theory √(n·Var(w))·std(x) as dashed lines, the simulation as dots. */
export const view: FigureView<typeof schema, WidthData> = {
  spec(d): PlotOptions {
    const inits = [...new Set(d.points.map((p) => p.init))];
    return {
      marginRight: 170,
      // The key sits on its own line below the y-axis label (Plot puts that at the SVG's top).
      marginTop: 48,
      x: {
        type: 'log',
        base: 2,
        label: 'layer width n (inputs summed) →',
        ticks: [...WIDTHS],
        tickFormat: (n: number) => String(n),
      },
      y: {
        type: 'log',
        label: 'std of a pre-activation (log scale)',
        grid: true,
        tickFormat: formatNumber,
      },
      color: { domain: inits, range: inits.map(colorOf) },
      marks: [
        Plot.line(d.points, {
          x: 'width',
          y: 'theory',
          stroke: 'init',
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.dot(d.points, { x: 'width', y: 'measured', fill: 'init', r: 3 }),
        Plot.text(endLabels(d.points), {
          x: (l: { point: WidthPoint }) => l.point.width,
          y: (l: { point: WidthPoint }) => l.point.theory,
          text: (l: { point: WidthPoint; text: string }) =>
            `${l.text}: ${formatNumber(l.point.theory)}`,
          fill: (l: { point: WidthPoint }) => l.point.init,
          textAnchor: 'start',
          dx: 8,
          lineWidth: 14,
        }),
        Plot.text(['dashed: √(n·Var(w))·std(x) · dots: simulation'], {
          frameAnchor: 'top-right',
          dy: -26,
          fill: 'currentColor',
        }),
      ],
    };
  },
};
