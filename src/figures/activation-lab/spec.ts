import * as Plot from '@observablehq/plot';
import type { PlotOptions } from '@observablehq/plot';
import { formatNumber, type FigureNote, type FigureView } from '../types';
import type { LabData, schema } from './model';
import { criticalText, fixedPointText, gainText, momentsText } from './text';

const PHI = '#2f6db5';
/** Plot's own ticks use the minus sign. */
const minus = (text: string): string => text.replace('-', '−');
const DPHI = '#c2410c';

/** Panel 1: φ and φ′; panel 2: mean square of pre-activations by layer, simulation vs theory. */
export const view: FigureView<typeof schema, LabData> = {
  spec(d): PlotOptions[] {
    const finite = d.curve.filter((p) => Number.isFinite(p.phi) && Number.isFinite(p.dphi));
    const lines = [
      ...finite.map((p) => ({ x: p.x, y: p.phi, curve: 'φ' })),
      ...finite.map((p) => ({ x: p.x, y: p.dphi, curve: 'φ′' })),
    ];
    const ends = ['φ', 'φ′'].map((c) => lines.filter((p) => p.curve === c).at(-1)!).filter(Boolean);
    const shown = d.depthPoints.filter((p) => Number.isFinite(p.measured) && p.measured > 0);
    const theory = d.depthPoints.filter((p) => Number.isFinite(p.theory) && p.theory > 0);
    return [
      {
        height: 260,
        marginRight: 40,
        x: { label: 'x →', domain: [d.curve[0]!.x, d.curve.at(-1)!.x] },
        // Short ticks (2e7, not 20,000,000): fast-growing φ would push long ones out of the margin.
        y: {
          label: '↑ φ(x) and φ′(x)',
          grid: true,
          tickFormat: (v: number) => minus(formatNumber(v)),
        },
        color: { domain: ['φ', 'φ′'], range: [PHI, DPHI] },
        marks: [
          Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.4 }),
          Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.4 }),
          Plot.line(
            lines.filter((p) => p.curve === 'φ'),
            { x: 'x', y: 'y', stroke: 'curve', strokeWidth: 2 },
          ),
          Plot.line(
            lines.filter((p) => p.curve === 'φ′'),
            { x: 'x', y: 'y', stroke: 'curve', strokeWidth: 2, strokeDasharray: '5,3' },
          ),
          Plot.text(ends, {
            x: 'x',
            y: 'y',
            text: 'curve',
            fill: 'curve',
            dx: 8,
            textAnchor: 'start',
            fontSize: 14,
          }),
        ],
      },
      {
        height: 260,
        marginRight: 40,
        marginTop: 36,
        y: {
          type: 'log',
          label: 'mean square of pre-activations (log scale)',
          grid: true,
          ticks: 5,
          tickFormat: formatNumber,
        },
        x: { label: 'layer →', nice: true },
        marks: [
          Plot.line(theory, { x: 'layer', y: 'theory', stroke: DPHI, strokeDasharray: '5,4' }),
          Plot.line(shown, { x: 'layer', y: 'measured', stroke: PHI, strokeOpacity: 0.5 }),
          Plot.dot(shown, { x: 'layer', y: 'measured', fill: PHI, r: 2.5 }),
          Plot.text(['dashed: mean-field theory · dots: simulation'], {
            frameAnchor: 'top-right',
            dy: -24,
            fill: 'currentColor',
          }),
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
