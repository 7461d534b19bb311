import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { formatNumber, type FigureView } from '../types';
import {
  B2_RANGE,
  W2_RANGE,
  type DepthRow,
  type GridCell,
  type OrderChaosData,
  type schema,
} from './model';

const THEORY = '#2f6db5';
const SIMULATED = '#c2410c';

/**
 * Plot puts a y-axis label at the very top of the SVG; each panel's key sits on its own line below
 * it (top margin 48, key at 26 px above the frame), so the two never collide on narrow screens.
 */
const KEY_DY = -26;

/** Labels that stay readable on any shade: dark text on a light halo. */
const halo = { fill: '#111', stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' } as const;

/** Panel 0: the phase plane (linear σ_w² × σ_b² scales, so a click inverts to a point). */
function plane(d: OrderChaosData): PlotOptions {
  const byQ = d.shade === 'qstar';
  const value = (c: GridCell) => (byQ ? c.qStar : c.chi1);
  const cells = d.grid.cells.filter((c) => Number.isFinite(value(c)));
  const values = cells.map(value);
  const top = Math.max(...values);
  // χ₁ on a log scale centred on 1, as far each way as the larger excursion.
  const spread = Math.max(...values.map((v) => Math.abs(Math.log(v))), 0.1);
  const shading = byQ
    ? `shading: q* from 0 (light) to ${formatNumber(top)} (dark)`
    : 'shading: χ₁, blue < 1 (ordered) < red (chaotic)';
  const exploded = d.grid.cells.length - cells.length;
  return {
    height: 368,
    marginTop: 48,
    marginRight: 24,
    x: { label: 'weight variance σ_w² →', domain: [...W2_RANGE] },
    y: { label: '↑ bias variance σ_b²', domain: [...B2_RANGE] },
    color: byQ
      ? { type: 'linear', scheme: 'blues', domain: [0, top] }
      : {
          type: 'log',
          scheme: 'rdbu',
          reverse: true,
          domain: [Math.exp(-spread), Math.exp(spread)],
        },
    marks: [
      Plot.rect(cells, {
        x1: 'w2lo',
        x2: 'w2hi',
        y1: 'b2lo',
        y2: 'b2hi',
        fill: value,
        shapeRendering: 'crispEdges',
      }),
      Plot.line(d.grid.critical, {
        x: 'sigmaW2',
        y: 'sigmaB2',
        stroke: 'white',
        strokeWidth: 5,
      }),
      Plot.line(d.grid.critical, { x: 'sigmaW2', y: 'sigmaB2', stroke: '#111', strokeWidth: 2 }),
      Plot.text(d.grid.critical.slice(-1), {
        x: 'sigmaW2',
        y: 'sigmaB2',
        text: () => 'χ₁ = 1',
        dy: 12,
        dx: 6,
        textAnchor: 'start',
        ...halo,
      }),
      Plot.text(['ordered: χ₁ < 1'], { x: 0.6, y: 0.235, textAnchor: 'start', ...halo }),
      Plot.text([exploded > 0 ? 'chaotic: χ₁ > 1 (q* = ∞, unshaded)' : 'chaotic: χ₁ > 1'], {
        x: 3.9,
        y: 0.015,
        textAnchor: 'end',
        ...halo,
      }),
      Plot.dot([d], { x: 'sigmaW2', y: 'sigmaB2', r: 7, stroke: 'white', strokeWidth: 5 }),
      Plot.dot([d], { x: 'sigmaW2', y: 'sigmaB2', r: 7, stroke: '#111', strokeWidth: 2 }),
      Plot.text([`${shading} · click to choose a point`], {
        frameAnchor: 'top-right',
        dy: KEY_DY,
        textAnchor: 'end',
        fill: 'currentColor',
      }),
    ],
  };
}

/** Panel 1: variance by depth, theory (line) and simulation (dots), on a log scale. */
function variance(d: OrderChaosData): PlotOptions {
  const shown = d.layers.filter((l) => l.simulated > 0 && Number.isFinite(l.simulated));
  const theory = d.layers.filter((l) => l.q > 0 && Number.isFinite(l.q));
  const q = d.point.qStar;
  const hasStar = q > 0 && Number.isFinite(q);
  return {
    height: 240,
    marginTop: 48,
    marginRight: 90,
    x: { label: 'layer →' },
    y: { type: 'log', label: '↑ variance qˡ (log scale)', grid: true, tickFormat: formatNumber },
    marks: [
      ...(hasStar
        ? [
            Plot.ruleY([q], { stroke: 'currentColor', strokeOpacity: 0.5, strokeDasharray: '2,3' }),
            Plot.text([`q* = ${formatNumber(q)}`], {
              frameAnchor: 'right',
              y: q,
              dx: 84,
              textAnchor: 'end',
              fill: 'currentColor',
            }),
          ]
        : []),
      Plot.line(theory, { x: 'layer', y: 'q', stroke: THEORY, strokeWidth: 2 }),
      Plot.dot(shown, { x: 'layer', y: 'simulated', fill: SIMULATED, r: 2.5 }),
      Plot.text(['line: mean-field theory · dots: simulated network'], {
        frameAnchor: 'top-right',
        dy: KEY_DY,
        textAnchor: 'end',
        fill: 'currentColor',
      }),
    ],
  };
}

/** Panel 2: correlation of two inputs' pre-activations by depth (theory). */
function correlation(d: OrderChaosData): PlotOptions {
  const rows = d.layers.filter((l: DepthRow) => Number.isFinite(l.c));
  const low = Math.min(0, ...rows.map((l) => l.c));
  const c = d.point.cStar;
  return {
    height: 220,
    marginTop: 48,
    marginRight: 90,
    x: { label: 'layer →' },
    y: { label: '↑ correlation cˡ', domain: [low, 1], grid: true },
    marks: [
      ...(Number.isFinite(c)
        ? [
            Plot.ruleY([c], { stroke: 'currentColor', strokeOpacity: 0.5, strokeDasharray: '2,3' }),
            Plot.text([`c* = ${formatNumber(c)}`], {
              frameAnchor: 'right',
              y: c,
              dx: 84,
              textAnchor: 'end',
              fill: 'currentColor',
            }),
          ]
        : []),
      Plot.line(rows, { x: 'layer', y: 'c', stroke: THEORY, strokeWidth: 2 }),
      Plot.text(['two inputs’ pre-activations (theory)'], {
        frameAnchor: 'top-right',
        dy: KEY_DY,
        textAnchor: 'end',
        fill: 'currentColor',
      }),
    ],
  };
}

export const view: FigureView<typeof schema, OrderChaosData> = {
  spec(d): PlotOptions[] {
    return [plane(d), variance(d), correlation(d)];
  },
  pick: { panel: 0, x: 'sigmaW2', y: 'sigmaB2' },
};
