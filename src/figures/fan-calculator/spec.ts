import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { formatNumber, type FigureView } from '../types';
import type { FanData, schema } from './model';

/** Horizontal bars of each scheme's standard deviation, labelled with the exact value. */
export const view: FigureView<typeof schema, FanData> = {
  spec(d): PlotOptions {
    return {
      marginLeft: 150,
      marginRight: 150,
      height: 40 + 30 * d.schemes.length,
      x: { label: 'standard deviation of the weights →', grid: true, nice: true },
      y: { label: null, domain: d.schemes.map((s) => s.scheme) },
      marks: [
        Plot.barX(d.schemes, { y: 'scheme', x: 'std', fill: 'distribution', sort: null }),
        Plot.text(d.schemes, {
          y: 'scheme',
          x: 'std',
          text: (s: FanData['schemes'][number]) =>
            `${formatNumber(s.std)} (${s.distribution === 'uniform' ? `U ±${formatNumber(s.bound!)}` : s.distribution})`,
          textAnchor: 'start',
          dx: 4,
          fill: 'currentColor',
        }),
        Plot.ruleX([0]),
      ],
      color: {
        domain: ['uniform', 'normal', 'truncated normal'],
        range: ['#b4541c', '#2f6db5', '#5b8c3a'],
      },
    };
  },
};
