import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { model, type LabParams } from '../../src/figures/activation-lab/model';
import { view } from '../../src/figures/activation-lab/spec';
import { defaults, parseParams } from '../../src/figures/params';
import { renderCharts } from '../../src/figures/render';
import { runToEnd } from '../../src/figures/types';

const run = (overrides: Partial<LabParams>) => {
  const params = { ...defaults(model.schema), depth: 8, width: 128, ...overrides };
  return { params, data: runToEnd(model.compute(params)) };
};

beforeAll(async () => {
  await model.prepare!();
});

describe('activation lab', () => {
  it('tanh: second-moment gain 1.5925 beside PyTorch’s 5/3', () => {
    const { data } = run({ formula: 'tanh(x)' });
    expect(data.gain).toBeCloseTo(1.5925, 4);
    expect(data.matches).toBe('tanh');
    expect(data.torch?.gain).toBeCloseTo(5 / 3, 14);
    expect(data.critical).toBeCloseTo(1, 6); // σ_b² = 0: χ₁ = σ_w²·φ′(0)² = 1
  });

  it('prints the mean of an odd φ as 0, not its rounding noise', () => {
    for (const formula of ['tanh(x)', 'x / (1 + abs(x))']) {
      const { params, data } = run({ formula });
      expect(Math.abs(data.mean ?? 1)).toBeLessThan(1e-12);
      expect(model.summary(data, params)).toContain('E[φ(z)] = 0,');
    }
    // A mean that is small but real stays a number.
    const { params, data } = run({ formula: 'tanh(x) + 1e-6' });
    expect(model.summary(data, params)).toContain('E[φ(z)] = 0.0000010000,');
  });

  it('recognises relu written as max, and leaky relu with its slope', () => {
    expect(run({ formula: 'max(0, x)' }).data.torch?.gain).toBeCloseTo(Math.SQRT2, 14);
    const leaky = run({ formula: 'max(0, x) + 0.1 * min(0, x)' }).data;
    expect(leaky.torch?.gain).toBeCloseTo(Math.sqrt(2 / 1.01), 14);
    expect(leaky.meanSquare).toBeCloseTo(1.01 / 2, 12);
    const custom = run({ formula: 'x / (1 + abs(x))' }).data;
    expect(custom.torch).toBeNull();
  });

  it('selu at σ_w² = 1: q* = 1, and the simulation follows the theory', () => {
    const { data } = run({ formula: 'selu(x)', sigmaW2: 1, depth: 10, width: 256 });
    expect(data.qStar).toBeCloseTo(1, 8);
    expect(data.torch?.gain).toBe(0.75);
    // Finite width: |log(measured/theory)| within 2.5·√(5·depth/width).
    for (const p of data.depthPoints) {
      expect(Math.abs(Math.log(p.measured / p.theory))).toBeLessThan(2.5 * Math.sqrt(50 / 256));
    }
  });

  it('throws the formula’s positioned error, and reads long formulas from URLs as a message', () => {
    expect(() => run({ formula: 'x * (2' })).toThrow(/Parenthesis/);
    const { messages } = parseParams(
      model.schema,
      new URLSearchParams({ 'lab.formula': 'x+'.repeat(150) }),
      'lab',
    );
    expect(messages[0]).toMatch(/too long/);
  });

  it('renders two panels and typeset notes', () => {
    const { data, params } = run({ formula: 'gelu(x)' });
    const { document } = new JSDOM('').window;
    const charts = renderCharts(view.spec(data, params), { document, title: 't', summary: 's' });
    expect(charts).toHaveLength(2);
    const notes = view.notes!(data, params);
    expect(notes.map((n) => n.label)).toContain('Derivative');
    expect(notes.find((n) => n.label === 'Derivative')?.tex).toContain('\\operatorname{erf}');
    expect(model.summary(data, params)).toMatch(/PyTorch’s calculate_gain has no entry for gelu/);
  });
});

