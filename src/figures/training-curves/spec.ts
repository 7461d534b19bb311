import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { colorOf } from '../palette';
import { formatNumber, type FigureView } from '../types';
import {
  GRID,
  GRID_EXTENT,
  type Run,
  type TrainingData,
  type TrainingParams,
  type schema,
} from './model';

/** Each panel's key sits on its own line below the y label (as in the other figures). */
const KEY_DY = -26;
const CLASS_COLORS = ['#2f6db5', '#c2410c'];
/** A key in the first facet only (a plain text mark would repeat in every facet). */
const facetKey = (facet: string, text: string) =>
  Plot.text([{ facet, text }], {
    fx: 'facet',
    frameAnchor: 'top-left',
    dy: KEY_DY - 10,
    textAnchor: 'start',
    text: 'text',
    fill: 'currentColor',
  });
const key = (text: string) =>
  Plot.text([text], {
    frameAnchor: 'top-right',
    dy: KEY_DY,
    textAnchor: 'end',
    fill: 'currentColor',
  });

/** Short names for end labels, which must fit a phone-width chart. */
const SHORT: Readonly<Record<string, string>> = {
  xavier_normal: 'Xavier',
  kaiming_normal: 'He',
  torch_default: 'PyTorch',
  lecun_normal: 'LeCun',
  unscaled: 'N(0, 1)',
  small: 'small',
  zeros: 'zeros',
};
const short = (init: string) => SHORT[init] ?? init;

interface LossPoint {
  readonly init: string;
  readonly step: number;
  readonly loss: number;
}

/** Panel 0: loss by step for every init, log scale; a ✕ where a run became non-finite. */
function lossPanel(d: TrainingData, p: TrainingParams): PlotOptions {
  const points: LossPoint[] = d.runs.flatMap((r) =>
    r.points
      .filter((q) => Number.isFinite(q.loss) && q.loss > 0)
      .map((q) => ({ init: r.init, step: q.step, loss: q.loss })),
  );
  const finite = points.map((q) => q.loss);
  const lo = Math.min(d.chanceLoss, ...finite);
  // Divergent runs would flatten everything else: the scale stops at 10⁵× chance and clips.
  const hi = Math.min(Math.max(d.chanceLoss, ...finite), 1e5 * d.chanceLoss);
  const domain = [lo / 1.5, hi * 1.5];
  const broken = d.runs.filter((r) => r.firstNonFinite !== null);
  const ends = d.runs
    .filter((r) => r.firstNonFinite === null)
    .map((r) => points.filter((q) => q.init === r.init).at(-1))
    .filter((q): q is LossPoint => q !== undefined);
  return {
    height: 300,
    marginTop: 48,
    marginRight: 70,
    x: { label: 'step →', domain: [0, p.steps] },
    y: {
      type: 'log',
      label: '↑ training loss (log scale)',
      domain,
      grid: true,
      tickFormat: formatNumber,
    },
    marks: [
      Plot.ruleY([d.chanceLoss], {
        stroke: 'currentColor',
        strokeOpacity: 0.5,
        strokeDasharray: '2,3',
      }),
      Plot.text([d.kind === 'classification' ? 'chance: ln 2' : 'predict 0'], {
        frameAnchor: 'left',
        y: d.chanceLoss,
        dx: 4,
        dy: -7,
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
      Plot.text(ends, {
        x: 'step',
        y: 'loss',
        text: (q: LossPoint) => short(q.init),
        fill: (q: LossPoint) => colorOf(q.init),
        textAnchor: 'start',
        dx: 6,
        clip: false,
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
        dy: 16,
        dx: 8,
        textAnchor: 'start',
        text: (r: Run) => `${short(r.init)}: NaN at step ${r.firstNonFinite}`,
        fill: (r: Run) => colorOf(r.init),
      }),
      key('lines: mean loss per stretch of steps · ✕: loss became NaN or ∞'),
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

/** Panel 1 (spirals only): P(class 1) on a coarse grid, one facet per init, with the data. */
function boundaryPanel(d: TrainingData): PlotOptions | null {
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
    // Square facets, whatever the container's width.
    width: 40 + 230 * runs.length,
    height: 280,
    marginTop: 58,
    marginBottom: 24,
    x: { domain: [-GRID_EXTENT - h / 2, GRID_EXTENT + h / 2], axis: null },
    y: { domain: [-GRID_EXTENT - h / 2, GRID_EXTENT + h / 2], axis: null },
    fx: { label: null, domain: runs.map(labelFacet), padding: 0.08 },
    color: {
      type: 'linear',
      domain: [0, 1],
      range: [CLASS_COLORS[0]!, '#f4f4f4', CLASS_COLORS[1]!],
      interpolate: 'rgb',
    },
    marks: [
      Plot.rect(shown, {
        fx: 'init',
        x1: 'x1',
        x2: 'x2',
        y1: 'y1',
        y2: 'y2',
        fill: 'p1',
        fillOpacity: 0.55,
        shapeRendering: 'crispEdges',
      }),
      Plot.dot(dots, {
        fx: 'init',
        x: 'x',
        y: 'y',
        r: 1.8,
        fill: (s: { label: number }) => CLASS_COLORS[s.label] ?? '#444',
      }),
      Plot.frame({ stroke: 'currentColor', strokeOpacity: 0.3 }),
      facetKey(labelFacet(runs[0]!), `after step ${step}: shade = predicted class, dots = data`),
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
  pick: (q: Run['points'][number]) => number[],
  label: string,
  rule: number | null,
): PlotOptions {
  const points: LayerPoint[] = d.runs.flatMap((r) =>
    r.points.flatMap((q) =>
      pick(q)
        .map((value, i) => ({ facet: short(r.init), step: q.step, layer: i + 1, value }))
        .filter((x) => Number.isFinite(x.value) && x.value > 0),
    ),
  );
  return {
    height: 230,
    marginTop: 68,
    marginRight: 24,
    x: { label: 'step →', ticks: 3 },
    y: { type: 'log', label: `↑ ${label} (log scale)`, grid: true, tickFormat: formatNumber },
    fx: { label: null, domain: d.runs.map((r) => short(r.init)), padding: 0.12 },
    color: { type: 'linear', domain: [1, d.layers], range: ['#1e3a8a', '#f59e0b'] },
    marks: [
      ...(rule === null
        ? []
        : [
            Plot.ruleY([rule], {
              stroke: 'currentColor',
              strokeOpacity: 0.6,
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
      facetKey(
        short(d.runs[0]?.init ?? ''),
        `layer 1 (blue) → ${d.layers} (orange)${rule === null ? '' : `; dashed: ${formatNumber(rule)}`}`,
      ),
    ],
  };
}

/**
 * The loss curves, the decision boundary (spirals), and per-layer gradient norms and
 * update-to-weight ratios over the steps.
 */
export const view: FigureView<typeof schema, TrainingData> = {
  spec(d, p): PlotOptions[] {
    const boundary = boundaryPanel(d);
    return [
      lossPanel(d, p),
      ...(boundary ? [boundary] : []),
      layerPanel(d, (q) => q.gradNorm, 'gradient norm ‖∂L/∂W‖', null),
      layerPanel(d, (q) => q.updateRatio, 'update ratio ‖ΔW‖/‖W‖', 1e-3),
    ];
  },
};
