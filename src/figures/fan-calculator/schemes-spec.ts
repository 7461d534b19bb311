import * as Plot from '@observablehq/plot';
import { linearAxis } from '../axis';
import { DEFAULT_FRAME, lineHeight } from '../frame';
import { estimateWidth } from '../measure';
import { colorOf } from '../palette';
import type { ChartSpec } from '../render';
import { formatNumber } from '../types';
import type { SchemeScale } from './schemes';

type Scheme = SchemeScale;

const valueText = (s: Scheme): string =>
  `${formatNumber(s.std)} (${s.distribution === 'uniform' ? `U ±${formatNumber(s.bound!)}` : s.distribution})`;

/**
 * Horizontal bars of each scheme's standard deviation for the module's weight, labelled with the
 * exact value. Wide: names on the axis, values at the bars' ends. Narrow: name and value on a line
 * above each bar, so the bars keep the width.
 */
export function schemesSpec(
  d: { readonly schemes: readonly Scheme[] },
  frame = DEFAULT_FRAME,
): ChartSpec {
  {
    // Names and values beside the bars need about forty ems: below that, above them.
    const narrow = frame.width < 40 * frame.fontSize;
    // Name and value on one line where the longest fits, else on two.
    const oneLine = d.schemes.every(
      (s) =>
        estimateWidth(`${s.scheme}: ${valueText(s)}`, frame.fontSize, frame.fontWeight) <=
        frame.width - 8,
    );
    const lines = narrow && !oneLine ? 2 : 1;
    const lh = lineHeight(frame.fontSize);
    const n = d.schemes.length;
    const rowPx = narrow ? (1.8 + lines) * lh : 1.9 * lh;
    const height = Math.round(frame.height ?? n * rowPx + 4 * lh);
    const band = ((height - 4 * lh) / n) * 0.85;
    const top = Math.max(...d.schemes.map((s) => s.std));
    const length = frame.width - (narrow ? 2 : 22) * frame.fontSize;
    const x = linearAxis(frame, 0, top, 'x', length);
    const domain: [number, number] = [0, Math.max(top, x.ticks.at(-1) ?? top)];
    return {
      height,
      x: { ...x, domain, label: 'standard deviation of the weights', grid: true },
      y: {
        label: null,
        domain: d.schemes.map((s) => s.scheme),
        ...(narrow ? { axis: null } : {}),
      },
      color: {
        domain: ['uniform', 'normal', 'truncated normal'],
        range: [colorOf('kaiming_uniform'), colorOf('xavier_normal'), colorOf('lecun_normal')],
      },
      marks: [
        Plot.barX(d.schemes, {
          y: 'scheme',
          x: 'std',
          fill: 'distribution',
          sort: null,
          ...(narrow ? { insetTop: band - Math.max(6, band - (lines + 0.15) * lh) } : {}),
        }),
        narrow
          ? Plot.text(d.schemes, {
              y: 'scheme',
              frameAnchor: 'left',
              dy: -band / 2,
              lineAnchor: 'top',
              textAnchor: 'start',
              dx: 3,
              text: (s: Scheme) => `${s.scheme}:${lines === 2 ? '\n' : ' '}${valueText(s)}`,
              lineHeight: 1.3,
              fill: 'currentColor',
            })
          : Plot.text(d.schemes, {
              y: 'scheme',
              x: 'std',
              text: valueText,
              textAnchor: 'start',
              dx: 4,
              fill: 'currentColor',
            }),
        Plot.ruleX([0]),
      ],
    };
  }
}
