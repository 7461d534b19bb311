/**
 * Numbers added or changed by the corrections of issue 17 outside the mean-field chapter: chapter 1's
 * backward factor χ (gradients explode under large tanh weights; what makes them vanish), its float32
 * and saturation counts, its gradient figure, the notation box's gains, the He chapter's fan-mode
 * caption and the what-fails width figure. Each test asserts that the chapter states the sentence and
 * that the engine (or exact arithmetic) gives the number the sentence rounds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  calculateGain,
  computeFans,
  erfc,
  gaussianExpectation,
  meanField,
} from '../../src/engine/index';
import { defaults } from '../../src/figures/params';
import { runToEnd } from '../../src/figures/types';
import {
  model as depthModel,
  type VarianceParams,
} from '../../src/figures/variance-by-depth/model';
import { model as widthModel } from '../../src/figures/width/model';

const chapter = (slug: string): string =>
  readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8');

/** The chapter states `literal` verbatim, up to line breaks and indentation. */
function states(text: string, literal: string): void {
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  expect(flat(text).includes(flat(literal)), `expected ${JSON.stringify(literal)}`).toBe(true);
}

/** `value` rounds to `shown` at the number of decimals `shown` has. */
function rounds(value: number, shown: string): void {
  const decimals = shown.includes('.') ? shown.split('.')[1]!.length : 0;
  expect(value.toFixed(decimals)).toBe(shown);
}

/** E[tanh′(y)²] for y ~ N(0, q). */
const tanhSlope2 = (q: number): number =>
  gaussianExpectation((y) => (1 - Math.tanh(y) ** 2) ** 2, q);
/** E[σ′(y)²] for y ~ N(0, q), σ the logistic sigmoid. */
const sigmoidSlope2 = (q: number): number =>
  gaussianExpectation((y) => {
    const s = 1 / (1 + Math.exp(-y));
    return (s * (1 - s)) ** 2;
  }, q);

const FLOAT32_MAX = 3.4028234663852886e38;

describe('chapter 1: the backward factor', () => {
  const text = chapter('why-scale-matters');

  test('N(0, 1) weights at width 4096 with tanh: E[tanh′²] ≈ 0.0083, χ ≈ 34 (gradients explode)', () => {
    states(
      text,
      "$\\mathbb{E}[\\tanh'(y)^2] \\approx 0.0083$, yet\n$\\chi \\approx 4096 \\times 0.0083 \\approx 34$",
    );
    states(text, 'by a factor of about 34 in variance per\nlayer');
    const slope2 = tanhSlope2(4096);
    rounds(slope2, '0.0083');
    rounds(4096 * slope2, '34');
    // Deeper layers (tanh outputs as inputs) settle at the q-map's fixed point, with the same χ.
    const deep = meanField({ activation: 'tanh', sigmaW2: 4096, sigmaB2: 0, q0: 1, depth: 20 });
    rounds(deep.chi1, '34');
    expect(deep.chi1).toBeGreaterThan(1);
  });

  test('the takeaway repeats χ ≈ 34', () => {
    states(text, '$N(0, 1)$ weights at width 4096 give $\\chi \\approx 34$');
    rounds(4096 * tanhSlope2(4096), '34');
  });

  test('small weights: χ ≤ n·Var(w) = 0.0256 for N(0, 0.01²) at width 256', () => {
    states(text, 'weights from $N(0, 0.01^2)$ in a layer of width 256 give $\\chi \\le 0.0256$');
    // tanh′² ≤ 1 everywhere, so χ = σ_w²·E[tanh′²] ≤ σ_w².
    const sigmaW2 = 256 * 0.01 ** 2;
    rounds(sigmaW2, '0.0256');
    for (const q of [1e-4, 0.01, 1, 100])
      expect(sigmaW2 * tanhSlope2(q)).toBeLessThanOrEqual(sigmaW2);
  });

  test('large biases at n·Var(w) = 1: χ = E[tanh′²] < 1, smaller for larger biases', () => {
    states(
      text,
      "every $\\tanh$ layer has $\\chi = \\mathbb{E}[\\tanh'(y)^2] < 1$, and the\n  larger the biases, the smaller it is",
    );
    const chi = (sigmaB2: number): number =>
      meanField({ activation: 'tanh', sigmaW2: 1, sigmaB2, q0: 1, depth: 50, correlations: false })
        .chi1;
    const values = [0.01, 0.1, 0.5, 1, 2].map(chi);
    for (const v of values) expect(v).toBeLessThan(1);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
  });

  test('the sigmoid: slope ≤ 1/4 so χ ≤ n·Var(w)/16; E[σ′²] ≈ 0.045 at unit variance; offset variance n·Var(w)/4', () => {
    states(text, '$\\chi \\le n\\operatorname{Var}(w)/16$');
    states(text, "$\\mathbb{E}[\\sigma'(y)^2] \\approx 0.045$");
    states(
      text,
      'the fixed offset $\\tfrac12 \\sum_i w_i$, of variance\n  $n\\operatorname{Var}(w)/4$',
    );
    rounds(sigmoidSlope2(1), '0.045');
    for (const q of [1e-6, 1, 10]) expect(sigmoidSlope2(q)).toBeLessThanOrEqual(1 / 16);
    // Var(½ Σ w_i) = n·Var(w)/4 for independent zero-mean weights.
    const n = 256;
    const varW = 1 / n;
    expect((n * varW) / 4).toBeCloseTo(0.25, 15);
  });
});

