/**
 * The diagnosis as charts and words: the measured second moment of each layer's pre-activations
 * beside the mean-field prediction, with the stable range shaded and the first layer out of it
 * marked; the same for the gradients; and a text summary that says everything the chart shows.
 *
 * @module
 */
import * as Plot from '@observablehq/plot';
import { integerAxis, logAxis } from '../figures/axis';
import {
  DEFAULT_FRAME,
  lineHeight,
  panelHeight,
  plotArea,
  type ChartFrame,
} from '../figures/frame';
import { ALERT_COLOR, MEASURED_COLOR, THEORY_COLOR } from '../figures/palette';
import type { ChartSpec } from '../figures/render';
import { formatNumber } from '../figures/types';
import { RANGE, type Diagnosis, type LayerReport, type Reason } from './analyse';

const positive = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;

interface Point {
  readonly layer: number;
  readonly value: number;
}

const points = (layers: readonly LayerReport[], pick: (l: LayerReport) => number | null) =>
  layers.flatMap((l) => {
    const value = pick(l);
    return positive(value) ? [{ layer: l.layer, value }] : [];
  });

function panel(
  d: Diagnosis,
  frame: ChartFrame,
  heading: string,
  measured: Point[],
  predicted: Point[],
  band: [number, number] | null,
  reveal: boolean,
): ChartSpec {
  const height = panelHeight(frame, 0.5, { min: 16 * lineHeight(frame.fontSize), max: 440 });
  const area = plotArea(frame, height, { headerLines: 3 });
  const values = [...measured, ...predicted].map((p) => p.value);
  if (band) values.push(...band);
  const n = d.layers.length;
  const flagged = reveal ? d.firstFlagged : null;
  return {
    height,
    heading,
    keys: [
      band
        ? 'dots: measured · dashed: mean field · shaded: stable range'
        : 'dots: measured · dashed: mean field from the last layer down',
    ],
    y: {
      ...logAxis(frame, values.length > 0 ? values : [1], 'y', area.y),
      label: null,
      grid: true,
    },
    x: { ...integerAxis(frame, 1, Math.max(2, n), 'x', area.x), label: 'layer' },
    marks: [
      ...(band
        ? [
            Plot.rectY([band], {
              x1: 0.5,
              x2: Math.max(2, n) + 0.5,
              y1: (b: [number, number]) => b[0],
              y2: (b: [number, number]) => b[1],
              fill: THEORY_COLOR,
              fillOpacity: 0.1,
            }),
          ]
        : []),
      ...(flagged === null
        ? []
        : [Plot.ruleX([flagged], { stroke: ALERT_COLOR, strokeWidth: 2, strokeDasharray: '2,3' })]),
      // The prediction on top of the measurement, so that its dashes show where the two agree.
      Plot.line(measured, { x: 'layer', y: 'value', stroke: MEASURED_COLOR, strokeOpacity: 0.6 }),
      Plot.line(predicted, {
        x: 'layer',
        y: 'value',
        stroke: THEORY_COLOR,
        strokeDasharray: '5,4',
        strokeWidth: 1.5,
      }),
      Plot.dot(measured, {
        x: 'layer',
        y: 'value',
        fill: (p: Point) => (p.layer === flagged ? ALERT_COLOR : MEASURED_COLOR),
        r: (p: Point) => (p.layer === flagged ? 5 : 3),
      }),
    ],
  };
}

/**
 * Two panels: forward (with the stable range) and backward. `reveal: false` leaves the first layer
 * out of range unmarked (the chapter's exercise).
 */
export function diagnosisSpec(
  d: Diagnosis,
  frame: ChartFrame = DEFAULT_FRAME,
  { reveal = true }: { readonly reveal?: boolean } = {},
): ChartSpec[] {
  const x = d.inputSecondMoment;
  const forward = panel(
    d,
    frame,
    'E[y²] of each layer’s pre-activations (log scale)',
    points(d.layers, (l) => l.measured),
    points(d.layers, (l) => l.predicted),
    x > 0 ? [x / RANGE, x * RANGE] : null,
    reveal,
  );
  const grads = points(d.layers, (l) => l.grad);
  if (grads.length === 0) return [forward];
  const backward = panel(
    d,
    frame,
    'E[(∂L/∂y)²] of each layer (log scale)',
    grads,
    points(d.layers, (l) => l.gradPredicted),
    null,
    reveal,
  );
  return [forward, backward];
}

