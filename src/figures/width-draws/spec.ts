import * as Plot from '@observablehq/plot';
import { integerAxis, logAxis } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea } from '../frame';
import { colorOf } from '../palette';
import type { ChartSpec } from '../render';
import type { FigureView } from '../types';
import type { DrawsData, LayerSpread, schema } from './model';

interface DrawPoint {
  readonly draw: number;
  readonly layer: number;
  readonly m: number;
}

/**
 * Log-scale second moment by layer: one thin line per draw, the finite-width band exp(E ln M ± sd)
 * shaded, and the mean-field E[M] dashed.
 */
export const view: FigureView<typeof schema, DrawsData> = {
  spec(d, p, frame = DEFAULT_FRAME): ChartSpec {
    const color = colorOf(p.init);
    // A dead draw (M = 0) leaves the log axis: its line ends at its last live layer.
    const points: DrawPoint[] = d.lines.flatMap((line, draw) =>
      line.flatMap((m, layer) => (m > 0 && Number.isFinite(m) ? [{ draw, layer, m }] : [])),
    );
    const band = d.layers.map((r) => {
      const sd = Math.sqrt(r.logVarianceTheory);
      return {
        layer: r.layer,
        lo: r.geoMeanTheory * Math.exp(-sd),
        hi: r.geoMeanTheory * Math.exp(sd),
      };
    });
    const height = panelHeight(frame, 0.6, { min: 18 * lineHeight(frame.fontSize), max: 560 });
    const area = plotArea(frame, height);
    const layers = d.layers.map((r) => r.layer);
    return {
      height,
      keys: [`lines: ${d.drawn} draws · dashed: mean-field · band: ln M ± 1 sd (theory)`],
      y: {
        ...logAxis(
          frame,
          [
            ...points.map((q) => q.m),
            ...band.flatMap((b) => [b.lo, b.hi]),
            ...d.layers.map((r) => r.meanField),
          ],
          'y',
          area.y,
        ),
        label: 'second moment ‖a‖²/n of one input (log scale)',
        grid: true,
      },
      x: {
        ...integerAxis(frame, Math.min(...layers), Math.max(...layers), 'x', area.x),
        label: 'layer',
      },
      marks: [
        Plot.areaY(band, { x: 'layer', y1: 'lo', y2: 'hi', fill: color, fillOpacity: 0.15 }),
        Plot.line(points, {
          x: 'layer',
          y: 'm',
          z: 'draw',
          stroke: color,
          strokeOpacity: 0.35,
          strokeWidth: 1,
        }),
        Plot.line(d.layers, {
          x: 'layer',
          y: (r: LayerSpread) => r.meanField,
          stroke: 'currentColor',
          strokeDasharray: '5,4',
          strokeWidth: 1.5,
        }),
      ],
    };
  },
};
