import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { logAxisMarginLeft } from '../axis';
import { colorOf } from '../palette';
import { formatNumber, type FigureView } from '../types';
import { initLabel } from './inits';
import type { DepthPoint, VarianceData, schema } from './model';

const Y_LABEL = {
  pre: 'mean square of pre-activations',
  post: 'mean square of activations',
  grad: 'mean square of ∂L/∂pre-activation',
  gradPost: 'mean square of ∂L/∂activation',
} as const;

/** Log-scale mean square by layer: simulation as dots on a thin line, theory as a dashed line. */
export const view: FigureView<typeof schema, VarianceData> = {
  spec(d): PlotOptions {
    // Zero and non-finite values cannot sit on a log axis; they are reported in the summary instead.
    const shown = d.points.filter((p) => Number.isFinite(p.measured) && p.measured > 0);
    const theory = d.points.filter((p) => Number.isFinite(p.theory) && p.theory > 0);
    const inits = [...new Set(d.points.map((p) => p.init))];
    const last = inits
      .map((init) => shown.filter((p) => p.init === init).at(-1))
      .filter((p): p is DepthPoint => p !== undefined);
    const marginLeft = logAxisMarginLeft([
      ...shown.map((p) => p.measured),
      ...theory.map((p) => p.theory),
    ]);
    return {
      ...(marginLeft === undefined ? {} : { marginLeft }),
      marginRight: 120,
      marginTop: 36,
      y: {
        type: 'log',
        label: `${Y_LABEL[d.quantity]} (log scale)`,
        grid: true,
        ticks: 6,
        tickFormat: formatNumber,
      },
      x: { label: 'layer →', nice: true },
      color: { domain: inits, range: inits.map(colorOf) },
      marks: [
        Plot.line(theory, {
          x: 'layer',
          y: 'theory',
          stroke: 'init',
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
        Plot.line(shown, { x: 'layer', y: 'measured', stroke: 'init', strokeOpacity: 0.5 }),
        Plot.dot(shown, { x: 'layer', y: 'measured', fill: 'init', r: 2.5 }),
        Plot.text(last, {
          x: 'layer',
          y: 'measured',
          text: (p: DepthPoint) => initLabel(p.init),
          fill: 'init',
          textAnchor: 'start',
          dx: 6,
        }),
        Plot.text(['dashed: mean-field theory · dots: simulation'], {
          frameAnchor: 'top-right',
          dy: -24,
          fill: 'currentColor',
        }),
      ],
    };
  },
};
