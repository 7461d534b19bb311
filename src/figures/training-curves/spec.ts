import * as Plot from '@observablehq/plot';
import { integerAxis, logTicks, tickBudget, tickFormat } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea, type ChartFrame } from '../frame';
import { initShort } from '../../engine/init-catalogue';
import { colorOf, RAMP } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import { formatNumber, type FigureView } from '../types';
import {
  GRID,
  GRID_EXTENT,
  type Run,
  type TrainingData,
  type TrainingParams,
  type schema,
} from './model';

/** The two classes' colours, for the data; the predicted P(class 1) shades the grid between tints of them. */
const CLASS_COLORS = [colorOf('xavier_normal'), colorOf('kaiming_normal')];
/** Shades of P(class 1) from 0 to 1 (figure.css defines them for each theme: tints in light, deep tones in dark). */
const SHADE_STEPS = 8;
const shade = (p1: number): string =>
  `var(--ib-chart-class-${Math.round(Math.min(1, Math.max(0, p1)) * SHADE_STEPS)})`;

/** Short names for end labels, which must fit a phone-width chart (the catalogue's). */
const short = initShort;

interface LossPoint {
  readonly init: string;
  readonly step: number;
  readonly loss: number;
}

const rows = (frame: ChartFrame, n: number) => n * lineHeight(frame.fontSize);

/** Panel 0: loss by step for every init, log scale; a ✕ where a run became non-finite. */
function lossPanel(d: TrainingData, p: TrainingParams, frame: ChartFrame): ChartSpec {
  const points: LossPoint[] = d.runs.flatMap((r) =>
    r.points
      .filter((q) => Number.isFinite(q.loss) && q.loss > 0)
      .map((q) => ({ init: r.init, step: q.step, loss: q.loss })),
  );
  const finite = points.map((q) => q.loss);
  const lo = Math.min(d.chanceLoss, ...finite);
  // Divergent runs would flatten everything else: the scale stops at 10⁵× chance and clips.
  const hi = Math.min(Math.max(d.chanceLoss, ...finite), 1e5 * d.chanceLoss);
  const domain: [number, number] = [lo / 1.5, hi * 1.5];
  const broken = d.runs.filter((r) => r.firstNonFinite !== null);
  const ends = d.runs
    .filter((r) => r.firstNonFinite === null)
    .map((r) => points.filter((q) => q.init === r.init).at(-1))
    .filter((q): q is LossPoint => q !== undefined);
  const height = panelHeight(frame, 0.45, { min: rows(frame, 16), max: 440 });
  const area = plotArea(frame, height, { right: 5 * frame.fontSize, headerLines: 3 });
  const ticks = logTicks(domain[0], domain[1], tickBudget(frame, area.y, 'y'));
  return {
    height,
    keys: ['lines: mean loss per stretch of steps · ✕: loss became NaN or ∞'],
    x: { ...integerAxis(frame, 0, p.steps, 'x', area.x), label: 'step' },
    y: {
      type: 'log',
      label: 'training loss (log scale)',
      domain,
      ticks,
      tickFormat: tickFormat(ticks),
      grid: true,
    },
    marks: [
      Plot.ruleY([d.chanceLoss], {
        stroke: 'currentColor',
        strokeOpacity: 0.6,
        strokeDasharray: '2,3',
      }),
      Plot.text([d.kind === 'classification' ? 'chance: ln 2' : 'predict 0'], {
        frameAnchor: 'left',
        y: d.chanceLoss,
        dx: 4,
        lineAnchor: 'bottom',
        dy: -3,
        textAnchor: 'start',
        fill: 'currentColor',
      }),
      Plot.line(points, {
        x: 'step',
        y: 'loss',
        z: 'init',
        stroke: (q: LossPoint) => colorOf(q.init),
        strokeWidth: 2,
        clip: true,
      }),
      // A run that broke after a step or two has no line to speak of: a dot per recorded step.
      Plot.dot(
        points.filter((q) => d.runs.find((r) => r.init === q.init)!.points.length <= 3),
        { x: 'step', y: 'loss', fill: (q: LossPoint) => colorOf(q.init), r: 3, clip: true },
      ),
      directLabels(ends, {
        x: 'step',
        y: 'loss',
        text: (q: LossPoint) => short(q.init),
        fill: (q: LossPoint) => colorOf(q.init),
      }),
      // Non-finite: a cross at the top of the frame, at the step that broke.
      Plot.dot(broken, {
        x: (r: Run) => r.firstNonFinite,
        frameAnchor: 'top',
        symbol: 'times',
        r: 7,
        strokeWidth: 3,
        stroke: (r: Run) => colorOf(r.init),
      }),
      Plot.text(broken, {
        x: (r: Run) => r.firstNonFinite,
        frameAnchor: 'top',
        dy: 10,
        dx: 10,
        lineAnchor: 'top',
        textAnchor: 'start',
        text: (r: Run) => `${short(r.init)}: NaN at step ${r.firstNonFinite}`,
        fill: (r: Run) => colorOf(r.init),
      }),
    ],
  };
}

interface Cell {
  readonly init: string;
  readonly x1: number;
  readonly x2: number;
  readonly y1: number;
  readonly y2: number;
  readonly p1: number;
}

