import { parse, type MathNode } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { activation, defineActivation, SELU_ALPHA, SELU_SCALE } from '../../src/engine/activations';
import { activationMoments, criticalSigmaW2, meanField } from '../../src/engine/meanfield';
import {
  analyseFormula,
  compileFormula,
  formulaFunctions,
  FormulaError,
  MAX_FORMULA_LENGTH,
} from '../../src/formula/activation-formula';
import { simplifyTree } from '../../src/formula/simplify';
import { formulaTex } from '../../src/formula/tex';

const asActivation = (text: string) => {
  const c = compileFormula(text);
  return defineActivation({ name: text, f: c.f, df: c.df, kinks: c.kinks });
};

/** Central difference, step h (exact enough away from kinks: error O(h²·φ‴)). */
const fd = (f: (x: number) => number, x: number, h = 1e-5) => (f(x + h) - f(x - h)) / (2 * h);

const FORMULAS = [
  'x * sigmoid(x)',
  'tanh(x)',
  'x / (1 + abs(x))',
  'max(0, x) + 0.1 * min(0, x)',
  'gelu(x)',
  'softplus(2 * x) / 2',
  'x^3 / 3 - sin(x) * exp(-x^2)',
  'erf(x) + log1p(x^2) + sqrt(1 + x^2)',
  'selu(x) + elu(x - 1) + relu(-x)',
  'atan(x) * cosh(x / 4) / (2 + x^2)',
  '(1 + x^2)^(2 + cos(x)) * step(x - 0.5) + 2^x',
];

describe('compileFormula: derivative', () => {
  it.each(FORMULAS)('φ′ of %s matches finite differences away from kinks', (text) => {
    const c = compileFormula(text);
    for (let x = -3.05; x <= 3; x += 0.1) {
      if (c.kinks.some((k) => Math.abs(k - x) < 1e-3)) continue;
      const want = fd(c.f, x);
      expect(Math.abs(c.df(x) - want)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want)));
    }
  });

  it('finds kinks where the arguments of abs, max, min, step and relu cross zero', () => {
    expect(compileFormula('max(0, x) + 0.1 * min(0, x)').kinks).toEqual([0]);
    expect(compileFormula('relu(x - 1) - abs(2 * x + 3)').kinks).toEqual([-1.5, 1]);
    const k = compileFormula('step(x^2 - 2)').kinks;
    expect(k).toHaveLength(2);
    expect(k[1]).toBeCloseTo(Math.SQRT2, 14);
    expect(compileFormula('tanh(x)').kinks).toEqual([]);
  });

  it('typesets the formula and its derivative', () => {
    const c = compileFormula('tanh(x)');
    expect(c.tex).toBe('\\tanh\\left( x\\right)');
    expect(c.derivativeText).toBe('1 - tanh(x) ^ 2');
    expect(compileFormula('x * sigmoid(x)').derivativeTex).toContain('\\operatorname{sigmoid}');
  });
});

