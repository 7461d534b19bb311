/**
 * Numbers stated in the prose of chapters 2–5 (variance rule, Xavier/Glorot, He/Kaiming, what fails),
 * checked against the engine or exact arithmetic. Each claim asserts two things: the chapter contains
 * the sentence fragment exactly as written, and the number in it is what the engine computes, rounded
 * the way the prose rounds it. Edit a number in a chapter and its test here fails, and vice versa.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { calculateGain, computeFans, createRng, erfc, initTensor } from '../../src/engine/index';
import type { InitSpec } from '../../src/engine/index';
import { criticalSigmaW2, meanField } from '../../src/engine/meanfield';
import { propagate } from '../../src/engine/propagate';
import { gaussianExpectation } from '../../src/engine/quadrature';

const chapters = new Map<string, string>();
/** Whitespace runs (line breaks from wrapping included) collapsed to one space. */
const flat = (text: string): string => text.replace(/\s+/g, ' ');
/** The text of content/chapters/<slug>.mdx, read once. */
function chapter(slug: string): string {
  let text = chapters.get(slug);
  if (text === undefined) {
    text = readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8');
    chapters.set(slug, text);
  }
  return text;
}

/** Decimal places of a literal such as "0.0439" (2 → 0 places). */
const places = (literal: string): number => literal.split('.')[1]?.length ?? 0;

/**
 * The chapter contains `context` verbatim (up to line wrapping), `context` contains `literal`, and `value` rounded to the
 * literal's decimal places prints as `literal`.
 */
function claim(slug: string, context: string, literal: string, value: number): void {
  expect(context, 'the context must contain the literal').toContain(literal);
  expect(flat(chapter(slug)), `${slug}.mdx should contain: ${context}`).toContain(flat(context));
  expect(value.toFixed(places(literal)), `${literal} in “${context}”`).toBe(literal);
}

/** The chapter contains `context` verbatim (for statements checked by a separate assertion). */
function says(slug: string, context: string): void {
  expect(flat(chapter(slug)), `${slug}.mdx should contain: ${context}`).toContain(flat(context));
}

/** Root mean square of the entries. */
function rms(xs: Float32Array): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return Math.sqrt(s / xs.length);
}

/** E[g(z)] for z ~ N(0, q), by the engine's quadrature. */
const gauss = (g: (x: number) => number, q = 1, kinks: readonly number[] = []): number =>
  gaussianExpectation(g, q, kinks);

/** Empirical weight std of a fresh tensor. */
const sampledStd = (shape: number[], spec: InitSpec, seed = 7): number =>
  rms(initTensor(shape, spec, createRng(seed)));

