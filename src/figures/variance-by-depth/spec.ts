import * as Plot from '@observablehq/plot';
import { integerAxis, logAxis } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea } from '../frame';
import { colorOf } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import type { FigureView } from '../types';
import { initLabel } from '../../engine/init-catalogue';
import type { DepthPoint, VarianceData, schema } from './model';

const Y_LABEL = {
  pre: 'mean square of pre-activations',
  post: 'mean square of activations',
  grad: 'mean square of ∂ℒ/∂pre-activation',
  gradPost: 'mean square of ∂ℒ/∂activation',
} as const;

/** Log-scale mean square by layer: simulation as dots on a thin line, theory as a dashed line. */
export const view: FigureView<typeof schema, VarianceData> = {
  spec(d, _p, frame = DEFAULT_FRAME): ChartSpec {
    // Zero and non-finite values cannot sit on a log axis; they are reported in the summary instead.
    const shown = d.points.filter((p) => Number.isFinite(p.measured) && p.measured > 0);
    const theory = d.points.filter((p) => Number.isFinite(p.theory) && p.theory > 0);
    const inits = [...new Set(d.points.map((p) => p.init))];
    const last = inits
      .map((init) => shown.filter((p) => p.init === init).at(-1))
      .filter((p): p is DepthPoint => p !== undefined);
    const layers = d.points.map((p) => p.layer);
    const height = panelHeight(frame, 0.6, { min: 18 * lineHeight(frame.fontSize), max: 560 });
    const area = plotArea(frame, height, { right: 9 * frame.fontSize });
    return {
      height,
      keys: ['dashed: mean-field theory · dots: simulation'],
      y: {
        ...logAxis(
          frame,
          [...shown.map((p) => p.measured), ...theory.map((p) => p.theory)],
          'y',
          area.y,
        ),
        label: `${Y_LABEL[d.quantity]} (log scale)`,
        grid: true,
      },
      x: {
        ...integerAxis(frame, Math.min(...layers), Math.max(...layers), 'x', area.x),
        label: 'layer',
      },
      color: { domain: inits, range: inits.map(colorOf) },
      marks: [
        Plot.line(theory, {
          x: 'layer',
          y: 'theory',
          stroke: 'init',
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.line(shown, { x: 'layer', y: 'measured', stroke: 'init', strokeOpacity: 0.6 }),
        Plot.dot(shown, { x: 'layer', y: 'measured', fill: 'init', r: 2.5 }),
        directLabels(last, {
          x: 'layer',
          y: 'measured',
          text: (p: DepthPoint) => initLabel(p.init),
          fill: 'init',
        }),
      ],
    };
  },
};
