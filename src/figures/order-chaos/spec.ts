import * as Plot from '@observablehq/plot';
import { integerAxis, linearAxis, logAxis } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea, type ChartFrame } from '../frame';
import { MEASURED_COLOR, THEORY_COLOR } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import { formatNumber, type FigureView } from '../types';
import {
  B2_RANGE,
  W2_RANGE,
  type DepthRow,
  type GridCell,
  type OrderChaosData,
  type schema,
} from './model';

/** Labels that stay readable on any shade of the plane: dark text on a light halo. */
const halo = { fill: '#111', stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' } as const;

const rows = (frame: ChartFrame, n: number) => n * lineHeight(frame.fontSize);

/** Panel 0: the phase plane (linear σ_w² × σ_b² scales, so a click inverts to a point). */
function plane(d: OrderChaosData, frame: ChartFrame): ChartSpec {
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
  const height = panelHeight(frame, 0.58, { min: rows(frame, 18), max: 560 });
  const area = plotArea(frame, height, { headerLines: 3 });
  return {
    height,
    keys: [`${shading} · click to choose a point`],
    x: { ...linearAxis(frame, ...W2_RANGE, 'x', area.x), label: 'weight variance σ_w²' },
    y: { ...linearAxis(frame, ...B2_RANGE, 'y', area.y), label: 'bias variance σ_b²' },
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
      Plot.line(d.grid.critical, { x: 'sigmaW2', y: 'sigmaB2', stroke: 'white', strokeWidth: 5 }),
      Plot.line(d.grid.critical, { x: 'sigmaW2', y: 'sigmaB2', stroke: '#111', strokeWidth: 2 }),
      Plot.text(d.grid.critical.slice(-1), {
        x: 'sigmaW2',
        y: 'sigmaB2',
        text: () => 'χ₁ = 1',
        dy: frame.fontSize,
        dx: 6,
        textAnchor: 'start',
        ...halo,
      }),
      Plot.text(['ordered: χ₁ < 1'], {
        frameAnchor: 'top-left',
        dx: 6,
        dy: lineHeight(frame.fontSize) / 2,
        textAnchor: 'start',
        lineAnchor: 'top',
        ...halo,
      }),
      Plot.text([exploded > 0 ? 'chaotic: χ₁ > 1 (q* = ∞, unshaded)' : 'chaotic: χ₁ > 1'], {
        frameAnchor: 'bottom-right',
        dx: -6,
        dy: -lineHeight(frame.fontSize) / 2,
        textAnchor: 'end',
        lineAnchor: 'bottom',
        lineWidth: Math.max(8, (area.x * 0.9) / frame.fontSize / 0.6),
        ...halo,
      }),
      Plot.dot([d], { x: 'sigmaW2', y: 'sigmaB2', r: 7, stroke: 'white', strokeWidth: 5 }),
      Plot.dot([d], { x: 'sigmaW2', y: 'sigmaB2', r: 7, stroke: '#111', strokeWidth: 2 }),
    ],
  };
}

/** A value named beside its dotted rule, in the right margin. */
function ruleLabel(value: number, text: string): Plot.Markish[] {
  return [
    Plot.ruleY([value], { stroke: 'currentColor', strokeOpacity: 0.6, strokeDasharray: '2,3' }),
    directLabels([text], { frameAnchor: 'right', y: value, fill: 'currentColor' }),
  ];
}

/** Panel 1: variance by depth, theory (line) and simulation (dots), on a log scale. */
function variance(d: OrderChaosData, frame: ChartFrame): ChartSpec {
  const shown = d.layers.filter((l) => l.simulated > 0 && Number.isFinite(l.simulated));
  const theory = d.layers.filter((l) => l.q > 0 && Number.isFinite(l.q));
  const q = d.point.qStar;
  const hasStar = q > 0 && Number.isFinite(q);
  const height = panelHeight(frame, 0.4, { min: rows(frame, 14), max: 400 });
  const area = plotArea(frame, height, { right: 6 * frame.fontSize });
  const layers = d.layers.map((l) => l.layer);
  return {
    height,
    keys: ['line: mean-field theory · dots: simulated network'],
    x: {
      ...integerAxis(frame, Math.min(...layers), Math.max(...layers), 'x', area.x),
      label: 'layer',
    },
    y: {
      ...logAxis(
        frame,
        [...shown.map((l) => l.simulated), ...theory.map((l) => l.q), ...(hasStar ? [q] : [])],
        'y',
        area.y,
      ),
      label: 'variance qˡ (log scale)',
      grid: true,
    },
    marks: [
      ...(hasStar ? ruleLabel(q, `q* = ${formatNumber(q)}`) : []),
      Plot.line(theory, { x: 'layer', y: 'q', stroke: THEORY_COLOR, strokeWidth: 2 }),
      Plot.dot(shown, { x: 'layer', y: 'simulated', fill: MEASURED_COLOR, r: 2.5 }),
    ],
  };
}

/** Panel 2: correlation of two inputs' pre-activations by depth (theory). */
function correlation(d: OrderChaosData, frame: ChartFrame): ChartSpec {
  const finite = d.layers.filter((l: DepthRow) => Number.isFinite(l.c));
  const low = Math.min(0, ...finite.map((l) => l.c));
  const c = d.point.cStar;
  const height = panelHeight(frame, 0.36, { min: rows(frame, 13), max: 360 });
  const area = plotArea(frame, height, { right: 6 * frame.fontSize });
  const layers = d.layers.map((l) => l.layer);
  return {
    height,
    keys: ['two inputs’ pre-activations (theory)'],
    x: {
      ...integerAxis(frame, Math.min(...layers), Math.max(...layers), 'x', area.x),
      label: 'layer',
    },
    y: { ...linearAxis(frame, low, 1, 'y', area.y), label: 'correlation cˡ', grid: true },
    marks: [
      ...(Number.isFinite(c) ? ruleLabel(c, `c* = ${formatNumber(c)}`) : []),
      Plot.line(finite, { x: 'layer', y: 'c', stroke: THEORY_COLOR, strokeWidth: 2 }),
    ],
  };
}

export const view: FigureView<typeof schema, OrderChaosData> = {
  spec(d, _p, frame = DEFAULT_FRAME): ChartSpec[] {
    return [plane(d, frame), variance(d, frame), correlation(d, frame)];
  },
  pick: { panel: 0, x: 'sigmaW2', y: 'sigmaB2' },
};
