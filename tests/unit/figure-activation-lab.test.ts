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
