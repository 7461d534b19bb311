import * as Plot from '@observablehq/plot';
import { logAxis, thinTicks, tickBudget } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea } from '../frame';
import { colorOf } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import { formatNumber, type FigureView } from '../types';
import { initLabel } from '../../engine/init-catalogue';
import { WIDTHS, type WidthData, type WidthPoint, type schema } from './model';

interface EndLabel {
  readonly point: WidthPoint;
  readonly text: string;
}

/** One label per end value: inits whose theory ends at the same value share it. */
function endLabels(points: readonly WidthPoint[]): EndLabel[] {
  const widest = points.filter((p) => p.width === WIDTHS.at(-1));
  const groups = new Map<string, WidthPoint[]>();
  for (const p of widest) {
    const key = formatNumber(p.theory);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((group) => ({
    point: group[0]!,
    text: `${group.map((p) => initLabel(p.init)).join(' · ')}: ${formatNumber(group[0]!.theory)}`,
  }));
}

/** Log–log: the theory √(n·Var(w))·std(x) as dashed lines, the simulation as dots. */
export const view: FigureView<typeof schema, WidthData> = {
  spec(d, _p, frame = DEFAULT_FRAME): ChartSpec {
    const inits = [...new Set(d.points.map((p) => p.init))];
    const height = panelHeight(frame, 0.6, { min: 18 * lineHeight(frame.fontSize), max: 520 });
    const area = plotArea(frame, height, { right: 12 * frame.fontSize });
    const ticks = thinTicks([...WIDTHS], tickBudget(frame, area.x, 'x', 4));
    return {
      height,
      keys: ['dashed: √(n·Var(w))·std(x) · dots: simulation'],
      x: {
        type: 'log',
        base: 2,
        label: 'layer width n (inputs summed)',
        domain: [WIDTHS[0], WIDTHS.at(-1)!],
        ticks,
        tickFormat: (n: number) => String(n),
        inset: Math.round(frame.fontSize / 2),
      },
      y: {
        ...logAxis(
          frame,
          d.points.flatMap((p) => [p.theory, p.measured]),
          'y',
          area.y,
        ),
        label: 'std of a pre-activation (log scale)',
        grid: true,
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
        directLabels(endLabels(d.points), {
          x: (l: EndLabel) => l.point.width,
          y: (l: EndLabel) => l.point.theory,
          text: 'text',
          fill: (l: EndLabel) => colorOf(l.point.init),
        }),
      ],
    };
  },
};
