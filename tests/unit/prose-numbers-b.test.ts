/**
 * Every number that chapters 6–9 and the cheat sheet state and the engine can compute, checked twice: the chapter
 * contains the literal text, and the engine (or exact arithmetic on its outputs) reproduces the
 * value to the precision the text gives. Changing either side without the other fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { calculateGain, computeFans, createRng, erf, initTensor } from '../../src/engine/index';
import { criticalSigmaW2, meanField } from '../../src/engine/meanfield';
import { propagate } from '../../src/engine/propagate';
import { SELU_ALPHA, SELU_SCALE, normalCdf } from '../../src/engine/activations';
import { defaults } from '../../src/figures/params';
import { runToEnd } from '../../src/figures/types';
import {
  model as varianceModel,
  type VarianceParams,
} from '../../src/figures/variance-by-depth/model';
import { stackTheory } from '../../src/figures/variance-by-depth/residual';
import { logFactorLaw } from '../../src/figures/width-draws/law';
import { model as drawsModel } from '../../src/figures/width-draws/model';

const chapter = (slug: string): string =>
  readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8');

/**
 * Asserts the chapter states `literal` verbatim, up to line breaks: runs of whitespace compare
 * equal, so rewrapping a paragraph does not break the check but changing a word or digit does.
 */
function states(text: string, literal: string): void {
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  expect(
    flat(text).includes(flat(literal)),
    `expected the chapter to contain ${JSON.stringify(literal)}`,
  ).toBe(true);
}

/** Asserts `value` rounds to `shown` at the number of decimals `shown` is written with. */
function rounds(value: number, shown: string): void {
  const decimals = shown.includes('.') ? shown.split('.')[1]!.length : 0;
  expect(value.toFixed(decimals)).toBe(shown);
}

/** Asserts `value` agrees with `shown` to `digits` significant digits (for 1.7e-8 style). */
function roundsSig(value: number, shown: number, digits: number): void {
  expect(Number(value.toPrecision(digits))).toBe(shown);
}