/** Layer `i` (0-based) of a result array, failing loudly if absent. */
function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no entry ${i}`);
  return x;
}

describe('chapter 2, the variance rule', () => {
  const slug = 'variance-rule';

  test('convolution fans: 3 → 64 channels, 7×7 kernel', () => {
    const { fanIn, fanOut } = computeFans([64, 3, 7, 7]);
    says(slug, 'has fan-in $3 \\cdot 49 = 147$ and fan-out $64 \\cdot 49 = 3136$');
    expect([fanIn, fanOut]).toEqual([147, 3136]);
  });

  test('nn.Linear(784, 256): the three rules, their stds and factors', () => {
    const { fanIn, fanOut } = computeFans([256, 784]);
    const row = (rule: string): string => {
      const line = chapter(slug)
        .split('\n')
        .find((l) => l.startsWith(`| ${rule}`));
      if (line === undefined) throw new Error(`no table row for ${rule}`);
      return line;
    };
    const fwd = row('forward, $1/n_{\\text{in}}$');
    const bwd = row('backward, $1/n_{\\text{out}}$');
    const mid = row('compromise, $2/(784 + 256)$');
    claim(slug, fwd, '0.0357', Math.sqrt(1 / fanIn));
    claim(slug, fwd, '0.33', fanOut / fanIn);
    claim(slug, bwd, '0.0625', Math.sqrt(1 / fanOut));
    claim(slug, bwd, '3.06', fanIn / fanOut);
    const xavierVar = 2 / (fanIn + fanOut);
    expect(xavierVar).toBe(1 / 520);
    claim(slug, mid, '0.0439', Math.sqrt(xavierVar));
    claim(slug, mid, '1.51', fanIn * xavierVar);
    claim(slug, mid, '0.49', fanOut * xavierVar);
    const text = 'the compromise has standard deviation 0.0439 and uniform bound 0.0760';
    claim(slug, text, '0.0439', Math.sqrt(xavierVar));
    claim(slug, text, '0.0760', Math.sqrt(3 * xavierVar));
    // The engine's Xavier initializers draw with that std (1% on 200 704 samples).
    for (const name of ['xavier_uniform', 'xavier_normal'] as const) {
      const std = sampledStd([256, 784], { name, gain: 1 });
      expect(Math.abs(std / Math.sqrt(xavierVar) - 1)).toBeLessThan(0.01);
    }
  });

  test('a uniform bound is √3 = 1.73 standard deviations, and U(±a) has variance a²/3', () => {
    says(slug, 'A uniform weight never exceeds $\\sqrt{3} \\approx 1.73$ standard');
    expect(Math.sqrt(3).toFixed(2)).toBe('1.73');
    const w = initTensor([1000, 1000], { name: 'uniform', a: -0.5, b: 0.5 }, createRng(3));
    expect(Math.abs(rms(w) ** 2 / (0.25 / 3) - 1)).toBeLessThan(0.005);
  });

  test('truncating N(0, 1) at ±2 leaves a std of about 0.88', () => {
    claim(
      slug,
      'truncating $N(0, 1)$ at $\\pm 2$ leaves a standard deviation of about 0.88',
      '0.88',
      sampledStd([1000, 1000], { name: 'trunc_normal', std: 1, a: -2, b: 2 }),
    );
  });

  test('a funnel from 1024 to 64: gradients 16 times smaller at the bottom', () => {
    says(
      slug,
      'A network that narrows from 1024 inputs to 64 outputs has gradients 16 times smaller',
    );
    expect(1024 / 64).toBe(16);
    // The cell's network: fan-in scaling keeps the forward pass flat and halves the gradient per layer.
    const run = propagate({
      depth: 4,
      width: [512, 256, 128, 64],
      input: { width: 1024 },
      batch: 256,
      activation: 'linear',
      weightInit: { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'linear' },
      seed: 1,
      backward: true,
      stream: 'torch', // as the cell draws
    });
    const grad = (i: number): number => at(run.layers, i).gradPre?.meanSquare ?? NaN;
    for (const layer of run.layers) expect(Math.abs(layer.pre.meanSquare - 1)).toBeLessThan(0.1);
    expect(Math.abs(grad(0) / grad(3) / (1 / 8) - 1)).toBeLessThan(0.15);
  });

  test('exercise: nn.Linear(1024, 64) under the compromise', () => {
    const { fanIn, fanOut } = computeFans([64, 1024]);
    const v = 2 / (fanIn + fanOut);
    says(slug, '$\\operatorname{Var}(w) = 2/(1024 + 64) = 2/1088 = 1/544$');
    expect(v).toBe(1 / 544);
    claim(slug, '$\\sqrt{1/544} \\approx 0.0429$', '0.0429', Math.sqrt(v));
    claim(slug, 'the uniform bound $\\sqrt{6/1088} \\approx 0.0743$', '0.0743', Math.sqrt(3 * v));
    claim(
      slug,
      '$n_{\\text{in}}\\operatorname{Var}(w) = 1024/544 \\approx 1.88$',
      '1.88',
      fanIn * v,
    );
    claim(slug, '64/544\n\\approx 0.118$', '0.118', fanOut * v);
    says(slug, 'gradients passing down through it lose almost 90% of their variance');
    expect(1 - fanOut * v).toBeGreaterThan(0.88);
    expect(1 - fanOut * v).toBeLessThan(0.9);
  });
});

/** tanh, sigmoid and their derivatives, as scalar functions. */
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const tanhSq = (x: number): number => Math.tanh(x) ** 2;

/** Mean-field run from q0 with zero biases. */
const mf = (activation: string, sigmaW2: number, q0: number, depth: number) =>
  meanField({ activation, sigmaW2, sigmaB2: 0, q0, depth });

describe('chapter 3, Xavier/Glorot', () => {
  const slug = 'xavier-glorot';
  const tanhMeanSquare = at(mf('tanh', 1, 1, 1).q, 1);
  const tanhGain = calculateGain('tanh');

  test('nn.Linear(256, 128): std 0.0722, bound 0.125', () => {
    const { fanIn, fanOut } = computeFans([128, 256]);
    claim(slug, '$\\sqrt{2/384} \\approx 0.0722$', '0.0722', Math.sqrt(2 / (fanIn + fanOut)));
    claim(slug, 'the uniform bound $\\sqrt{6/384} = 0.125$ exactly', '0.125', Math.sqrt(6 / 384));
    expect(Math.sqrt(6 / (fanIn + fanOut))).toBe(0.125);
    const w = initTensor([128, 256], { name: 'xavier_uniform', gain: 1 }, createRng(5));
    const largest = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(largest).toBeLessThanOrEqual(0.125);
    expect(largest).toBeGreaterThan(0.1249);
  });

  test('a unit-variance Gaussian exceeds 1 in magnitude almost a third of the time', () => {
    says(slug, 'almost a third of the time $|y| > 1$');
    const p = erfc(1 / Math.SQRT2);
    expect(p).toBeGreaterThan(0.3);
    expect(p).toBeLessThan(1 / 3);
  });

  test('E[tanh(z)²] ≈ 0.3943 and the second-moment gain ≈ 1.5925', () => {
    claim(slug, '\\mathbb{E}\\big[\\tanh(z)^{2}\\big] \\approx 0.3943', '0.3943', tanhMeanSquare);
    // An independent check of the engine's mean-field value by its own quadrature.
    expect(Math.abs(gauss(tanhSq) - tanhMeanSquare)).toBeLessThan(1e-12);
    claim(
      slug,
      'g = \\frac{1}{\\sqrt{\\mathbb{E}\\big[\\tanh(z)^{2}\\big]}} \\approx 1.5925',
      '1.5925',
      1 / Math.sqrt(tanhMeanSquare),
    );
    // The gain makes q = 1 a fixed point of the q-map.
    const g2 = 1 / tanhMeanSquare;
    expect(Math.abs(at(mf('tanh', g2, 1, 5).q, 5) - 1)).toBeLessThan(1e-9);
  });

  test('PyTorch’s 5/3 ≈ 1.6667 is about 4.7% larger; it settles at q* ≈ 1.178 (std 1.09)', () => {
    expect(tanhGain).toBe(5 / 3);
    claim(slug, "PyTorch's $5/3 \\approx 1.6667$ is about 4.7% larger", '1.6667', tanhGain);
    claim(slug, 'is about 4.7% larger', '4.7', 100 * (tanhGain * Math.sqrt(tanhMeanSquare) - 1));
    const { qStar } = mf('tanh', tanhGain ** 2, 1, 1);
    claim(slug, 'the q-map settles at $q^* \\approx 1.178$ rather than at 1', '1.178', qStar);
    claim(slug, 'a pre-activation standard deviation of about 1.09', '1.09', Math.sqrt(qStar));
  });

  test('backward factors 1.21 (gain 5/3) and 1.18 (second-moment gain); gain 1 is critical', () => {
    const at53 = mf('tanh', tanhGain ** 2, 1, 1).chi1;
    const atSm = mf('tanh', 1 / tanhMeanSquare, 1, 1).chi1;
    const text =
      'At the fixed point of gain 5/3 it is about 1.21; at the second-moment gain, about 1.18';
    claim(slug, text, '1.21', at53);
    claim(slug, text, '1.18', atSm);
    says(
      slug,
      'Gradients therefore grow by roughly a fifth per layer on their way down, a factor of a few ' +
        'hundred over 30 layers',
    );
    // Mean-field backward prediction over a 30-layer tanh network at gain 5/3, started at q¹ = 25/9.
    const deep = mf('tanh', tanhGain ** 2, tanhGain ** 2, 29);
    const growth = at(deep.gradPre, 0) / at(deep.gradPre, 29);
    expect(growth).toBeGreaterThan(100);
    expect(growth).toBeLessThan(1000);
    // Gain 1 is the order-to-chaos boundary for tanh with zero biases: χ₁ → 1 as the signal drains.
    says(slug, 'Gain 1 makes the backward factor approach 1');
    expect(Math.abs(criticalSigmaW2('tanh', 0) - 1)).toBeLessThan(1e-9);
  });

  test('the sigmoid: slope 1/4, mean 1/2, second moment 0.2934, variance 0.0434, std 0.208', () => {
    says(slug, "$\\sigma'(0) = \\tfrac12 \\cdot \\tfrac12 = \\tfrac14$");
    expect(sigmoid(0) * (1 - sigmoid(0))).toBe(0.25);
    const m1 = gauss(sigmoid);
    const m2 = gauss((x) => sigmoid(x) ** 2);
    expect(Math.abs(m1 - 0.5)).toBeLessThan(1e-12);
    // The identity σ(y) = ½ + ½·tanh(y/2) the chapter leans on.
    for (const y of [-3, -0.5, 0.7, 4]) {
      expect(Math.abs(sigmoid(y) - (0.5 + 0.5 * Math.tanh(y / 2)))).toBeLessThan(1e-15);
    }
    claim(slug, '$\\mathbb{E}[\\sigma(y)^2] \\approx 0.2934$', '0.2934', m2);
    claim(slug, 'the squared mean $0.25$ makes up 85%', '85', (100 * 0.25) / m2);
    claim(slug, 'the variance, is about 0.0434', '0.0434', m2 - m1 ** 2);
    claim(
      slug,
      'standard deviation 0.208 sitting on an offset of standard deviation 0.5',
      '0.208',
      Math.sqrt(m2 - m1 ** 2),
    );
    // The offset ½·Σ W_ij with Var(w) = 1/n has variance n·(1/n)/4 = 1/4: std ½.
    says(slug, 'its standard deviation is $\\tfrac12$');
  });

  test('the standard initialization U(±1/√n) has variance 1/(3n) (PyTorch’s default)', () => {
    says(slug, '\\operatorname{Var}(w) &= \\frac{1}{3\\,n_{\\text{in}}}');
    const std = sampledStd([256, 512], { name: 'torch_default' });
    expect(Math.abs(std ** 2 * 3 * 512 - 1)).toBeLessThan(0.01);
  });

  test('the distributions-by-layer table: mean-field values, matched by a width-256 simulation', () => {
    const rows: [string, number, InitSpec][] = [
      ['| standard, $U(\\pm 1/\\sqrt{n})$', 1 / 3, { name: 'torch_default' }],
      ['| Xavier, gain 1 ', 1, { name: 'xavier_uniform', gain: 1 }],
      ['| Xavier, gain 5/3 ', tanhGain ** 2, { name: 'xavier_uniform', gain: tanhGain }],
    ];
    for (const [prefix, sigmaW2, weightInit] of rows) {
      const line = chapter(slug)
        .split('\n')
        .find((l) => l.startsWith(prefix));
      if (line === undefined) throw new Error(`no table row ${prefix}`);
      const printed = line
        .split('|')
        .slice(2, 7)
        .map((c) => c.trim());
      // Unit-variance inputs: layer 1's pre-activations have second moment σ_w².
      const { q } = mf('tanh', sigmaW2, sigmaW2, 4);
      const theory = q.map((ql) => Math.sqrt(gauss(tanhSq, ql)));
      printed.forEach((literal, i) =>
        expect(at(theory, i).toFixed(3), `${prefix} layer ${i + 1}`).toBe(literal),
      );
      const run = propagate({
        depth: 5,
        width: 256,
        batch: 512,
        activation: 'tanh',
        weightInit,
        seed: 1,
      });
      run.layers.forEach((layer, i) => {
        expect(Math.abs(Math.sqrt(layer.post.variance) / at(theory, i) - 1)).toBeLessThan(0.03);
      });
    }
    says(slug, 'A simulated network of width 256 matches these numbers to within a few percent');
    // "The standard initialization loses almost half its spread per layer": ratios 0.54 … 0.58.
    says(slug, 'The standard initialization loses almost half its spread per layer');
    const { q } = mf('tanh', 1 / 3, 1 / 3, 4);
    const spread = q.map((ql) => Math.sqrt(gauss(tanhSq, ql)));
    for (let l = 1; l < 5; l++) {
      const kept = at(spread, l) / at(spread, l - 1);
      expect(kept).toBeGreaterThan(0.5);
      expect(kept).toBeLessThan(0.6);
    }
  });

  test('exercise: nn.Linear(512, 512) with Xavier uniform and gain 5/3', () => {
    const { fanIn, fanOut } = computeFans([512, 512]);
    const base = Math.sqrt(6 / (fanIn + fanOut));
    claim(
      slug,
      '$\\tfrac53\\sqrt{6/1024} \\approx \\tfrac53 \\cdot 0.0765 \\approx 0.1276$',
      '0.0765',
      base,
    );
    claim(slug, '\\approx 0.1276$', '0.1276', tanhGain * base);
    const sigmaW2 = fanIn * tanhGain ** 2 * (2 / (fanIn + fanOut));
    claim(
      slug,
      '$\\sigma_w^2 = 512 \\cdot \\tfrac{25}{9}/512 = 25/9 \\approx 2.78$',
      '2.78',
      sigmaW2,
    );
    const next = at(mf('tanh', sigmaW2, 1, 1).q, 1);
    claim(
      slug,
      '$q = \\tfrac{25}{9} \\cdot 0.3943 \\approx 1.095$: about 10% larger',
      '1.095',
      next,
    );
    claim(slug, 'about 10% larger', '10', 100 * (next - 1));
    claim(
      slug,
      'the second moment settles at about 1.178',
      '1.178',
      mf('tanh', sigmaW2, 1, 1).qStar,
    );
  });
});

describe('chapter 4, He/Kaiming', () => {
  const slug = 'he-kaiming';
  const relu = (x: number): number => Math.max(0, x);
  const he: InitSpec = { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'relu' };

  test('E[relu(y)²] = Var(y)/2, so Var(w) = 2/n: std 0.0884 and bound 0.1531 at n = 256', () => {
    for (const q of [0.3, 1, 7])
      expect(Math.abs(gauss((x) => relu(x) ** 2, q, [0]) / q - 0.5)).toBeLessThan(1e-13);
    expect(calculateGain('relu')).toBe(Math.SQRT2);
    claim(
      slug,
      '$\\sqrt{2/256} \\approx 0.0884$',
      '0.0884',
      calculateGain('relu') / Math.sqrt(256),
    );
    claim(slug, '$\\sqrt{6/256} \\approx 0.1531$', '0.1531', Math.sqrt(6 / 256));
    expect(Math.abs(sampledStd([256, 256], he) / 0.0884 - 1)).toBeLessThan(0.01);
    const w = initTensor(
      [256, 256],
      { name: 'kaiming_uniform', nonlinearity: 'relu' },
      createRng(2),
    );
    expect(w.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(Math.sqrt(6 / 256));
  });

  test('a ReLU output: mean 0.399 s, variance 0.341 s²; a variance-based rule would give 2.93/n', () => {
    const mean = gauss(relu, 1, [0]);
    const variance = gauss((x) => relu(x) ** 2, 1, [0]) - mean ** 2;
    claim(slug, '$s/\\sqrt{2\\pi} \\approx 0.399\\,s$', '0.399', mean);
    claim(slug, '$(\\tfrac12 - \\tfrac{1}{2\\pi})\\,s^2 \\approx 0.341\\,s^2$', '0.341', variance);
    claim(slug, 'would set $\\operatorname{Var}(w) \\approx 2.93/n$', '2.93', 1 / variance);
    says(slug, 'blow the signal up by almost 50% per layer');
    const growth = 0.5 * (1 / variance);
    expect(growth).toBeGreaterThan(1.45);
    expect(growth).toBeLessThan(1.5);
  });

  test('a He-initialized first layer turns unit-variance inputs into variance 2', () => {
    says(slug, 'a He-initialized first layer produces pre-activations of variance 2, not 1');
    const run = propagate({
      depth: 2,
      width: 512,
      batch: 128,
      activation: 'relu',
      weightInit: he,
      seed: 3,
    });
    expect(Math.abs(at(run.layers, 0).pre.meanSquare / 2 - 1)).toBeLessThan(0.05);
    expect(
      Math.abs(at(run.layers, 1).pre.meanSquare / at(run.layers, 0).pre.meanSquare - 1),
    ).toBeLessThan(0.1);
  });

  test('leaky ReLU gains √(2/(1+a²))', () => {
    const table: [string, number | undefined, string][] = [
      ['| 0 (ReLU)', 0, '1.4142'],
      ['| 0.01 (`nn.LeakyReLU` default)', undefined, '1.4141'],
      ['| 0.2 ', 0.2, '1.3868'],
      ['| 0.25 (PReLU', 0.25, '1.3720'],
      ['| 1 (linear)', 1, '1'],
    ];
    for (const [prefix, slope, literal] of table) {
      const line = chapter(slug)
        .split('\n')
        .find((l) => l.startsWith(prefix));
      if (line === undefined) throw new Error(`no table row ${prefix}`);
      claim(slug, line, literal, calculateGain('leaky_relu', slope));
    }
    says(slug, 'about 2% of the standard deviation at slope 0.2');
    expect((1 - calculateGain('leaky_relu', 0.2) / Math.SQRT2) * 100).toBeCloseTo(2, 0);
    // Kaiming's defaults (a = 0, 'leaky_relu') give the ReLU gain.
    const std = sampledStd([512, 512], { name: 'kaiming_normal' });
    expect(Math.abs(std / (Math.SQRT2 / Math.sqrt(512)) - 1)).toBeLessThan(0.01);
  });

  test('ResNet stem 7×7, 3 → 64: fans 147 / 3136, std 0.1166 / 0.0253, 4.62 apart', () => {
    const shape = [64, 3, 7, 7];
    const { fanIn, fanOut } = computeFans(shape);
    says(slug, 'its fan-in is 147 and its fan-out 3136');
    expect([fanIn, fanOut]).toEqual([147, 3136]);
    const text =
      'He-normal gives it a standard deviation of 0.1166 in fan-in mode and 0.0253 in fan-out mode';
    claim(slug, text, '0.1166', Math.SQRT2 / Math.sqrt(fanIn));
    claim(slug, text, '0.0253', Math.SQRT2 / Math.sqrt(fanOut));
    claim(slug, 'a factor of 4.62 apart', '4.62', Math.sqrt(fanOut / fanIn));
    const byMode = (mode: 'fan_in' | 'fan_out'): number =>
      sampledStd(shape, { name: 'kaiming_normal', mode, nonlinearity: 'relu' });
    expect(Math.abs(byMode('fan_in') / 0.1166 - 1)).toBeLessThan(0.01);
    expect(Math.abs(byMode('fan_out') / 0.0253 - 1)).toBeLessThan(0.01);
  });

  test('30 layers under Xavier: 2⁻²⁹, 2⁻¹⁴·⁵, 2⁻³⁰, 2⁻¹⁵; under He: level', () => {
    claim(slug, '$2^{-29} \\approx 1.9\\times10^{-9}$', '1.9', 2 ** -29 * 1e9);
    claim(slug, '$2^{-14.5} \\approx 4.3\\times10^{-5}$', '4.3', 2 ** -14.5 * 1e5);
    claim(slug, '$2^{-30} \\approx 9.3\\times10^{-10}$', '9.3', 2 ** -30 * 1e10);
    claim(slug, '$2^{-15} \\approx 3.1\\times10^{-5}$', '3.1', 2 ** -15 * 1e5);
    expect(Math.sqrt(2 ** -30)).toBe(2 ** -15);
    // Mean-field theory: relu at σ_w² = 1 halves q per layer; at σ_w² = 2 it keeps it.
    const xav = mf('relu', 1, 1, 29);
    expect(at(xav.q, 29) / at(xav.q, 0)).toBeCloseTo(2 ** -29, 20);
    expect(Math.abs(at(mf('relu', 2, 1, 29).q, 29) - 1)).toBeLessThan(1e-12);
    // Simulation, width 256: He within a factor of about three; Xavier smaller by exactly 2⁻²⁹ for the
    // same seed, since relu(c·y) = c·relu(y) and the two draws differ by √2.
    says(slug, "within a factor of about three of layer 1's");
    says(slug, "Xavier's, for the same seed, is smaller by exactly $2^{-29}$");
    for (const seed of [1, 2, 3]) {
      const ratio = (weightInit: InitSpec): number => {
        const { layers } = propagate({
          depth: 30,
          width: 256,
          batch: 64,
          activation: 'relu',
          weightInit,
          seed,
          stream: 'torch', // as the cell draws
        });
        return at(layers, 29).pre.meanSquare / at(layers, 0).pre.meanSquare;
      };
      const heRatio = ratio(he);
      const xavierRatio = ratio({ name: 'xavier_normal', gain: 1 });
      expect(Math.abs(Math.log(heRatio))).toBeLessThan(Math.log(3.5));
      expect(Math.abs(xavierRatio / heRatio / 2 ** -29 - 1)).toBeLessThan(1e-4);
    }
  });

  test('second-moment gains for GELU (1.53) and SiLU (1.68)', () => {
    const text = 'is about 1.53 for GELU and about 1.68 for SiLU';
    claim(slug, text, '1.53', 1 / Math.sqrt(at(mf('gelu', 1, 1, 1).q, 1)));
    claim(slug, text, '1.68', 1 / Math.sqrt(at(mf('silu', 1, 1, 1).q, 1)));
  });

  test('exercise: Conv2d(64, 128, 3) with leaky ReLU 0.2', () => {
    const { fanIn, fanOut } = computeFans([128, 64, 3, 3]);
    says(slug, 'fan-in $64 \\cdot 9 = 576$, fan-out $128 \\cdot 9 = 1152$');
    expect([fanIn, fanOut]).toEqual([576, 1152]);
    const gain = calculateGain('leaky_relu', 0.2);
    claim(slug, '$\\sqrt{2/(1 + 0.04)} \\approx 1.3868$', '1.3868', gain);
    claim(
      slug,
      '$1.3868/\\sqrt{576} = 1.3868/24 \\approx 0.0578$',
      '0.0578',
      gain / Math.sqrt(fanIn),
    );
    claim(slug, '$1.3868/\\sqrt{1152} \\approx 0.0409$', '0.0409', gain / Math.sqrt(fanOut));
    claim(
      slug,
      '$\\sqrt{3} \\cdot 0.0578 \\approx 0.1001$',
      '0.1001',
      (Math.sqrt(3) * gain) / Math.sqrt(fanIn),
    );
    const spec: InitSpec = {
      name: 'kaiming_normal',
      a: 0.2,
      mode: 'fan_out',
      nonlinearity: 'leaky_relu',
    };
    expect(Math.abs(sampledStd([128, 64, 3, 3], spec) / 0.0409 - 1)).toBeLessThan(0.01);
  });
});

describe('chapter 5, what fails', () => {
  const slug = 'what-fails';
  const FLOAT32_MAX = 3.4028234663852886e38;
  /** P(|y| > t) for y ~ N(0, s²). */
  const beyond = (t: number, s: number): number => erfc(t / (s * Math.SQRT2));
  const tanhSlopeSq = (x: number): number => (1 - Math.tanh(x) ** 2) ** 2;

  test('all zeros: only the output bias receives a gradient', () => {
    says(slug, 'Only the output bias receives a gradient.');
    const run = propagate({
      depth: 3,
      width: 64,
      batch: 16,
      activation: 'tanh',
      weightInit: { name: 'zeros' },
      seed: 1,
      backward: true,
      loss: 'mse',
    });
    run.layers.forEach((layer, i) => {
      expect(layer.gradWeight?.meanSquare).toBe(0);
      if (i < 2) expect(layer.gradBias?.meanSquare).toBe(0);
      else expect(layer.gradBias?.meanSquare).toBeGreaterThan(0);
    });
  });

  test('a constant keeps every unit identical; n·c = 25.6 and y = 12.8', () => {
    const run = propagate({
      depth: 3,
      width: 64,
      batch: 16,
      activation: 'tanh',
      weightInit: { name: 'constant', value: 0.1 },
      seed: 1,
      backward: true,
      loss: 'mse',
    });
    for (const layer of run.layers) expect(layer.post.unitSpread).toBe(0);
    says(
      slug,
      'With $c = 0.1$ and $n = 256$ it is 25.6: a $\\tanh$ unit fed $h = 0.5$ sees $y = 12.8$',
    );
    expect(256 * 0.1).toBeCloseTo(25.6, 12);
    expect(256 * 0.1 * 0.5).toBeCloseTo(12.8, 12);
  });

  test('unscaled N(0, 1) at width 4096: std 64, 96% beyond ±3, mean squared slope 0.0083', () => {
    says(slug, '$\\sqrt{4096} = 64$');
    // 256 units of an nn.Linear(4096, …) with N(0, 1) weights, on 32 unit-variance inputs.
    const rng = createRng(1);
    const w = initTensor([256, 4096], { name: 'normal', std: 1 }, rng);
    const x = initTensor([32, 4096], { name: 'normal', std: 1 }, rng);
    let sumSq = 0;
    for (let b = 0; b < 32; b++) {
      for (let i = 0; i < 256; i++) {
        let y = 0;
        for (let j = 0; j < 4096; j++) y += (w[i * 4096 + j] ?? 0) * (x[b * 4096 + j] ?? 0);
        sumSq += y * y;
      }
    }
    expect(Math.abs(Math.sqrt(sumSq / (32 * 256)) / 64 - 1)).toBeLessThan(0.03);
    claim(
      slug,
      'A pre-activation of standard deviation 64 lies beyond $\\pm 3$ with probability 96%',
      '96',
      100 * beyond(3, 64),
    );
    expect(1 - Math.tanh(3) ** 2).toBeLessThan(0.01);
    const slopeSq = gauss(tanhSlopeSq, 4096);
    claim(slug, "$\\mathbb{E}[\\tanh'(y)^2]$ is about 0.0083", '0.0083', slopeSq);
    claim(
      slug,
      'the backward factor is about $4096 \\cdot 0.0083 \\approx 34$ per layer',
      '34',
      4096 * slopeSq,
    );
  });

  test('unscaled ReLU: factor 2048, float32 overflow of squares at layer 12 and values at 24', () => {
    says(slug, '$\\tfrac12 \\cdot n \\cdot \\operatorname{Var}(w) = \\tfrac12 \\cdot 4096 = 2048$');
    says(slug, 'Single-precision floats stop at about $3.4\\times10^{38}$');
    expect((FLOAT32_MAX / 1e38).toFixed(1)).toBe('3.4');
    expect(Math.fround(FLOAT32_MAX * 2)).toBe(Infinity);
    const q = (k: number): number => 4096 * 2048 ** (k - 1);
    const first = (exceeds: (k: number) => boolean): number => {
      let k = 1;
      while (!exceeds(k)) k += 1;
      return k;
    };
    says(slug, 'pass that limit at layer 12; typical activations themselves at layer 24');
    expect(first((k) => q(k) > FLOAT32_MAX)).toBe(12);
    expect(first((k) => Math.sqrt(q(k)) > FLOAT32_MAX)).toBe(24);
    // Mean-field agrees on the factor: relu with σ_w² = 4096 multiplies q by 2048.
    const { q: mfq } = mf('relu', 4096, 1, 2);
    expect(at(mfq, 2) / at(mfq, 1)).toBeCloseTo(2048, 6);
    claim(slug, '$2048^{9} \\approx 6.3\\times10^{29}$', '6.3', 2048 ** 9 / 1e29);
  });

  test('too small: N(0, 0.01²) at width 256 gives 0.0256 per layer', () => {
    claim(
      slug,
      '$n\\operatorname{Var}(w) = 256 \\cdot 10^{-4} = 0.0256$',
      '0.0256',
      256 * 0.01 ** 2,
    );
    claim(slug, '$0.0256^{10} \\approx 1.2\\times10^{-16}$', '1.2', 0.0256 ** 10 / 1e-16);
    claim(slug, '$0.0256^{9} \\approx 4.7\\times10^{-15}$', '4.7', 0.0256 ** 9 / 1e-15);
    // tanh at this scale is in the linear regime: the mean-field factor is 0.0256 to within 5% at
    // the first layer (E[tanh(√q z)²] ≈ q − 2q²) and to within 0.2% from the second on.
    const { q } = mf('tanh', 0.0256, 0.0256, 2);
    expect(Math.abs(at(q, 1) / at(q, 0) / 0.0256 - 1)).toBeLessThan(0.05);
    expect(Math.abs(at(q, 2) / at(q, 1) / 0.0256 - 1)).toBeLessThan(2e-3);
  });

  test('tanh slopes and the saturation table', () => {
    claim(slug, 'so it decays exponentially: 0.071 at $|y| = 2$', '0.071', 1 - Math.tanh(2) ** 2);
    says(slug, 'below 0.01 beyond $|y| = 3$');
    expect(1 - Math.tanh(3) ** 2).toBeLessThan(0.01);
    const rows: [string, number, string][] = [
      ['| 1 ', 1, '0.27'],
      ['| 2 ', 2, '13.4'],
      ['| 5 ', 5, '54.9'],
      ['| 64 (unscaled, width 4096)', 64, '96.3'],
    ];
    for (const [prefix, s, literal] of rows) {
      const line = chapter(slug)
        .split('\n')
        .find((l) => l.startsWith(prefix));
      if (line === undefined) throw new Error(`no table row ${prefix}`);
      claim(slug, line, literal, 100 * beyond(3, s));
      expect(line).toContain(`${literal}%`);
    }
  });

  test('dead ReLUs: bias −3 fires 0.13% of the time; silent on 1000 inputs with probability 26%', () => {
    const p = erfc(3 / Math.SQRT2) / 2;
    claim(slug, 'which for a Gaussian happens with probability 0.13%', '0.13', 100 * p);
    claim(slug, '$(1 - 0.00135)^{1000} \\approx 26\\%$', '0.00135', p);
    claim(slug, '$(1 - 0.00135)^{1000} \\approx 26\\%$', '26', 100 * (1 - p) ** 1000);
    claim(slug, 'it fires about 370 times less often than a unit with zero bias', '370', 0.5 / p);
    // The cell: He weights (layer 1 has variance 2), biases −3.
    says(slug, 'so about 1.7% of its entries survive; after that, none do');
    const run = propagate({
      depth: 3,
      width: 256,
      batch: 512,
      activation: 'relu',
      weightInit: { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'relu' },
      biasInit: { name: 'constant', value: -3 },
      seed: 1,
      stream: 'torch', // as the cell draws
    });
    const alive = 1 - at(run.layers, 0).post.fractionZero;
    expect((100 * (erfc(3 / 2) / 2)).toFixed(1)).toBe('1.7');
    expect(Math.abs(alive / (erfc(3 / 2) / 2) - 1)).toBeLessThan(0.1);
    expect(at(run.layers, 1).post.fractionZero).toBe(1);
    expect(at(run.layers, 2).post.fractionZero).toBe(1);
  });

  test('exercise: N(0, 0.1²) with 1024 inputs', () => {
    says(slug, '$n\\operatorname{Var}(w) = 1024 \\cdot 0.01 = 10.24$');
    claim(slug, '$\\sqrt{10.24} = 3.2$', '3.2', Math.sqrt(1024 * 0.1 ** 2));
    claim(slug, '$|z| > 3/3.2 \\approx 0.94$', '0.94', 3 / 3.2);
    claim(slug, 'which happens about 35% of the time', '35', 100 * beyond(3, 3.2));
    const std = Math.sqrt(2 / (1024 + 1024));
    claim(slug, '$\\sqrt{2/(1024 + 1024)} = 1/32 \\approx 0.0313$', '0.0313', std);
    expect(
      Math.abs(sampledStd([1024, 1024], { name: 'xavier_normal', gain: 1 }) / std - 1),
    ).toBeLessThan(0.01);
  });
});