describe('chapter 1: float32 and saturation counts', () => {
  const text = chapter('why-scale-matters');

  test('factor 2: the variance passes 3.4e38 at layer 128, the values at layer 256', () => {
    states(text, 'passes it at layer 128 ($2^{128} \\approx 3.4\\times10^{38}$)');
    states(text, 'themselves, the square root of the variance, at layer 256');
    const firstLayerAbove = (value: (layer: number) => number): number => {
      let l = 1;
      while (value(l) <= FLOAT32_MAX) l++;
      return l;
    };
    expect(firstLayerAbove((l) => 2 ** l)).toBe(128);
    expect(firstLayerAbove((l) => 2 ** (l / 2))).toBe(256);
    expect(Math.fround(2 ** 128)).toBe(Infinity);
    expect((2 ** 128 / 1e38).toFixed(1)).toBe('3.4');
  });

  test('tanh rounds to ±1 in float32 beyond |y| = 9.01; at std 64 that is 89%, about nine in ten', () => {
    states(text, '$\\tanh(y)$ rounds to exactly $\\pm 1$ once $|y| > 9.01$');
    states(
      text,
      'lands there 89% of the time: about nine tanh units in ten output exactly $\\pm 1$',
    );
    const isOne = (y: number): boolean => Math.abs(Math.fround(Math.tanh(y))) === 1;
    let lo = 0;
    let hi = 20;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (isOne(mid)) hi = mid;
      else lo = mid;
    }
    rounds(hi, '9.01');
    expect(isOne(9.0)).toBe(false);
    expect(isOne(9.02)).toBe(true);
    const share = erfc(hi / 64 / Math.SQRT2);
    expect(Math.round(share * 100)).toBe(89);
    expect(Math.round(share * 10)).toBe(9);
  });
});

describe('chapter 1: Figure 1, the preset “Gradients, unscaled tanh”', () => {
  const text = chapter('why-scale-matters');
  const preset = depthModel.presets.find((p) => p.id === 'tanh-gradients')!;
  // The chapter places the figure at width 256; the preset keeps the width and sets the rest.
  const params: VarianceParams = {
    ...defaults(depthModel.schema),
    width: 256,
    ...(preset.params as Partial<VarianceParams>),
  };
  const data = runToEnd(depthModel.compute(params));
  const curve = (init: string) => data.points.filter((p) => p.init === init);
  /** Geometric mean factor per layer from layer 10 down to layer 1. */
  const perLayer = (init: string, key: 'measured' | 'theory'): number => {
    const c = curve(init);
    return (c[0]![key] / c[9]![key]) ** (1 / 9);
  };

  test('the preset exists under the label the prose names, for the figure at width 256', () => {
    expect(preset.label).toBe('Gradients, unscaled tanh');
    states(text, 'Press the preset\n  *Gradients, unscaled tanh*');
    states(text, 'The preset *Gradients, unscaled tanh* of [Figure 1](#figure-variance-by-depth)');
    states(
      text,
      "<Figure figure=\"variance-by-depth\" params={{ inits: ['xavier_normal', 'kaiming_normal'], activation: 'relu', depth: 30, width: 256 }}",
    );
    expect(params).toMatchObject({ activation: 'tanh', depth: 10, width: 256, quantity: 'grad' });
    expect(params.inits).toEqual(['unscaled', 'xavier_normal', 'small']);
  });

  test('unscaled: the gradient grows about 9× per layer towards layer 1 (χ ≈ 9 at width 256)', () => {
    states(
      text,
      'the gradient grows by a\n  factor of about 9 per layer on its way down to layer 1 (at width 256, $\\chi \\approx 9$)',
    );
    const chi = meanField({ activation: 'tanh', sigmaW2: 256, sigmaB2: 0, q0: 1, depth: 20 }).chi1;
    rounds(chi, '9');
    rounds(perLayer('unscaled', 'measured'), '9');
    rounds(perLayer('unscaled', 'theory'), '9');
  });

  test('N(0, 0.01²): it shrinks by about 40 per layer (χ ≈ 0.0256)', () => {
    states(text, 'shrink it by a factor of about 40 per layer ($\\chi \\approx 0.0256$)');
    expect(Math.round(1 / perLayer('small', 'theory') / 10) * 10).toBe(40);
    expect(Math.round(1 / perLayer('small', 'measured') / 10) * 10).toBe(40);
    expect(perLayer('small', 'theory')).toBeCloseTo(0.0256, 3);
  });

  test('Xavier (n·Var(w) = 1): the gradient sinks slowly towards layer 1', () => {
    states(text, "lets it sink slowly, because\n  $\\chi = \\mathbb{E}[\\tanh'(y)^2]$ is below 1");
    const c = curve('xavier_normal');
    for (let l = 1; l < c.length; l++) expect(c[l - 1]!.theory).toBeLessThan(c[l]!.theory);
    const factor = perLayer('xavier_normal', 'theory');
    expect(factor).toBeLessThan(1);
    expect(factor).toBeGreaterThan(0.5);
  });
});