describe('activation lab: moments that do not exist are not printed', () => {
  const notesOf = (formula: string, overrides: Partial<LabParams> = {}) => {
    const { params, data } = run({ formula, ...overrides });
    const notes = Object.fromEntries(view.notes!(data, params).map((n) => [n.label, n.text]));
    return { data, notes, summary: model.summary(data, params) };
  };
  const moments = 'Moments at unit input';
  const gain = 'Gain 1/√E[φ(z)²]';
  const fixed = (w2: number) => `Fixed point at σ_w² = ${w2}, σ_b² = 0`;

  it('exp(x²): E[φ] and E[φ²] are infinite, and no gain, q*, χ₁ or critical σ_w² is given', () => {
    const { data, notes, summary } = notesOf('exp(x^2)');
    expect(data).toMatchObject({ mean: null, meanSquare: null, gain: null, qStar: null });
    expect(data).toMatchObject({ chi1: null, critical: null });
    expect(notes[moments]).toMatch(/^E\[φ\(z\)\] and E\[φ\(z\)²\] are infinite for this φ: /);
    expect(notes[moments]).toMatch(/grows at least as fast as the Gaussian density/);
    expect(notes[gain]).toBe('none: E[φ(z)²] is infinite');
    expect(notes[fixed(1)]).toMatch(/^No q\*: E\[φ\(z\)²\] is infinite/);
    expect(notes['Critical σ_w² (χ₁ = 1) at σ_b² = 0']).toMatch(/^not computed/);
    // The quadrature alone gave E[φ] = 1.24e30, E[φ²] = 1.43e92 and a gain of 8.35e-47.
    expect(summary).not.toMatch(/e\+?(30|92)|e-47/);
    expect(data.depthPoints.every((p) => Number.isNaN(p.theory) || p.layer === 1)).toBe(true);
  });

  it('exp(x²/4): E[φ] = √2 is shown, E[φ²] is infinite', () => {
    const { data, notes } = notesOf('exp(x^2/4)');
    expect(data.mean).toBeCloseTo(Math.SQRT2, 10);
    expect(data.meanSquare).toBeNull();
    expect(notes[moments]).toMatch(/^E\[φ\(z\)\] = 1\.4142; E\[φ\(z\)²\] is infinite for this φ/);
  });

  it('exp(0.1·x²): finite at unit input; at σ_w² = 2 the theory stops where E[φ²] diverges', () => {
    const { data, notes } = notesOf('exp(0.1 * x^2)', { sigmaW2: 2 });
    // E[e^(c z²)] = 1/√(1 − 2c).
    expect(data.mean).toBeCloseTo(1 / Math.sqrt(0.8), 10);
    expect(data.meanSquare).toBeCloseTo(1 / Math.sqrt(0.6), 10);
    expect(data.gain).toBeCloseTo(Math.sqrt(Math.sqrt(0.6)), 10);
    // q¹ = 2, q² = 2/√(1 − 0.8) = 4.47 ≥ 2.5: layer 3 has no finite second moment.
    expect(data.depthPoints.slice(0, 2).every((p) => Number.isFinite(p.theory))).toBe(true);
    expect(data.depthPoints.slice(2).every((p) => Number.isNaN(p.theory))).toBe(true);
    expect(notes['Mean-field theory (dashed)']).toMatch(
      /^Line drawn to layer 2: layer 3 needs E\[φ\(√q·z\)²\] at q = 4\.47, which is infinite/,
    );
    expect(data.qStar).toBeNull();
    expect(notes[fixed(2)]).toMatch(/^No q\* found: E\[φ\(√q·z\)²\]/);
  });

  it('exp(x) and x^10 keep their numbers: E = e^(1/2), e² and 9!!, 19!!', () => {
    const e = notesOf('exp(x)').data;
    expect(e.mean).toBeCloseTo(Math.exp(0.5), 10);
    expect(e.meanSquare).toBeCloseTo(Math.exp(2), 10);
    const p = notesOf('x^10').data;
    expect(p.mean).toBeCloseTo(945, 7);
    expect(p.meanSquare! / 654729075).toBeCloseTo(1, 10);
    expect(p.problems.moments).toBeUndefined();
  });
});
