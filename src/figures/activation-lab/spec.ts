import * as Plot from '@observablehq/plot';
import { integerAxis, linearAxis, logAxis } from '../axis';
import { DEFAULT_FRAME, lineHeight, panelHeight, plotArea } from '../frame';
import { MEASURED_COLOR, THEORY_COLOR } from '../palette';
import { directLabels, type ChartSpec } from '../render';
import { formatNumber, type FigureNote, type FigureView } from '../types';
import type { LabData, schema } from './model';
import { criticalText, fixedPointText, gainText, momentsText } from './text';

const PHI = THEORY_COLOR;
const DPHI = MEASURED_COLOR;

/** Panel 1: φ and φ′; panel 2: mean square of pre-activations by layer, simulation vs theory. */
export const view: FigureView<typeof schema, LabData> = {
  spec(d, _p, frame = DEFAULT_FRAME): ChartSpec[] {
    const finite = d.curve.filter((p) => Number.isFinite(p.phi) && Number.isFinite(p.dphi));
    const lines = [
      ...finite.map((p) => ({ x: p.x, y: p.phi, curve: 'φ' })),
      ...finite.map((p) => ({ x: p.x, y: p.dphi, curve: 'φ′' })),
    ];
    const ends = ['φ', 'φ′'].map((c) => lines.filter((p) => p.curve === c).at(-1)!).filter(Boolean);
    const shown = d.depthPoints.filter((p) => Number.isFinite(p.measured) && p.measured > 0);
    const theory = d.depthPoints.filter((p) => Number.isFinite(p.theory) && p.theory > 0);
    const height = panelHeight(frame, 0.42, { min: 15 * lineHeight(frame.fontSize), max: 400 });
    const area = plotArea(frame, height, { right: 3 * frame.fontSize });
    const ys = lines.map((p) => p.y);
    const x0 = d.curve[0]!.x;
    const x1 = d.curve.at(-1)!.x;
    const layers = d.depthPoints.map((p) => p.layer);
    return [
      {
        height,
        x: { ...linearAxis(frame, x0, x1, 'x', area.x), label: 'x' },
        y: {
          ...linearAxis(frame, Math.min(0, ...ys), Math.max(0, ...ys), 'y', area.y),
          label: 'φ(x) and φ′(x)',
          grid: true,
        },
        color: { domain: ['φ', 'φ′'], range: [PHI, DPHI] },
        marks: [
          Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
          Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.5 }),
          Plot.line(
            lines.filter((p) => p.curve === 'φ'),
            { x: 'x', y: 'y', stroke: 'curve', strokeWidth: 2 },
          ),
          Plot.line(
            lines.filter((p) => p.curve === 'φ′'),
            { x: 'x', y: 'y', stroke: 'curve', strokeWidth: 2, strokeDasharray: '5,3' },
          ),
          directLabels(ends, { x: 'x', y: 'y', text: 'curve', fill: 'curve' }),
        ],
      },
      {
        height,
        keys: ['dashed: mean-field theory · dots: simulation'],
        y: {
          ...logAxis(
            frame,
            [...shown.map((p) => p.measured), ...theory.map((p) => p.theory)],
            'y',
            area.y,
          ),
          label: 'mean square of pre-activations (log scale)',
          grid: true,
        },
        x: {
          ...integerAxis(frame, Math.min(...layers), Math.max(...layers), 'x', area.x),
          label: 'layer',
        },
        marks: [
          Plot.line(theory, { x: 'layer', y: 'theory', stroke: DPHI, strokeDasharray: '5,4' }),
          Plot.line(shown, { x: 'layer', y: 'measured', stroke: PHI, strokeOpacity: 0.6 }),
          Plot.dot(shown, { x: 'layer', y: 'measured', fill: PHI, r: 2.5 }),
        ],
      },
    ];
  },
  notes(d, p): FigureNote[] {
    return [
      { label: 'Formula', text: `φ(x) = ${p.formula}`, tex: `\\phi(x) = ${d.tex}` },
      {
        label: 'Derivative',
        text: `φ′(x) = ${d.derivativeText}`,
        tex: `\\phi'(x) = ${d.derivativeTex}`,
      },
      { label: 'Moments at unit input', text: momentsText(d) },
      { label: 'Gain 1/√E[φ(z)²]', text: gainText(d) },
      {
        label: `Fixed point at σ_w² = ${formatNumber(p.sigmaW2)}, σ_b² = ${formatNumber(p.sigmaB2)}`,
        text: fixedPointText(d),
      },
      {
        label: `Critical σ_w² (χ₁ = 1) at σ_b² = ${formatNumber(p.sigmaB2)}`,
        text: criticalText(d),
      },
      ...(d.problems.theory
        ? [{ label: 'Mean-field theory (dashed)', text: `Line ${d.problems.theory}` }]
        : []),
    ];
  },
};