const REASON: Record<Reason, string> = {
  grows: `its E[y²] is more than ${RANGE} times the input's`,
  shrinks: `its E[y²] is less than 1/${RANGE} of the input's`,
  saturated: 'more than half of its units are saturated',
  dead: 'more than half of its units are dead (zero on the whole batch)',
};

const f = (x: number | null): string => (x === null ? 'n/a' : formatNumber(x));
const pct = (x: number | null): string =>
  x === null ? 'n/a' : `${formatNumber(Math.round(1000 * x) / 10)}%`;

/** The verdict: which layer leaves the stable range and why, or that none does. */
export function verdict(d: Diagnosis): string {
  if (d.firstFlagged === null) {
    return `Every layer stays in the stable range: E[y²] within a factor ${RANGE} of the input's E[x²] = ${f(d.inputSecondMoment)}, and at most half the units saturated or dead.`;
  }
  const l = d.layers[d.firstFlagged - 1]!;
  return `Layer ${l.layer} (“${l.name}”) is the first to leave the stable range: ${REASON[l.reason!]} (E[y²] = ${f(l.measured)}, ${f(l.ratio)} × the input's).`;
}

/** The gain proposal, in words. */
export function fixText(d: Diagnosis): string | null {
  const fix = d.fix;
  if (!fix) return null;
  const torch =
    fix.torchGain === null
      ? `PyTorch's calculate_gain has no value for ${fix.activation}; the gain that keeps a unit second moment through ${fix.activation} is ${f(fix.unitGain)}`
      : `calculate_gain('${fix.activation}') = ${f(fix.torchGain)}` +
        (Math.abs(fix.unitGain - fix.torchGain) > 1e-9
          ? ` (the gain that keeps exactly a unit second moment through ${fix.activation} is ${f(fix.unitGain)})`
          : '');
  const check = fix.fixStaysInRange
    ? 'with every layer drawn at the gain of its own activation, the mean field keeps every layer in the stable range'
    : 'even with every layer at the gain of its own activation, the mean field leaves the stable range somewhere: look at the biases and the input scale too';
  return `Layer ${fix.layer}'s weights have gain ${f(fix.currentGain)} (std × √fan_in). Proposed: gain ${f(fix.proposed)}, that is std = ${f(fix.proposed)}/√fan_in, for ${fix.activation}: ${torch}. Check: ${check}.`;
}

/** A text summary of the charts, for readers who do not see them. */
export function diagnosisSummary(d: Diagnosis, { reveal = true } = {}): string {
  const first = d.layers[0]!;
  const last = d.layers.at(-1)!;
  const parts = [
    `${d.model}: ${d.layers.length} layers, batch ${d.batchSize}.`,
    `E[y²] goes from ${f(first.measured)} at layer 1 to ${f(last.measured)} at layer ${last.layer} (mean field: ${f(first.predicted)} to ${f(last.predicted)}).`,
  ];
  if (first.grad !== null && last.grad !== null) {
    parts.push(
      `The gradient's second moment is ${f(last.grad)} at layer ${last.layer} and ${f(first.grad)} at layer 1 (mean field: ${f(first.gradPredicted)}).`,
    );
  }
  const sat = d.layers.filter((l) => (l.saturated ?? 0) > 0.01);
  if (sat.length > 0)
    parts.push(`Saturated units reach ${pct(Math.max(...sat.map((l) => l.saturated!)))}.`);
  const dead = d.layers.filter((l) => (l.dead ?? 0) > 0);
  if (dead.length > 0)
    parts.push(`Dead units reach ${pct(Math.max(...dead.map((l) => l.dead!)))}.`);
  if (reveal) parts.push(verdict(d));
  return parts.join(' ');
}

/** The initial-loss check, in words, or null without the loss in the file. */
export function lossText(d: Diagnosis): string | null {
  if (!d.loss) return null;
  const { loss, lnK, expected } = d.loss;
  const s2 = d.layers.at(-1)!.measured;
  const nats = (x: number) => x.toFixed(4);
  return `Initial loss ${nats(loss)}; ln K = ${nats(lnK)}. With logits of second moment s² = ${f(s2)}, expect about ln K + (1 − 1/K)·s²/2 = ${nats(expected)}.`;
}