/** Panel 1 (spirals only): P(class 1) on a coarse grid, one square facet per init, with the data. */
function boundaryPanel(d: TrainingData): ChartSpec | null {
  const runs = d.runs.filter((r) => r.boundary !== null);
  if (d.kind !== 'classification' || runs.length === 0) return null;
  const h = (2 * GRID_EXTENT) / (GRID - 1);
  const cells: Cell[] = runs.flatMap((r) =>
    r.boundary!.p1.map((p1, k) => {
      const x = -GRID_EXTENT + h * (k % GRID);
      const y = -GRID_EXTENT + h * Math.floor(k / GRID);
      return {
        init: labelFacet(r),
        x1: x - h / 2,
        x2: x + h / 2,
        y1: y - h / 2,
        y2: y + h / 2,
        p1,
      };
    }),
  );
  const shown = cells.filter((c) => Number.isFinite(c.p1));
  const dots = runs.flatMap((r) => d.samples.map((s) => ({ ...s, init: labelFacet(r) })));
  const step = runs[0]!.boundary!.step;
  return {
    facetAspect: 1,
    keys: [`after step ${step}: shade = predicted class, dots = data`],
    x: { domain: [-GRID_EXTENT - h / 2, GRID_EXTENT + h / 2], axis: null },
    y: { domain: [-GRID_EXTENT - h / 2, GRID_EXTENT + h / 2], axis: null },
    fx: { label: null, domain: runs.map(labelFacet), padding: 0.08 },
    marks: [
      Plot.rect(shown, {
        fx: 'init',
        x1: 'x1',
        x2: 'x2',
        y1: 'y1',
        y2: 'y2',
        fill: (c: Cell) => shade(c.p1),
        shapeRendering: 'crispEdges',
      }),
      Plot.dot(dots, {
        fx: 'init',
        x: 'x',
        y: 'y',
        r: 1.8,
        fill: (s: { label: number }) => CLASS_COLORS[s.label] ?? 'currentColor',
      }),
      Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.4 }),
    ],
  };
}

const labelFacet = (r: Run) => short(r.init);

interface LayerPoint {
  readonly facet: string;
  readonly step: number;
  readonly layer: number;
  readonly value: number;
}

/** Panels 2 and 3: a per-layer quantity by step, one facet per init, coloured by depth. */
function layerPanel(
  d: TrainingData,
  p: TrainingParams,
  frame: ChartFrame,
  pick: (q: Run['points'][number]) => number[],
  label: string,
  rule: number | null,
): ChartSpec {
  const points: LayerPoint[] = d.runs.flatMap((r) =>
    r.points.flatMap((q) =>
      pick(q)
        .map((value, i) => ({ facet: short(r.init), step: q.step, layer: i + 1, value }))
        .filter((x) => Number.isFinite(x.value) && x.value > 0),
    ),
  );
  const height = panelHeight(frame, 0.36, { min: rows(frame, 14), max: 380 });
  const area = plotArea(frame, height, { headerLines: 3 });
  const facets = Math.max(1, d.runs.length);
  const values = points.map((q) => q.value);
  const [lo, hi] = values.length > 0 ? [Math.min(...values), Math.max(...values)] : [0.1, 10];
  const ticks = logTicks(lo, hi > lo ? hi : lo * 2, tickBudget(frame, area.y, 'y'));
  return {
    height,
    keys: [
      `layer 1 (blue) → ${d.layers} (orange)${rule === null ? '' : ` · dashed: ${formatNumber(rule)}`}`,
    ],
    x: { ...integerAxis(frame, 0, p.steps, 'x', (area.x / facets) * 0.85), label: 'step' },
    y: {
      type: 'log',
      label: `${label} (log scale)`,
      domain: [lo, hi > lo ? hi : lo * 2],
      ticks,
      tickFormat: tickFormat(ticks),
      grid: true,
    },
    fx: { label: null, domain: d.runs.map((r) => short(r.init)), padding: 0.12 },
    color: { type: 'linear', domain: [1, d.layers], range: [...RAMP], interpolate: 'rgb' },
    marks: [
      ...(rule === null
        ? []
        : [
            Plot.ruleY([rule], {
              stroke: 'currentColor',
              strokeOpacity: 0.7,
              strokeDasharray: '4,3',
            }),
          ]),
      Plot.line(points, {
        fx: 'facet',
        x: 'step',
        y: 'value',
        z: 'layer',
        stroke: 'layer',
        strokeWidth: 1.2,
      }),
    ],
  };
}

/**
 * The loss curves, the decision boundary (spirals), and per-layer gradient norms and
 * update-to-weight ratios over the steps.
 */
export const view: FigureView<typeof schema, TrainingData> = {
  spec(d, p, frame = DEFAULT_FRAME): ChartSpec[] {
    const boundary = boundaryPanel(d);
    return [
      lossPanel(d, p, frame),
      ...(boundary ? [boundary] : []),
      layerPanel(d, p, frame, (q) => q.gradNorm, 'gradient norm ‖∂ℒ/∂W‖', null),
      layerPanel(d, p, frame, (q) => q.updateRatio, 'update ratio ‖ΔW‖/‖W‖', 1e-3),
    ];
  },
};
