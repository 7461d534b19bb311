import { describe, expect, test } from 'vitest';
import { activation, normalCdf } from '../../src/engine/activations';
import { criticalSigmaW2, meanField, meanFieldStep } from '../../src/engine/meanfield';
import { bivariateExpectation, gaussianExpectation } from '../../src/engine/quadrature';
import { EngineInputError } from '../../src/engine/validate';

const relu = activation('relu');
const sq =
  (f: (x: number) => number) =>
  (x: number): number =>
    f(x) ** 2;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Independent reference: composite Simpson on [−14, 14] with 400 001 points. */
function simpson(g: (x: number) => number, q: number): number {
  const n = 400_000;
  const h = 28 / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const z = -14 + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * g(Math.sqrt(q) * z) * Math.exp(-0.5 * z * z);
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

describe('Gaussian quadrature', () => {
  test('Gaussian moments E[z^k] = (k−1)!! are exact', () => {
    expect(gaussianExpectation((x) => x ** 2, 1)).toBeCloseTo(1, 14);
    expect(gaussianExpectation((x) => x ** 4, 1)).toBeCloseTo(3, 13);
    expect(gaussianExpectation((x) => x ** 8, 1)).toBeCloseTo(105, 11);
  });

  test.each([1e-8, 1, 1e4, 1e12, 1e100])('relu at q = %d: E[φ²] = q/2, E[φ′²] = 1/2', (q) => {
    expect(rel(gaussianExpectation(sq(relu.f), q, relu.kinks), q / 2)).toBeLessThan(1e-13);
    expect(rel(gaussianExpectation(sq(relu.df), q, relu.kinks), 0.5)).toBeLessThan(1e-13);
  });

  test.each([1e-4, 0.3, 1, 100, 1e8])('gelu at q = %d: E[x·Φ(x)] = q/√(2π(1+q))', (q) => {
    const exact = q / Math.sqrt(2 * Math.PI * (1 + q));
    expect(rel(gaussianExpectation(activation('gelu').f, q), exact)).toBeLessThan(1e-12);
  });

  test.each([0.5, 4, 100])('elu at q = %d: E[φ] = √(q/2π) + α(e^(q/2)Φ(−√q) − 1/2)', (q) => {
    const a = 0.7;
    const exact =
      Math.sqrt(q / (2 * Math.PI)) + a * (Math.exp(q / 2) * normalCdf(-Math.sqrt(q)) - 0.5);
    const elu = activation('elu', a);
    expect(rel(gaussianExpectation(elu.f, q, elu.kinks), exact)).toBeLessThan(1e-11);
  });

  test('tanh and sigmoid agree with a 400 001-point Simpson reference', () => {
    for (const name of ['tanh', 'sigmoid', 'silu', 'softplus']) {
      const a = activation(name);
      for (const q of [0.25, 2, 30]) {
        expect(rel(gaussianExpectation(sq(a.f), q), simpson(sq(a.f), q))).toBeLessThan(1e-10);
        expect(rel(gaussianExpectation(sq(a.df), q), simpson(sq(a.df), q))).toBeLessThan(1e-10);
      }
    }
  });

  test('SELU is self-normalising: q = 1 maps to 1 with mean 0 (σ_w² = 1, σ_b² = 0)', () => {
    const selu = activation('selu');
    expect(Math.abs(gaussianExpectation(sq(selu.f), 1, selu.kinks) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(gaussianExpectation(selu.f, 1, selu.kinks))).toBeLessThan(1e-6);
    const mf = meanField({ activation: 'selu', sigmaW2: 1, sigmaB2: 0, q0: 1, depth: 3 });
    for (const q of mf.q) expect(Math.abs(q - 1)).toBeLessThan(1e-5);
  });

  test('bivariate relu matches the arc-cosine kernel (Cho & Saul 2009)', () => {
    for (const c of [-0.9, 0, 0.3, 0.99]) {
      const t = Math.acos(c);
      // E[relu(u1)relu(u2)] = √(q1·q2)·(sin θ + (π − θ)·cos θ)/(2π), cos θ = c.
      const exact = (Math.sqrt(2 * 3) * (Math.sin(t) + (Math.PI - t) * c)) / (2 * Math.PI);
      expect(rel(bivariateExpectation(relu.f, relu.f, 2, 3, c, [0]), exact)).toBeLessThan(1e-9);
    }
  });
});

describe('meanField', () => {
  test('relu and linear recursions are exact', () => {
    const r = meanField({ activation: 'relu', sigmaW2: 1.6, sigmaB2: 0.3, q0: 2, depth: 5 });
    for (let l = 1; l <= 5; l++) expect(r.q[l]).toBeCloseTo(0.8 * r.q[l - 1]! + 0.3, 12);
    expect(r.qStar).toBeCloseTo(0.3 / (1 - 0.8), 12);
    expect(r.chi1).toBeCloseTo(0.8, 13);
    expect(r.cStar).toBe(1);
    const lin = meanField({ activation: 'linear', sigmaW2: 0.5, sigmaB2: 0, q0: 3, depth: 3 });
    expect(lin.q).toEqual([3, 1.5, 0.75, 0.375].map((v) => expect.closeTo(v, 13)));
    expect(lin.qStar).toBe(0); // vanishes
    const up = meanField({ activation: 'linear', sigmaW2: 1.5, sigmaB2: 0.1, q0: 1, depth: 2 });
    expect(up.qStar).toBe(Infinity); // explodes
    const flat = meanField({ activation: 'relu', sigmaW2: 2, sigmaB2: 0, q0: 0.7, depth: 30 });
    expect(flat.q[30]).toBeCloseTo(0.7, 12); // He init preserves q exactly
    expect(flat.qStar).toBeCloseTo(0.7, 12);
  });

  test('backward prediction multiplies by σ_w²·(n_l/n_{l−1})·E[φ′²] per layer', () => {
    const widths = [100, 200, 50, 50];
    const r = meanField({ activation: 'relu', sigmaW2: 2, sigmaB2: 0, q0: 1, depth: 3, widths });
    expect(r.gradPost[3]).toBe(1);
    expect(r.gradPost[2]).toBeCloseTo(2 * (50 / 50) * 0.5, 12);
    expect(r.gradPost[1]).toBeCloseTo(1 * 2 * (50 / 200) * 0.5, 12);
    expect(r.gradPost[0]).toBeCloseTo(0.25 * 2 * (200 / 100) * 0.5, 12);
    expect(r.gradPre[1]).toBeCloseTo(r.gradPost[1]! * 0.5, 12);
  });

  test('tanh: ordered below the critical line, chaotic above it', () => {
    const ordered = meanField({ activation: 'tanh', sigmaW2: 1.5, sigmaB2: 0.3, q0: 1, depth: 5 });
    expect(ordered.chi1).toBeLessThan(1);
    expect(ordered.cStar).toBe(1);
    expect(ordered.xiC).toBeCloseTo(-1 / Math.log(ordered.chi1), 12);
    const chaotic = meanField({ activation: 'tanh', sigmaW2: 4, sigmaB2: 0.05, q0: 1, depth: 5 });
    expect(chaotic.chi1).toBeGreaterThan(1);
    expect(chaotic.cStar).toBeGreaterThan(0);
    expect(chaotic.cStar).toBeLessThan(1);
    expect(chaotic.chiC).toBeLessThan(1); // c* is stable
    // c* is a fixed point of the correlation map: iterating from c* stays there.
    const again = meanField({
      activation: 'tanh',
      sigmaW2: 4,
      sigmaB2: 0.05,
      q0: chaotic.qStar,
      c0: chaotic.cStar,
      depth: 1,
    });
    expect(again.c[1]).toBeCloseTo(chaotic.cStar, 7);
    // ξ_q from the slope of the q-map, checked against a finite difference of q[1](q0).
    const qAt = (q0: number): number =>
      meanField({ activation: 'tanh', sigmaW2: 4, sigmaB2: 0.05, q0, depth: 1 }).q[1]!;
    const h = 1e-5 * chaotic.qStar;
    const slope = (qAt(chaotic.qStar + h) - qAt(chaotic.qStar - h)) / (2 * h);
    expect(chaotic.xiQ).toBeCloseTo(-1 / Math.log(slope), 5);
  });

  test('criticalSigmaW2: relu → 2, tanh → 1 at σ_b² = 0, and increasing in σ_b² for tanh', () => {
    expect(Math.abs(criticalSigmaW2('relu', 0) - 2)).toBeLessThan(1e-6);
    expect(Math.abs(criticalSigmaW2('tanh', 0) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(criticalSigmaW2('leaky_relu', 0, 0.2) - 2 / 1.04)).toBeLessThan(1e-6);
    let prev = 1;
    for (const b2 of [0.01, 0.05, 0.2, 1]) {
      const w2 = criticalSigmaW2('tanh', b2);
      expect(w2).toBeGreaterThan(prev);
      const r = meanField({ activation: 'tanh', sigmaW2: w2, sigmaB2: b2, q0: 1, depth: 1 });
      expect(Math.abs(r.chi1 - 1)).toBeLessThan(1e-8);
      prev = w2;
    }
  });

  test.each(['linear', 'leaky_relu', 'sigmoid', 'selu', 'elu', 'gelu', 'silu', 'softplus'])(
    '%s: finite, consistent results',
    (name) => {
      const r = meanField({ activation: name, sigmaW2: 1.5, sigmaB2: 0.1, q0: 1, depth: 4 });
      expect(r.q).toHaveLength(5);
      expect(r.q.every(Number.isFinite)).toBe(true);
      if (Number.isFinite(r.qStar) && r.qStar > 0) {
        const next = meanField({
          activation: name,
          sigmaW2: 1.5,
          sigmaB2: 0.1,
          q0: r.qStar,
          depth: 1,
        });
        expect(rel(next.q[1]!, r.qStar)).toBeLessThan(1e-10);
      }
    },
  );

  test('invalid inputs throw EngineInputError naming the parameter', () => {
    const base = { activation: 'tanh', sigmaW2: 1, sigmaB2: 0, q0: 1, depth: 3 };
    const cases: [Record<string, unknown>, string][] = [
      [{ activation: 'swish' }, 'activation'],
      [{ sigmaW2: -1 }, 'sigmaW2'],
      [{ sigmaB2: Number.NaN }, 'sigmaB2'],
      [{ q0: Infinity }, 'q0'],
      [{ depth: 2.5 }, 'depth'],
      [{ c0: 1.5 }, 'c0'],
      [{ widths: [1, 2] }, 'widths'],
    ];
    for (const [patch, param] of cases) {
      const run = (): unknown => meanField({ ...base, ...patch } as typeof base);
      expect(run).toThrow(EngineInputError);
      expect(run).toThrow(new RegExp(`^${param} must be`));
    }
    expect(() => criticalSigmaW2('nope', 0)).toThrow(/^activation must be/);
    expect(() => criticalSigmaW2('tanh', -1)).toThrow(/^sigmaB2 must be/);
  });
});

describe('meanField at the critical point', () => {
  test('c* is 1 (ordered) exactly at criticalSigmaW2, not a spurious −1', () => {
    const sigmaW2 = criticalSigmaW2('tanh', 0.05);
    const mf = meanField({ activation: 'tanh', sigmaW2, sigmaB2: 0.05, q0: 1, depth: 10 });
    expect(Math.abs(mf.chi1 - 1)).toBeLessThan(1e-6);
    expect(mf.cStar).toBe(1);
  });
});

describe('meanField without the correlation map', () => {
  test('gives the same q, q*, χ₁ and gradients, and NaN or nothing for the correlations', () => {
    const config = { activation: 'tanh', sigmaW2: 1.5, sigmaB2: 0.05, q0: 1, depth: 12 } as const;
    const full = meanField(config);
    const lean = meanField({ ...config, correlations: false });
    expect(lean.q).toEqual(full.q);
    expect(lean.qStar).toBe(full.qStar);
    expect(lean.chi1).toBe(full.chi1);
    expect(lean.gradPre).toEqual(full.gradPre);
    expect(lean.xiQ).toBe(full.xiQ);
    expect(lean.c).toEqual([]);
    expect(full.c).toHaveLength(13);
    expect(lean.cStar).toBeNaN();
    expect(lean.chiC).toBeNaN();
    expect(lean.xiC).toBeNaN();
  });
});

describe('meanFieldStep', () => {
  test("is meanField's first step: the same q and E[φ′²], for layers that differ", () => {
    for (const [activation, sigmaW2, sigmaB2, q] of [
      ['tanh', 2.78, 0.01, 0.7],
      ['relu', 2, 0, 1.3],
      ['sigmoid', 1, 0.05, 2],
      ['leaky_relu', 1.9, 0, 0.4],
    ] as const) {
      const full = meanField({
        activation,
        sigmaW2,
        sigmaB2,
        q0: q,
        depth: 1,
        correlations: false,
      });
      const step = meanFieldStep({ activation, sigmaW2, sigmaB2, q });
      expect(step.q).toBe(full.q[1]);
      expect(step.slopeMeanSquare).toBeCloseTo(full.gradPre[0]! / full.gradPost[0]!, 12);
    }
    // relu at q = 1: E[relu(z)²] = 1/2 and E[relu′(z)²] = 1/2.
    const relu = meanFieldStep({ activation: 'relu', sigmaW2: 2, sigmaB2: 0, q: 1 });
    expect(relu.q).toBeCloseTo(1, 12);
    expect(relu.slopeMeanSquare).toBeCloseTo(0.5, 12);
    expect(() => meanFieldStep({ activation: 'relu', sigmaW2: -1, sigmaB2: 0, q: 1 })).toThrow(
      /sigmaW2 must be/,
    );
  });
});
