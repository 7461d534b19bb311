import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { colorOf } from '../palette';
import { formatNumber, type FigureView } from '../types';
import { measureName, type SaturationData, type SharePoint, type schema } from './model';

/** Layer 1 and the last layer in the gain sweep. */
const FIRST_COLOR = '#0e7490';
const LAST_COLOR = '#c2410c';

const percentTick = (x: number): string => `${formatNumber(100 * x)}%`;
const hasTheory = (s: SharePoint): boolean => s.theory !== null && Number.isFinite(s.theory);

/**
 * Two panels: the share by layer at the chosen gain, and the share at layer 1 and the last layer
 * as the gain sweeps 0.25 … 8 (a rule marks the chosen gain). Dots and thin lines are the
 * simulation, dashed lines the mean-field expectation.
 */
export const view: FigureView<typeof schema, SaturationData> = {
  spec(d, p): PlotOptions[] {
    const y = {
      domain: [0, 1],
      label: null,
      grid: true,
      tickFormat: percentTick,
      ticks: 5,
    };
    const color = colorOf(p.init);
    const name = measureName(d.activation);
    const title = `Share of ${name}`;
    const byLayer: PlotOptions = {
      height: 260,
      marginTop: 52,
      marginLeft: 48,
      marginRight: 20,
      y,
      x: { label: 'layer →', domain: [1, d.depth], ticks: Math.min(d.depth, 10) },
      marks: [
        Plot.line(d.byLayer.filter(hasTheory), {
          x: 'layer',
          y: 'theory',
          stroke: color,
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.line(d.byLayer, { x: 'layer', y: 'measured', stroke: color, strokeOpacity: 0.5 }),
        Plot.dot(d.byLayer, { x: 'layer', y: 'measured', fill: color, r: 3 }),
        Plot.text([`${title}, by layer, at gain ${formatNumber(d.gain)}`], {
          frameAnchor: 'top-left',
          dy: -36,
          fontWeight: 'bold',
          fill: 'currentColor',
        }),
        Plot.text(['dashed: mean-field expectation · dots: simulation'], {
          frameAnchor: 'top-left',
          dy: -20,
          fill: 'currentColor',
        }),
      ],
    };
    const layerColor = (s: SharePoint): string => (s.layer === 1 ? FIRST_COLOR : LAST_COLOR);
    const theory = d.sweepTheory.filter(hasTheory);
    const ends = [1, d.depth].map((layer) => theory.filter((s) => s.layer === layer).at(-1));
    const byGain: PlotOptions = {
      height: 260,
      marginTop: 52,
      marginLeft: 48,
      marginRight: 70,
      y,
      x: {
        // Base 2: with base 10, Plot keeps d3's log labels, which leave 8 blank.
        type: 'log',
        base: 2,
        label: 'gain (log scale) →',
        domain: [0.25, 8],
        ticks: [0.25, 0.5, 1, 2, 4, 8],
        tickFormat: (g: number) => String(g),
      },
      marks: [
        Plot.ruleX([d.gain], { stroke: 'currentColor', strokeOpacity: 0.4 }),
        Plot.line(theory, {
          x: 'gain',
          y: 'theory',
          z: 'layer',
          stroke: layerColor,
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.dot(d.sweep, { x: 'gain', y: 'measured', fill: layerColor, r: 3 }),
        // End labels, nudged apart for when the two curves meet.
        ...ends.map((s, i) =>
          Plot.text(s ? [s] : [], {
            x: 'gain',
            y: 'theory',
            text: (e: SharePoint) => `layer ${e.layer}`,
            fill: layerColor,
            textAnchor: 'start',
            dx: 6,
            dy: i === 0 ? -7 : 7,
          }),
        ),
        Plot.text([`${title}, at layers 1 and ${d.depth}, as the gain varies`], {
          frameAnchor: 'top-left',
          dy: -36,
          fontWeight: 'bold',
          fill: 'currentColor',
        }),
      ],
    };
    return [byLayer, byGain];
  },
};