describe('compileFormula: moments, gains and criticality against closed forms', () => {
  it('tanh: gain 1.5925, χ₁ and critical σ_w² equal the built-in', () => {
    const m = activationMoments(asActivation('tanh(x)'));
    expect(m.gain).toBeCloseTo(1.5925, 4);
    expect(m.gain).toBeCloseTo(activationMoments('tanh').gain, 12);
    expect(m.mean).toBeCloseTo(0, 14);
    const crit = criticalSigmaW2(asActivation('tanh(x)'), 0.05);
    expect(crit).toBeCloseTo(1.761, 3);
    expect(crit).toBeCloseTo(criticalSigmaW2('tanh', 0.05), 9);
  });

  it('relu: E[φ] = 1/√(2π), E[φ²] = 1/2, gain √2, critical σ_w² 2', () => {
    const m = activationMoments(asActivation('max(0, x)'));
    expect(m.mean).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 13);
    expect(m.meanSquare).toBeCloseTo(0.5, 13);
    expect(m.gain).toBeCloseTo(Math.SQRT2, 12);
    expect(criticalSigmaW2(asActivation('relu(x)'), 0)).toBeCloseTo(2, 9);
  });

  it('leaky relu integrates across its kink: E[φ²] = (1 + a²)/2, E[φ] = (1 − a)/√(2π)', () => {
    const m = activationMoments(asActivation('max(0, x) + 0.1 * min(0, x)'));
    expect(m.meanSquare).toBeCloseTo((1 + 0.01) / 2, 13);
    expect(m.mean).toBeCloseTo(0.9 / Math.sqrt(2 * Math.PI), 13);
    // A kink off zero: E[|z − 1|] = 2ϕ(1) + 1·(2Φ(1) − 1).
    const phi1 = Math.exp(-0.5) / Math.sqrt(2 * Math.PI);
    expect(activationMoments(asActivation('abs(x - 1)')).mean).toBeCloseTo(
      2 * phi1 + 0.6826894921370859,
      12,
    );
  });

  it('linear: gain 1, critical σ_w² = 1 at σ_b² = 0', () => {
    expect(activationMoments(asActivation('x')).gain).toBeCloseTo(1, 14);
    expect(criticalSigmaW2(asActivation('x'), 0)).toBeCloseTo(1, 9);
  });

  it('selu (typed out in full): zero mean, unit second moment, q* = 1 at σ_w² = 1', () => {
    const text = `${SELU_SCALE} * (max(0, x) + ${SELU_ALPHA} * min(0, exp(x) - 1))`;
    const m = activationMoments(asActivation(text));
    expect(m.mean).toBeCloseTo(0, 6);
    expect(m.meanSquare).toBeCloseTo(1, 6);
    const mf = meanField({
      activation: asActivation(text),
      sigmaW2: 1,
      sigmaB2: 0,
      q0: 3,
      depth: 5,
    });
    expect(mf.qStar).toBeCloseTo(1, 6);
  });

  it('silu: the same moments and χ₁ as the built-in', () => {
    const ours = asActivation('x * sigmoid(x)');
    expect(activationMoments(ours).meanSquare).toBeCloseTo(
      activationMoments(activation('silu')).meanSquare,
      13,
    );
    const a = meanField({ activation: ours, sigmaW2: 2, sigmaB2: 0.1, q0: 1, depth: 3 });
    const b = meanField({ activation: 'silu', sigmaW2: 2, sigmaB2: 0.1, q0: 1, depth: 3 });
    expect(a.chi1).toBeCloseTo(b.chi1, 10);
  });
});

describe('compileFormula: bad input says what and where', () => {
  const error = (text: string): FormulaError => {
    try {
      compileFormula(text);
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaError);
      return e as FormulaError;
    }
    throw new Error(`no error for ${text}`);
  };
  it.each([
    ['x * (2', 7, /Parenthesis \) expected/],
    ['x +* 2', 4, /Value expected/],
    ['2 * foo(x)', 5, /Unknown function ‘foo’/],
    ['x + alpha', 5, /Unknown symbol ‘alpha’/],
    ['x * y + 1', 5, /‘y’ is another variable: only x may vary/],
    ['2 * tanh', 5, /‘tanh’ is a function/],
    ['x + exp(x^3)', 5, /overflows at x = 7\.0/],
    ['tanh(x) + log(x)', 11, /undefined at x = −12/],
    ['x + sqrt(abs(x))', 5, /no finite derivative at x = 0/],
    ['x > 0 ? x : 0', 7, /Conditionals/],
    ['a = x', 3, /Assignments/],
    ['max(x)', 1, /max takes 2 arguments/],
    ['x > 1', 3, /Comparisons are not supported/],
    ['', 1, /Type a formula/],
  ])('%s → column %i', (text, column, message) => {
    const e = error(text);
    expect(e.message).toMatch(message);
    expect(e.column).toBe(column);
  });

  it('refuses absurdly long input unread', () => {
    const e = error(`x${' + x'.repeat(60)}`);
    expect(e.message).toMatch(`longer than ${MAX_FORMULA_LENGTH}`);
    expect(e.column).toBe(MAX_FORMULA_LENGTH + 1);
  });
});

