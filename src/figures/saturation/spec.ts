import * as Plot from '@observablehq/plot';
import { integerAxis, tickFormat } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea } from '../frame';
import { colorOf, MEASURED_COLOR } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import { formatNumber, type FigureView } from '../types';
import { measureName, type SaturationData, type SharePoint, type schema } from './model';

/** Layer 1 and the last layer in the gain sweep. */
const FIRST_COLOR = colorOf('orthogonal');
const LAST_COLOR = MEASURED_COLOR;

const PERCENT_TICKS = [0, 0.25, 0.5, 0.75, 1];
const percent = tickFormat(PERCENT_TICKS.map((t) => 100 * t));
const percentTick = (x: number): string => `${percent(100 * x)}%`;
const hasTheory = (s: SharePoint): boolean => s.theory !== null && Number.isFinite(s.theory);
const GAINS = [0.25, 0.5, 1, 2, 4, 8];

/**
 * Two panels: the share by layer at the chosen gain, and the share at layer 1 and the last layer
 * as the gain sweeps 0.25 … 8 (a rule marks the chosen gain). Dots and thin lines are the
 * simulation, dashed lines the mean-field expectation.
 */
export const view: FigureView<typeof schema, SaturationData> = {
  spec(d, p, frame = DEFAULT_FRAME): ChartSpec[] {
    const height = panelHeight(frame, 0.45, { min: 16 * lineHeight(frame.fontSize), max: 420 });
    const area = plotArea(frame, height, { headerLines: 3 });
    const y = {
      domain: [0, 1],
      label: null,
      grid: true,
      tickFormat: percentTick,
      ticks: PERCENT_TICKS,
    };
    const color = colorOf(p.init);
    const name = measureName(d.activation);
    const title = `Share of ${name}`;
    const byLayer: ChartSpec = {
      height,
      heading: `${title}, by layer, at gain ${formatNumber(d.gain)}`,
      keys: ['dashed: mean-field expectation · dots: simulation'],
      y,
      x: { ...integerAxis(frame, 1, d.depth, 'x', area.x), label: 'layer' },
      marks: [
        Plot.line(d.byLayer.filter(hasTheory), {
          x: 'layer',
          y: 'theory',
          stroke: color,
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.line(d.byLayer, { x: 'layer', y: 'measured', stroke: color, strokeOpacity: 0.6 }),
        Plot.dot(d.byLayer, { x: 'layer', y: 'measured', fill: color, r: 3 }),
      ],
    };
    const layerColor = (s: SharePoint): string => (s.layer === 1 ? FIRST_COLOR : LAST_COLOR);
    const theory = d.sweepTheory.filter(hasTheory);
    const ends = [1, d.depth]
      .map((layer) => theory.filter((s) => s.layer === layer).at(-1))
      .filter((s): s is SharePoint => s !== undefined);
    const byGain: ChartSpec = {
      height,
      heading: `${title}, at layers 1 and ${d.depth}, as the gain varies`,
      y,
      x: {
        // Base 2: with base 10, Plot keeps d3's log labels, which leave 8 blank.
        type: 'log',
        base: 2,
        label: 'gain (log scale)',
        domain: [GAINS[0]!, GAINS.at(-1)!],
        ticks: GAINS,
        tickFormat: (g: number) => String(g),
        inset: Math.round(frame.fontSize / 2),
      },
      marks: [
        Plot.ruleX([d.gain], { stroke: 'currentColor', strokeOpacity: 0.5 }),
        Plot.line(theory, {
          x: 'gain',
          y: 'theory',
          z: 'layer',
          stroke: layerColor,
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.dot(d.sweep, { x: 'gain', y: 'measured', fill: layerColor, r: 3 }),
        directLabels(ends, {
          x: 'gain',
          y: 'theory',
          text: (e: SharePoint) => `layer ${e.layer}`,
          fill: layerColor,
        }),
      ],
    };
    return [byLayer, byGain];
  },
};