describe('chapter 2: the notation box', () => {
  const text = chapter('variance-rule');
  test('the gains named in the box: 5/3 for tanh, √2 for ReLU', () => {
    states(text, "(PyTorch's `gain`: $5/3$ for tanh, $\\sqrt{2}$ for ReLU)");
    expect(calculateGain('tanh')).toBeCloseTo(5 / 3, 15);
    expect(calculateGain('relu')).toBeCloseTo(Math.SQRT2, 15);
  });
});

describe('chapter 4: the fan-calculator caption', () => {
  const text = chapter('he-kaiming');
  test('the ResNet stem: fan-in and fan-out Kaiming stds 4.62 apart; 64 → 64, 3×3 is square', () => {
    states(text, 'The Kaiming bars in fan-in\n  and fan-out mode lie a factor of 4.62 apart');
    const stem = computeFans([64, 3, 7, 7]);
    const std = (fan: number): number => calculateGain('relu') / Math.sqrt(fan);
    rounds(std(stem.fanIn) / std(stem.fanOut), '4.62');
    const square = computeFans([64, 64, 3, 3]);
    expect(square.fanIn).toBe(square.fanOut);
  });
});

describe('chapter 4: Figure 2, the backward pass of chapter 1’s network', () => {
  const text = chapter('he-kaiming');
  test('Xavier’s gradient halves per layer on the way down; He’s stays level', () => {
    states(
      text,
      "<Figure figure=\"variance-by-depth\" params={{ inits: ['xavier_normal', 'kaiming_normal'], activation: 'relu', depth: 30, width: 256, quantity: 'grad' }}",
    );
    states(text, "Xavier's gradient halves at every layer on the way down");
    states(text, "He's stays level in both directions");
    const data = runToEnd(
      depthModel.compute({
        ...defaults(depthModel.schema),
        inits: ['xavier_normal', 'kaiming_normal'],
        activation: 'relu',
        depth: 30,
        width: 256,
        quantity: 'grad',
      }),
    );
    const curve = (init: string) => data.points.filter((p) => p.init === init);
    const xavier = curve('xavier_normal');
    const he = curve('kaiming_normal');
    for (let l = 1; l < 30; l++)
      expect(xavier[l - 1]!.theory / xavier[l]!.theory).toBeCloseTo(0.5, 8);
    for (const p of he) expect(p.theory / he[0]!.theory).toBeCloseTo(1, 8);
  });
});

describe('chapter 5: the width figure', () => {
  const text = chapter('what-fails');
  const data = runToEnd(
    widthModel.compute({
      ...defaults(widthModel.schema),
      inits: ['unscaled', 'small', 'xavier_normal'],
    }),
  );
  const at = (init: string, width: number) =>
    data.points.find((p) => p.init === init && p.width === width)!;

  test('N(0, 0.01²) grows like √n, 100 times below N(0, 1): 0.64 at 4096 against 64', () => {
    states(
      text,
      "<Figure figure=\"width\" params={{ inits: ['unscaled', 'small', 'xavier_normal'] }}",
    );
    states(text, 'which reaches 64 at 4096), only\n  100 times lower: 0.64 at 4096');
    rounds(at('unscaled', 4096).theory, '64');
    rounds(at('small', 4096).theory, '0.64');
    expect(at('unscaled', 4096).theory / at('small', 4096).theory).toBeCloseTo(100, 10);
    expect(Math.abs(at('small', 4096).measured / at('small', 4096).theory - 1)).toBeLessThan(0.1);
    rounds(at('xavier_normal', 4096).theory, '1');
  });

  test('a fixed std σ is right at one width, n = 1/σ²: 10,000 for σ = 0.01', () => {
    states(text, '$n = 1/\\sigma^2$, which for 0.01 is 10,000');
    expect(Math.round(1 / 0.01 ** 2)).toBe(10000);
    // At that width the small scale's predicted spread is exactly 1.
    expect(Math.sqrt(10000 * 0.01 ** 2)).toBeCloseTo(1, 15);
  });
});