describe('compileFormula: work grows with the formula, not exponentially', () => {
  const nested = (depth: number) => `${'tanh('.repeat(depth)}x${')'.repeat(depth)}`;
  const sum = (terms: number) => Array.from({ length: terms }, () => 'x').join('+');

  it('typesets each node once (mathjs renders every call’s arguments twice)', () => {
    // 16 levels: enough to show the doubling (2^16 calls), small enough to finish without the fix.
    const root = parse(nested(16));
    const calls = new Map<MathNode, number>();
    root.traverse((node) => {
      // Counts every toTex call on this node, then does what it did.
      const own = node.toTex.bind(node);
      node.toTex = (options) => {
        calls.set(node, (calls.get(node) ?? 0) + 1);
        return own(options);
      };
    });
    const tex = formulaTex(root);
    expect(tex.match(/\\tanh/g)).toHaveLength(16);
    expect(calls.size).toBe(17);
    expect(Math.max(...calls.values())).toBe(1);
  });

  it('tidies in one pass over the tree (mathjs simplifyCore revisits the first operand of +)', () => {
    const root = parse(Array.from({ length: 20 }, () => '1').join(' + '));
    const reads = new Map<MathNode, number>();
    root.traverse((node) => {
      if (node.type !== 'OperatorNode') return;
      const args = (node as unknown as { args: MathNode[] }).args;
      Object.defineProperty(node, 'args', {
        get: () => {
          reads.set(node, (reads.get(node) ?? 0) + 1);
          return args;
        },
      });
    });
    reads.clear(); // traverse itself read each node's operands once
    expect(simplifyTree(root).toString()).toBe('20');
    expect(reads.size).toBe(19);
    expect(Math.max(...reads.values())).toBe(1);
  });

  it('answers tanh nested 32 deep, the longest nesting that fits, with the chain rule’s product', () => {
    const c = compileFormula(nested(32));
    expect(c.tex.match(/\\tanh/g)).toHaveLength(32);
    // φ′ = Π (1 − tanh(uₖ)²): one factor per level.
    expect(c.derivativeText.match(/1 - tanh/g)).toHaveLength(32);
    for (const x of [-1.3, 0.2, 2]) {
      expect(Math.abs(c.df(x) - fd(c.f, x))).toBeLessThan(1e-6);
    }
  });

  it('answers a sum of 100 terms: its derivative tidies to 100', () => {
    const c = compileFormula(sum(100));
    expect(c.derivativeText).toBe('100');
    expect(c.f(0.5)).toBeCloseTo(50, 12);
  });

  it('keeps the tidying rules: signs fold, ·1 and +0 go, constants come first', () => {
    expect(compileFormula('x - -x').derivativeText).toBe('2');
    expect(compileFormula('3 * x * 2').derivativeText).toBe('6');
    expect(compileFormula('-(x - 2)').derivativeText).toBe('-1');
    expect(compileFormula('x * sigmoid(x)').derivativeText).toBe(
      'sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))',
    );
    expect(compileFormula('exp(-x^2)').derivativeText).toBe('exp(-x ^ 2) * -(2 * x)');
  });

  it('analyses a formula as plain data, and builds φ and φ′ apart from it', () => {
    const analysis = analyseFormula('x * sigmoid(x)');
    expect(structuredClone(analysis)).toEqual(analysis);
    const { f, df } = formulaFunctions('x * sigmoid(x)');
    const c = compileFormula('x * sigmoid(x)');
    expect({ ...analysis, f: c.f, df: c.df }).toEqual(c);
    expect(f(0.7)).toBe(c.f(0.7));
    expect(df(0.7)).toBe(c.df(0.7));
  });
});