const rms = (x: Float32Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

/** sd of a standard normal truncated to [−c, c]: √(1 − 2cφ(c)/(2Φ(c) − 1)). */
const truncatedStd = (c: number): number => {
  const density = Math.exp((-c * c) / 2) / Math.sqrt(2 * Math.PI);
  return Math.sqrt(1 - (2 * c * density) / erf(c / Math.SQRT2));
};

describe('chapter 7: PyTorch defaults and overrides', () => {
  const text = chapter('pytorch-defaults');
  const defaultGain = calculateGain('leaky_relu', Math.sqrt(5));
  // std of kaiming_uniform_(a=√5) on a layer with fan-in n, times √n.
  const defaultStdTimesRootN = defaultGain;

  test('a = √5 gives gain √(1/3) ≈ 0.577 and bound exactly 1/√fan_in', () => {
    states(text, '$\\sqrt{1/3} \\approx 0.577$');
    rounds(defaultGain, '0.577');
    expect(defaultGain).toBeCloseTo(Math.sqrt(1 / 3), 15);
    for (const n of [1, 7, 256, 576, 4096]) {
      expect(Math.sqrt(3) * (defaultGain / Math.sqrt(n))).toBeCloseTo(1 / Math.sqrt(n), 15);
    }
  });

  test('the default variance is 1/3 of LeCun and 1/6 of He', () => {
    states(text, 'one third of LeCun');
    states(text, 'one sixth of He');
    const variance = defaultStdTimesRootN ** 2; // σ_w² of the default
    expect(variance / calculateGain('linear') ** 2).toBeCloseTo(1 / 3, 14);
    expect(variance / calculateGain('relu') ** 2).toBeCloseTo(1 / 6, 14);
  });

  test('a deep ReLU stack with the default loses 6x per layer: 2.4x in std, 3,200x from layer 1 to 10', () => {
    states(
      text,
      '\\kappa = \\frac{\\sigma_w^2}{2} = \\frac{1}{2}\\cdot\\frac{1}{3} = \\frac{1}{6}',
    );
    states(text, 'about $2.4$ times in standard deviation');
    states(text, "is $6^{-9} \\approx 9.9\\times10^{-8}$ of layer 1's");
    states(text, 'about 3,200 times smaller than the first');
    // Layer 1's pre-activations come straight from the unit-second-moment input (q¹ = σ_w² = 1/3);
    // every later layer applies the ReLU and the factor 1/6: layer 10 is nine factors below layer 1.
    const depth = 10;
    const { layers } = propagate({
      depth,
      width: 512,
      batch: 512,
      activation: 'relu',
      weightInit: { name: 'torch_default' },
      seed: 2,
    });
    const { q } = meanField({ activation: 'relu', sigmaW2: 1 / 3, sigmaB2: 0, q0: 2, depth });
    // q0 = 2 makes q¹ = (1/3)·E[relu(√2 z)²] = 1/3, the second moment of layer 1 fed a unit input.
    expect(q[1]!).toBeCloseTo(1 / 3, 12);
    for (let l = 2; l <= depth; l++) expect(q[l]! / q[l - 1]!).toBeCloseTo(1 / 6, 12);
    const ratio = q[10]! / q[1]!;
    expect(ratio).toBeCloseTo(6 ** -9, 18);
    roundsSig(ratio, 9.9e-8, 2);
    rounds(Math.sqrt(6), '2.4');
    expect(Math.round(Math.sqrt(1 / ratio) / 100) * 100).toBe(3200);
    // The simulated stack agrees within the finite-width wobble (a factor of 3 either way).
    const simulated = layers[9]!.pre.meanSquare / layers[0]!.pre.meanSquare;
    expect(Math.abs(Math.log(simulated / ratio))).toBeLessThan(Math.log(3));
  });

  test('the simulated stack matches: default falls ~6x per layer, He wanders around 2', () => {
    states(text, 'falls by a factor near 6');
    states(text, 'it wanders around 2');
    states(text, 'staying between 1 and 3');
    const config = { depth: 10, width: 256, batch: 256, activation: 'relu', seed: 1 } as const;
    const torch = propagate({ ...config, weightInit: { name: 'torch_default' } }).layers;
    const he = propagate({
      ...config,
      weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
    }).layers;
    for (let l = 1; l < 10; l++) {
      const ratio = torch[l - 1]!.pre.meanSquare / torch[l]!.pre.meanSquare;
      expect(ratio).toBeGreaterThan(4.5);
      expect(ratio).toBeLessThan(8);
    }
    expect(he[0]!.pre.meanSquare).toBeCloseTo(2, 1);
    for (const layer of he) {
      expect(layer.pre.meanSquare).toBeGreaterThan(1);
      expect(layer.pre.meanSquare).toBeLessThan(3);
    }
  });

  test('the default biases set a floor q* = 2/(5n), about 0.0016 at width 256', () => {
    states(text, '$q^* = 6\\sigma_b^2/5 = 2/(5\\,n_{\\text{in}})$');
    states(text, 'For width 256 that is about $0.0016$');
    const n = 256;
    const { qStar } = meanField({
      activation: 'relu',
      sigmaW2: 1 / 3,
      sigmaB2: 1 / (3 * n),
      q0: 1,
      depth: 1,
    });
    expect(qStar).toBeCloseTo(2 / (5 * n), 12);
    rounds(qStar, '0.0016');
  });

  test('gain table: relu 1.414, leaky_relu default 1.4141, tanh 5/3, selu 3/4, the rest 1', () => {
    states(text, '$\\sqrt{2} \\approx 1.414$');
    states(text, '$\\sqrt{2/1.0001} \\approx 1.4141$');
    rounds(calculateGain('relu'), '1.414');
    rounds(calculateGain('leaky_relu'), '1.4141');
    expect(calculateGain('leaky_relu')).toBe(Math.sqrt(2 / 1.0001));
    expect(calculateGain('leaky_relu', 0)).toBe(Math.SQRT2);
    expect(calculateGain('tanh')).toBe(5 / 3);
    expect(calculateGain('selu')).toBe(3 / 4);
    for (const name of ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose2d', 'sigmoid']) {
      expect(calculateGain(name)).toBe(1);
    }
    states(text, 'gives $9/16$ of that');
    expect(calculateGain('selu') ** 2).toBe(9 / 16);
  });

  test('grouped and transposed convolution fans', () => {
    states(text, '`(64, 1, 3, 3)`, so $n_{\\text{in}} = 9$');
    states(text, '$n_{\\text{out}} = 64\\cdot 9 = 576$');
    expect(computeFans([64, 1, 3, 3])).toEqual({ fanIn: 9, fanOut: 576 });
    states(text, '`nn.ConvTranspose2d(128, 64, 4)` is $64\\cdot 16 = 1024$');
    expect(computeFans([128, 64, 4, 4]).fanIn).toBe(1024);
  });

  test('nn.Conv2d(64, 128, 3): fans 576/1152, bound 0.04167, std 0.02406, He 0.05893', () => {
    states(text, '$n_{\\text{in}} = 64\\cdot 9 = 576$');
    states(text, '$n_{\\text{out}} = 128\\cdot 9 = 1152$');
    states(text, '$1/\\sqrt{576} = 1/24 \\approx 0.04167$');
    states(text, '\\frac{1}{\\sqrt{3}\\cdot 24} \\approx 0.02406');
    states(text, '$\\sqrt{2/576} \\approx 0.05893$');
    states(text, '$\\sqrt{6}$ times larger');
    const shape = [128, 64, 3, 3];
    const { fanIn, fanOut } = computeFans(shape);
    expect([fanIn, fanOut]).toEqual([576, 1152]);
    const bound = Math.sqrt(3) * (defaultGain / Math.sqrt(fanIn));
    rounds(bound, '0.04167');
    const std = defaultGain / Math.sqrt(fanIn);
    rounds(std, '0.02406');
    expect(std).toBeCloseTo(1 / (Math.sqrt(3) * 24), 15);
    const he = calculateGain('relu') / Math.sqrt(fanIn);
    rounds(he, '0.05893');
    expect(he / std).toBeCloseTo(Math.sqrt(6), 14);
    // Sampled: 73,728 draws of U(±1/24); the sd of the sample sd is about 0.3% of std.
    const w = initTensor(shape, { name: 'torch_default' }, createRng(7, { stream: 'torch' }));
    expect(Math.abs(rms(w) / std - 1)).toBeLessThan(0.01);
    expect(w.every((v) => Math.abs(v) <= 1 / 24)).toBe(true);
  });

  test('trunc_normal_(std=0.02) is effectively untruncated; ±0.04 gives std 0.0176', () => {
    states(text, 'which is $\\pm 100$ standard deviations');
    states(text, 'about $0.02 \\times 0.8796 \\approx 0.0176$');
    expect(2 / 0.02).toBe(100);
    const rng = createRng(3, { stream: 'torch' }); // as the cell draws
    const wide = initTensor([100_000], { name: 'trunc_normal', std: 0.02 }, rng);
    const cut = initTensor([100_000], { name: 'trunc_normal', std: 0.02, a: -0.04, b: 0.04 }, rng);
    // 1e5 draws: relative sd of the sample sd ≈ 1/√(2·1e5) ≈ 0.2%.
    expect(Math.abs(rms(wide) / 0.02 - 1)).toBeLessThan(0.01);
    expect(Math.abs(rms(cut) / (0.02 * truncatedStd(2)) - 1)).toBeLessThan(0.01);
    rounds(0.02 * truncatedStd(2), '0.0176');
    rounds(truncatedStd(2), '0.8796');
  });

  test('Keras/JAX plain truncated normals keep 0.88 of the asked-for std', () => {
    states(text, "the result's standard deviation is $0.88$ times the one you asked for");
    rounds(truncatedStd(2), '0.88');
  });

  test('the truncated-normal constant 0.87962566103423978 and its derivation', () => {
    states(text, '1 - \\frac{4 \\cdot 0.05399}{0.95450} \\approx 0.77374');
    states(text, '\\sqrt{0.77374} \\approx 0.87963');
    states(text, 'as 0.87962566103423978');
    rounds(Math.exp(-2) / Math.sqrt(2 * Math.PI), '0.05399');
    rounds(2 * normalCdf(2) - 1, '0.95450');
    rounds(truncatedStd(2) ** 2, '0.77374');
    rounds(truncatedStd(2), '0.87963');
    expect(truncatedStd(2)).toBeCloseTo(0.87962566103423978, 14);
    // The engine's variance scaling divides by it: sampled std ≈ √(1/fanIn) after the cut.
    const w = initTensor([256, 256], { name: 'lecun_normal' }, createRng(5));
    expect(Math.abs(rms(w) * 16 - 1)).toBeLessThan(0.01);
    expect(w.every((v) => Math.abs(v) <= 2 / 16 / 0.87962566103423978 + 1e-7)).toBe(true);
  });

  test('a 256-to-128 dense layer: 0.03608 (PyTorch), 0.07217 (Keras), 0.0625 (Flax)', () => {
    states(text, '$1/\\sqrt{3\\cdot 256} \\approx 0.03608$');
    states(text, '$\\sqrt{2/(256 + 128)} \\approx 0.07217$');
    states(text, '$1/\\sqrt{256} = 0.0625$');
    const { fanIn, fanOut } = computeFans([128, 256]);
    rounds(defaultGain / Math.sqrt(fanIn), '0.03608');
    rounds(Math.sqrt(2 / (fanIn + fanOut)), '0.07217');
    expect(1 / Math.sqrt(fanIn)).toBe(0.0625);
    const rng = createRng(11);
    const samples: [string, number][] = [
      ['torch', rms(initTensor([128, 256], { name: 'torch_default' }, rng))],
      ['keras', rms(initTensor([128, 256], { name: 'xavier_uniform' }, rng))],
      ['flax', rms(initTensor([128, 256], { name: 'lecun_normal' }, rng))],
    ];
    const expected = { torch: 0.03608, keras: 0.07217, flax: 0.0625 } as const;
    for (const [name, value] of samples) {
      expect(Math.abs(value / expected[name as keyof typeof expected] - 1)).toBeLessThan(0.02);
    }
  });

  test('exercise: depthwise Conv2d(256, 256, 3, groups=256) under kaiming fan_out / fan_in', () => {
    states(text, "PyTorch's $n_{\\text{out}} = 256\\cdot 9 = 2304$");
    states(text, '$\\sqrt{2/2304} = \\sqrt{2}/48 \\approx 0.0295$');
    states(text, '$\\sqrt{2/9} \\approx 0.471$');
    states(text, 'sixteen times larger');
    states(text, 'multiplies the\nsecond moment by $1/256$');
    const { fanIn, fanOut } = computeFans([256, 1, 3, 3]);
    expect([fanIn, fanOut]).toEqual([9, 2304]);
    const out = calculateGain('relu') / Math.sqrt(fanOut);
    const inn = calculateGain('relu') / Math.sqrt(fanIn);
    rounds(out, '0.0295');
    rounds(inn, '0.471');
    expect(inn / out).toBeCloseTo(16, 12);
    expect((fanIn * out ** 2) / 2).toBeCloseTo(1 / 256, 14);
  });
});

/** The rows of the first Markdown table in `text` whose header contains `header`, as cell strings. */
function tableRows(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|') && line.includes(header));
  expect(start, `no table with header ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    rows.push(
      lines[i]!.split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe('chapter 8: mean-field signal propagation', () => {
  const text = chapter('signal-propagation');

  test('the ReLU q-map: He at σ_w² = 2, PyTorch default shrinks by 1/6', () => {
    states(text, 'stays put exactly when $\\sigma_w^2 = 2$');
    states(text, "PyTorch's default $\\sigma_w^2 = 1/3$ it shrinks by $1/6$ per layer");
    const he = meanField({ activation: 'relu', sigmaW2: 2, sigmaB2: 0, q0: 1.3, depth: 5 });
    for (const q of he.q) expect(q).toBeCloseTo(1.3, 12);
    const torch = meanField({ activation: 'relu', sigmaW2: 1 / 3, sigmaB2: 0, q0: 1, depth: 1 });
    expect(torch.q[1]).toBeCloseTo(1 / 6, 14);
    states(text, "the critical point is He's $\\sigma_w^2 = 2$");
    expect(criticalSigmaW2('relu', 0)).toBeCloseTo(2, 10);
  });

  test('the tanh table at σ_b² = 0.05 matches meanField', () => {
    states(text, 'Here is tanh with bias variance $\\sigma_b^2 = 0.05$');
    const rows = tableRows(text, '$\\xi_c$ (layers)');
    expect(rows.map((r) => r[0])).toEqual(['1', '1.5', '1.76', '2.5', '4']);
    for (const [w2, qStar, chi1, cStar, xiQ, xiC, phase] of rows) {
      const r = meanField({
        activation: 'tanh',
        sigmaW2: Number(w2),
        sigmaB2: 0.05,
        q0: 1,
        depth: 1,
      });
      rounds(r.qStar, qStar!);
      rounds(r.chi1, chi1!);
      rounds(r.xiQ, xiQ!);
      if (cStar === '1') expect(r.cStar).toBe(1);
      else rounds(r.cStar, cStar!);
      if (xiC === 'unbounded') expect(r.xiC).toBeGreaterThan(1000);
      else if (xiC!.includes('.')) rounds(r.xiC, xiC!);
      else expect(Math.round(r.xiC)).toBe(Number(xiC));
      const expected = phase === 'critical' ? 'critical' : r.chi1 < 1 ? 'ordered' : 'chaotic';
      if (phase === 'critical') expect(Math.abs(r.chi1 - 1)).toBeLessThan(1e-3);
      expect(phase).toBe(expected);
    }
    // The 1.76 row is the rounded critical point; at the exact value q* is 0.57 as well.
    const exact = criticalSigmaW2('tanh', 0.05);
    const atExact = meanField({
      activation: 'tanh',
      sigmaW2: exact,
      sigmaB2: 0.05,
      q0: 1,
      depth: 1,
    });
    rounds(atExact.qStar, '0.57');
    expect(atExact.chi1).toBeCloseTo(1, 10);
    // "settles within a few layers": an e-fold at least every two layers at σ_b² = 0.05 (every
    // row of the table is checked in prose-numbers-d; here the exact critical point).
    states(text, 'shrinks by a factor $e$ at least\n  every two layers');
    expect(atExact.xiQ).toBeGreaterThan(1);
    expect(atExact.xiQ).toBeLessThan(2);
  });

  test('the tanh critical line: 1 at σ_b² = 0, 1.42, 1.76, 1.99', () => {
    states(text, 'starts at $\\sigma_w^2 = 1$\nwhen $\\sigma_b^2 = 0$');
    states(text, 'about 1.42 at $\\sigma_b^2 = 0.01$');
    states(text, 'about 1.76 at $\\sigma_b^2 = 0.05$');
    states(text, 'about 1.99 at\n$\\sigma_b^2 = 0.1$');
    expect(criticalSigmaW2('tanh', 0)).toBeCloseTo(1, 9);
    rounds(criticalSigmaW2('tanh', 0.01), '1.42');
    rounds(criticalSigmaW2('tanh', 0.05), '1.76');
    rounds(criticalSigmaW2('tanh', 0.1), '1.99');
  });

  test('exercise: ordered, about 11 depth scales, gradient factor 1.6e-5, target about 1.76', () => {
    states(text, '$\\chi_1 \\approx 0.76 < 1$');
    states(text, '$\\xi_c \\approx 3.6$, 40 layers\nare about 11 depth scales');
    states(text, '$0.76^{40} \\approx 1.6\\times10^{-5}$');
    states(text, 'about 1.76, or reduce');
    const r = meanField({ activation: 'tanh', sigmaW2: 1, sigmaB2: 0.05, q0: 1, depth: 40 });
    rounds(r.chi1, '0.76');
    rounds(r.xiC, '3.6');
    expect(Math.round(40 / r.xiC)).toBe(11);
    roundsSig(r.chi1 ** 40, 1.6e-5, 2);
    rounds(criticalSigmaW2('tanh', 0.05), '1.76');
  });
});

describe('chapter 9: beyond variance', () => {
  const text = chapter('beyond-rules-of-thumb');

  test('orthogonal stacks keep the norm exactly; Gaussian ones scatter it (an eighth to three times)', () => {
    states(text, 'returns 1 to within float32 rounding every time');
    states(
      text,
      "anything from about an eighth\nof the input's length to three times it (seeds 1 to 8)",
    );
    const n = 64;
    const ratios: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const rng = createRng(seed, { stream: 'torch' }); // as the cell draws
      const through = (spec: Parameters<typeof initTensor>[1]): number => {
        let x = initTensor([n], { name: 'normal' }, rng);
        const start = Math.hypot(...x);
        for (let layer = 0; layer < 50; layer++) {
          const w = initTensor([n, n], spec, rng);
          const y = new Float32Array(n);
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i]! += w[i * n + j]! * x[j]!;
          x = y;
        }
        return Math.hypot(...x) / start;
      };
      expect(Math.abs(through({ name: 'orthogonal', gain: 1 }) - 1)).toBeLessThan(1e-5);
      ratios.push(through({ name: 'normal', std: 1 / Math.sqrt(n) }));
    }
    expect(Math.abs(8 * Math.min(...ratios) - 1)).toBeLessThan(0.05); // about an eighth
    expect(Math.max(...ratios)).toBeGreaterThan(3);
    expect(Math.max(...ratios)).toBeLessThan(3.2);
  });

  test('SELU: constants, fixed point 1, 1.10 after ten layers from 3, χ₁ ≈ 1.07, 3/4 gain → 0.023', () => {
    states(text, '\\lambda \\approx 1.0507,\\quad \\alpha \\approx 1.6733');
    rounds(SELU_SCALE, '1.0507');
    rounds(SELU_ALPHA, '1.6733');
    states(text, 'ten layers later the second moment is down to about\n1.10');
    states(text, '$\\chi_1 \\approx 1.07$');
    states(text, 'grows by roughly 7% per layer');
    const from3 = meanField({ activation: 'selu', sigmaW2: 1, sigmaB2: 0, q0: 3, depth: 10 });
    expect(from3.qStar).toBeCloseTo(1, 10);
    rounds(from3.q[10]!, '1.10');
    rounds(from3.chi1, '1.07');
    expect(Math.round((from3.chi1 - 1) * 100)).toBe(7);
    states(text, '$\\sigma_w^2 = 9/16$');
    states(text, 'the fixed point moves from 1 to about\n0.023');
    const gain34 = meanField({ activation: 'selu', sigmaW2: 9 / 16, sigmaB2: 0, q0: 1, depth: 1 });
    rounds(gain34.qStar, '0.023');
  });

  test('finite width: ∏(1 + 5/n) is about 3,500 at width 16 and 1.8 at width 256 (30 layers)', () => {
    states(text, 'For 30 layers of width 16 the product is about 3,500');
    states(text, 'the same 30 layers at width 256 give about\n1.8');
    expect(Math.round((1 + 5 / 16) ** 30 / 100) * 100).toBe(3500);
    rounds((1 + 5 / 256) ** 30, '1.8');
    states(text, '$(3/2 - 1/4)/(n_l \\cdot 1/4) = 5/n_l$');
    expect((3 / 2 - 1 / 4) / (1 / 4)).toBe(5);
  });

  test('finite width: the engine reproduces E[M²]/E[M]² = ∏(1 + 5/n) (depth 10, width 50)', () => {
    const draws = 3000;
    let m1 = 0;
    let m2 = 0;
    for (let seed = 0; seed < draws; seed++) {
      const m = propagate({
        depth: 10,
        width: 50,
        batch: 1,
        activation: 'relu',
        seed,
        weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
        input: { distribution: 'rademacher' },
      }).layers[9]!.post.meanSquare;
      m1 += m / draws;
      m2 += (m * m) / draws;
    }
    // Heavy-tailed (roughly log-normal): 20% tolerance on the ratio at 3000 draws.
    expect(Math.abs(m1 - 1)).toBeLessThan(0.1);
    expect(Math.abs(m2 / (m1 * m1) / 1.1 ** 10 - 1)).toBeLessThan(0.2);
  });

  test('finite width on a log scale: 5Σ1/n is 9.4 (width 16) and 0.59 (width 256); 0.42 vs 0.31', () => {
    states(
      text,
      '$\\operatorname{Var}(\\ln M^{(L)}) \\approx 5\\sum_l 1/n_l$: 9.4 for 30 layers of width 16, 0.59 at width\n256',
    );
    rounds((5 * 30) / 16, '9.4');
    rounds((5 * 30) / 256, '0.59');
    states(text, "At width 16 a term's variance is 0.42 rather than\n$5/16 \\approx 0.31$");
    rounds(logFactorLaw(16, 2).variance, '0.42');
    rounds(5 / 16, '0.31');
    // "About eight units are active": K ~ Binomial(16, ½).
    states(text, 'about eight units are active');
  });

  test('the width-draws figure: fifty draws, the cell’s eight first, flat mean field, deaths at 8', () => {
    states(
      text,
      "Fifty random draws of the cell's network, 30 He-initialized ReLU layers of width 16",
    );
    states(text, "the first eight are the cell's");
    states(text, 'the mean-field average, 1 at every layer');
    states(text, 'slide it\n  down to 8, where some draws die outright');
    const draws = (width: number) => {
      const params = { ...defaults(drawsModel.schema), width, depth: 30, draws: 50 };
      return { params, data: runToEnd(drawsModel.compute(params)) };
    };
    const { params, data } = draws(16);
    expect(data.drawn).toBe(50);
    expect(data.layers.every((r) => r.meanField === 1)).toBe(true);
    expect(drawsModel.summary(data, params)).toContain('second moment 1 at every layer');
    for (let seed = 1; seed <= 8; seed++) {
      const cell = propagate({
        depth: 30,
        width: 16,
        batch: 1,
        activation: 'relu',
        seed,
        weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
        input: { distribution: 'rademacher' },
        stream: 'torch', // as the cell and the figure draw
      }).layers[29]!.post.meanSquare;
      // Same weights and inputs; the sums behind the mean square may run in another order.
      expect(Math.abs(data.lines[seed - 1]![30]! - cell)).toBeLessThanOrEqual(1e-12 * cell);
    }
    expect(draws(8).data.layers[30]!.alive).toBeLessThan(50);
  });
});

describe('chapter 6: biases and output layers', () => {
  const text = chapter('biases-and-output-layers');

  test('He with σ_b² = 0.05 over 50 layers: second moment 1 becomes 3.5', () => {
    states(text, '$\\sigma_b^2 = 0.05$ over 50 layers turns a second moment of 1 into 3.5');
    const r = meanField({ activation: 'relu', sigmaW2: 2, sigmaB2: 0.05, q0: 1, depth: 50 });
    rounds(r.q[50]!, '3.5');
  });

  test('a constant bias shifts the active ReLU fraction: 0.01 → 50.4%, 1 → 84%', () => {
    states(text, '$b = 0.01$ moves the active fraction from 50% to 50.4%');
    states(text, '$b = 1$ moves it to 84%');
    rounds(normalCdf(0) * 100, '50');
    rounds(normalCdf(0.01) * 100, '50.4');
    rounds(normalCdf(1) * 100, '84');
    // The same fraction measured on a propagated layer (N(0, 1) inputs, LeCun scale, bias 1).
    const layer = propagate({
      depth: 1,
      width: 512,
      batch: 512,
      activation: 'relu',
      seed: 4,
      weightInit: { name: 'normal', std: 1 / Math.sqrt(512) },
      biasInit: { name: 'constant', value: 1 },
    }).layers[0]!;
    expect(Math.abs(1 - layer.post.fractionZero - normalCdf(1))).toBeLessThan(0.02);
  });

  test('residual blocks: close to threefold growth per block, exactly flat with the zero', () => {
    states(text, 'grows close to threefold per\nblock on average');
    states(text, 'With the zero it stays exactly where\nthe stem left it');
    const base = {
      depth: 19,
      width: 128,
      batch: 128,
      activation: 'relu',
      seed: 1,
      weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
      stream: 'torch', // as the cell draws
    } as const;
    const run = (zeroInitLast: boolean) =>
      propagate({ ...base, residual: { alpha: 1, branch: 2, zeroInitLast } }).layers;
    const standard = run(false);
    const blocks = standard.filter((l) => l.skipFrom !== null);
    expect(blocks).toHaveLength(9);
    const perBlock = (blocks[8]!.post.meanSquare / standard[0]!.post.meanSquare) ** (1 / 9);
    expect(perBlock).toBeGreaterThan(2.5);
    expect(perBlock).toBeLessThan(3.2);
    const zeroed = run(true);
    for (const l of zeroed.filter((l) => l.skipFrom !== null)) {
      expect(l.post.meanSquare).toBe(zeroed[0]!.post.meanSquare);
    }
  });

  test('with the means kept: E[x] settles at 0.80 of the rms, growth at 2.90 per block', () => {
    states(
      text,
      'the mean of $x$ settles at\nabout 0.80 of its root mean square and the growth at about 2.90 per block',
    );
    // propagate's two-layer blocks after a stem, 100 of them: the last block is at the fixed point.
    const depth = 201;
    const skipFrom = Array.from({ length: depth }, (_, i) =>
      i >= 2 && i % 2 === 0 ? i - 1 : null,
    );
    const t = stackTheory({
      activation: 'relu',
      sigmaW2: 2,
      sigmaB2: 0,
      skipFrom,
      alpha: 1,
      zeroInitLast: false,
    });
    const n = depth - 1;
    rounds(t.postMean[n]! / Math.sqrt(t.post[n]!), '0.80');
    rounds(t.post[n]! / t.post[n - 2]!, '2.90');
  });

  test('the residual figure: nine blocks, flat with the zero, gradients beyond the theory', () => {
    states(text, 'Nine blocks of two He-initialized ReLU layers after a stem');
    states(text, 'the curve goes\nflat');
    states(text, 'with the zero, every\nblock output receives the same gradient');
    states(text, 'No\n  dashed line is drawn for that case');
    states(
      text,
      'grows per block as fast as the signal itself did, faster than the mean-field rate',
    );
    const figure = (overrides: Partial<VarianceParams>) =>
      runToEnd(
        varianceModel.compute({
          ...defaults(varianceModel.schema),
          inits: ['kaiming_normal'],
          activation: 'relu',
          depth: 19,
          width: 256,
          quantity: 'post',
          residual: '2',
          ...overrides,
        }),
      ).growth![0]!;
    expect(figure({}).blocks).toBe(9);
    expect(figure({ zeroInitLast: true })).toMatchObject({ measured: 1, theory: 1 });
    expect(figure({ zeroInitLast: true, quantity: 'gradPost' })).toMatchObject({ measured: 1 });
    const grads = figure({ quantity: 'gradPost' });
    expect(grads.withheld).toBe(true);
    // "the gradient grows towards the input": about 2 per block (1.9–2.2 over seeds 1–6 on either
    // stream, around the mean-field rate), so clearly more than 1.
    expect(grads.measured).toBeGreaterThan(1.5);
    // The part along the forward signal grows like the signal: about the forward growth per block.
    const forward = figure({}).measured;
    expect(grads.forward!).toBeGreaterThan(grads.theory);
    expect(Math.abs(Math.log(grads.forward! / forward))).toBeLessThan(Math.log(1.25));
  });

  test('a zeroed layer before a ReLU gets no gradient; before tanh it does', () => {
    states(text, 'zero with ReLU, nonzero\nwith tanh');
    const gradOfZeroed = (activation: 'relu' | 'tanh') =>
      propagate({
        depth: 3,
        width: 64,
        batch: 64,
        activation,
        seed: 2,
        backward: true,
        weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
        residual: { alpha: 1, branch: 2, zeroInitLast: true },
      }).layers[2]!.gradWeight!.meanSquare;
    expect(gradOfZeroed('relu')).toBe(0);
    expect(gradOfZeroed('tanh')).toBeGreaterThan(0);
  });

  test('initial loss: ln 10 ≈ 2.303, ln 1000 ≈ 6.908, random logits with s = 2 give about 8.9', () => {
    states(text, '$\\ln 10 \\approx 2.303$');
    states(text, '$\\ln 1000 \\approx 6.908$');
    states(text, 'starts at a loss of about 8.9 instead of\n6.9');
    states(text, 'two nats spent');
    rounds(Math.log(10), '2.303');
    rounds(Math.log(1000), '6.908');
    rounds(Math.log(1000), '6.9');
    rounds(Math.log(1000) + 2 ** 2 / 2, '8.9');
    expect(2 ** 2 / 2).toBe(2);
    // Simulated, as in the chapter's cell (PyTorch's stream): 400 draws of 1000 logits N(0, 4). The
    // prose's 8.9 is the approximation; the cell's mean of 400 draws (9.02) has a standard error of
    // about 0.1 (each draw's loss spreads like its logit o_0, sd 2), so it is held to two of them.
    const rng = createRng(1, { stream: 'torch' });
    const losses: number[] = [];
    for (let draw = 0; draw < 400; draw++) {
      const z = initTensor([1000], { name: 'normal', std: 2 }, rng);
      const top = z.reduce((m, v) => Math.max(m, v), -Infinity);
      losses.push(top + Math.log(z.reduce((acc, v) => acc + Math.exp(v - top), 0)) - z[0]!);
    }
    const mean = losses.reduce((a, v) => a + v, 0) / 400;
    const sd = Math.sqrt(losses.reduce((a, v) => a + (v - mean) ** 2, 0) / 399);
    expect(Math.abs(mean - (Math.log(1000) + 2))).toBeLessThan((2 * sd) / Math.sqrt(400));
  });

  test('priors in the output bias: RetinaNet −ln 99 ≈ −4.595; exercise 0.693 → 0.056', () => {
    states(text, '$b = -\\ln 99 \\approx -4.595$');
    states(text, '$b = \\ln(0.01/0.99) = -\\ln 99 \\approx -4.595$');
    rounds(Math.log(0.01 / 0.99), '-4.595');
    expect(Math.log(0.01 / 0.99)).toBeCloseTo(-Math.log(99), 14);
    states(text, '$-\\ln(1/2) = \\ln 2 \\approx 0.693$');
    states(text, '$-0.01\\ln 0.01 - 0.99\\ln 0.99 \\approx 0.056$, more than twelve times lower');
    const entropy = -0.01 * Math.log(0.01) - 0.99 * Math.log(0.99);
    rounds(Math.log(2), '0.693');
    rounds(entropy, '0.056');
    expect(Math.floor(Math.log(2) / entropy)).toBe(12);
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    expect(sigmoid(-Math.log(99))).toBeCloseTo(0.01, 14);
  });
});

describe('chapter 11: cheat sheet', () => {
  const text = chapter('cheat-sheet');

  test('the tanh row: scale 25/9 is the gain 5/3 squared', () => {
    // Split into two code spans so the table can wrap the call after its first argument.
    states(text, "`VarianceScaling(25 / 9,` `'fan_avg', 'uniform')`");
    expect(calculateGain('tanh') ** 2).toBeCloseTo(25 / 9, 15);
  });

  test('truncated normal with std s: all three frameworks end at about 0.88s', () => {
    states(text, 'standard deviation ends up about $0.88s$');
    rounds(truncatedStd(2), '0.88');
    const w = initTensor([100_000], { name: 'trunc_normal', std: 0.5, a: -1, b: 1 }, createRng(9));
    expect(Math.abs(rms(w) / (0.5 * truncatedStd(2)) - 1)).toBeLessThan(0.01);
  });

  test('scales at a glance for a 256 x 256 layer match the engine', () => {
    const rows = tableRows(text, '| scheme | formula | std |');
    const { fanIn, fanOut } = computeFans([256, 256]);
    const expected: Record<string, number> = {
      'PyTorch default': calculateGain('leaky_relu', Math.sqrt(5)) / Math.sqrt(fanIn),
      LeCun: 1 / Math.sqrt(fanIn),
      Xavier: Math.sqrt(2 / (fanIn + fanOut)),
      He: calculateGain('relu') / Math.sqrt(fanIn),
      'Xavier, tanh gain': calculateGain('tanh') * Math.sqrt(2 / (fanIn + fanOut)),
    };
    expect(rows.map((r) => r[0])).toEqual(Object.keys(expected));
    for (const [scheme, , std] of rows) rounds(expected[scheme!]!, std!);
    // Sampled with the matching initializers.
    const rng = createRng(10);
    const sampled: Record<string, Parameters<typeof initTensor>[1]> = {
      'PyTorch default': { name: 'torch_default' },
      LeCun: { name: 'kaiming_normal', nonlinearity: 'linear' },
      Xavier: { name: 'xavier_uniform' },
      He: { name: 'kaiming_normal', nonlinearity: 'relu' },
      'Xavier, tanh gain': { name: 'xavier_uniform', gain: 5 / 3 },
    };
    for (const [scheme, spec] of Object.entries(sampled)) {
      const value = rms(initTensor([256, 256], spec, rng));
      expect(Math.abs(value / expected[scheme]! - 1)).toBeLessThan(0.01);
    }
  });

  test('the default is a sixth of He in variance', () => {
    states(text, "variance $1/(3\\,n_{\\text{in}})$, a sixth of He's");
    expect(calculateGain('leaky_relu', Math.sqrt(5)) ** 2 / calculateGain('relu') ** 2).toBeCloseTo(
      1 / 6,
      14,
    );
  });
});
