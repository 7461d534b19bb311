/**
 * Numbers added with the split of the mean-field material (chapter 8, signal propagation; chapter
 * 9, beyond variance) and the new PyTorch sections of chapter 7, checked twice like the other
 * prose-number tests: the chapter contains the literal text, and the engine (or exact arithmetic)
 * reproduces the value to the precision the text gives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { computeFans, createRng, initTensor } from '../../src/engine/index';
import { meanField } from '../../src/engine/meanfield';
import { defaults } from '../../src/figures/params';
import { runToEnd } from '../../src/figures/types';
import { model as trainingModel, type TrainingData } from '../../src/figures/training-curves/model';

const chapter = (slug: string): string =>
  readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8');

/** The chapter states `literal` verbatim, up to line breaks and indentation. */
function states(text: string, literal: string): void {
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  expect(
    flat(text).includes(flat(literal)),
    `expected the chapter to contain ${JSON.stringify(literal)}`,
  ).toBe(true);
}

/** `value` rounds to `shown` at the number of decimals `shown` is written with. */
function rounds(value: number, shown: string): void {
  const decimals = shown.includes('.') ? shown.split('.')[1]!.length : 0;
  expect(value.toFixed(decimals)).toBe(shown);
}

describe('chapter 8: when the tanh signal settles, and when it fades', () => {
  const text = chapter('signal-propagation');

  test('σ_b² = 0, σ_w² = 1: q* = 0, power-law decay 0.103, 0.052, 0.010 ≈ 1/(2l), ξ_q infinite', () => {
    states(text, 'about 0.103 at layer 5, 0.052 at\nlayer 10 and 0.010 at layer 50');
    states(text, '$q^{(l)} \\approx 1/(2l)$');
    const r = meanField({ activation: 'tanh', sigmaW2: 1, sigmaB2: 0, q0: 1, depth: 50 });
    rounds(r.q[5]!, '0.103');
    rounds(r.q[10]!, '0.052');
    rounds(r.q[50]!, '0.010');
    // The power law, not an exponential: l·q(l) tends to 1/2.
    expect(Math.abs(50 * r.q[50]! - 0.5)).toBeLessThan(0.02);
    expect(r.q[50]! / r.q[25]!).toBeGreaterThan(0.45);
    expect(r.qStar).toBeLessThan(1e-10);
    // ξ_q = −1/ln F′(q*) with F′(q*) → 1: infinite (the engine's value is astronomically large).
    expect(r.xiQ).toBeGreaterThan(1e10);
    // The small-q expansion F(q) ≈ q − 2q² behind the power law.
    const tiny = meanField({ activation: 'tanh', sigmaW2: 1, sigmaB2: 0, q0: 1e-3, depth: 1 });
    expect((1e-3 - tiny.q[1]!) / 1e-6).toBeCloseTo(2, 1);
  });

  test('σ_b² = 0 and σ_w² < 1: q* = 0, geometric decay by σ_w², ξ_q = −1/ln σ_w² = 1.4 at 0.5', () => {
    states(text, '$\\xi_q = -1/\\ln \\sigma_w^2$ describes the signal');
    states(text, '(1.4 layers at\n  $\\sigma_w^2 = 0.5$)');
    const r = meanField({ activation: 'tanh', sigmaW2: 0.5, sigmaB2: 0, q0: 1, depth: 40 });
    expect(r.qStar).toBe(0);
    expect(r.q[40]! / r.q[39]!).toBeCloseTo(0.5, 4);
    rounds(-1 / Math.log(0.5), '1.4');
  });

  test('ξ_q grows as σ_w² → 1⁺ without biases: 5.8 at 1.2, about 100 at 1.01', () => {
    states(
      text,
      '$\\xi_q$ is about 5.8 layers at\n  $\\sigma_w^2 = 1.2$ and about 100 at $\\sigma_w^2 = 1.01$',
    );
    rounds(meanField({ activation: 'tanh', sigmaW2: 1.2, sigmaB2: 0, q0: 1, depth: 1 }).xiQ, '5.8');
    const near = meanField({ activation: 'tanh', sigmaW2: 1.01, sigmaB2: 0, q0: 1, depth: 1 }).xiQ;
    expect(Math.round(near / 10) * 10).toBe(100);
  });

  test('ξ_q between about 0.9 and 1.8 layers over the table (σ_b² = 0.05)', () => {
    states(text, 'between about 0.9 and 1.8 layers, at every point of the table below');
    const xi = [1, 1.5, 1.76, 2.5, 4].map(
      (w2) => meanField({ activation: 'tanh', sigmaW2: w2, sigmaB2: 0.05, q0: 1, depth: 1 }).xiQ,
    );
    rounds(Math.min(...xi), '0.9');
    rounds(Math.max(...xi), '1.7');
    expect(Math.max(...xi)).toBeLessThan(1.8);
  });
});

describe('chapter 9: orthogonal_, sparse arithmetic and the optimizer', () => {
  const text = chapter('beyond-rules-of-thumb');

  test('orthogonal_ with the sign fix: the top-left entry is as often negative as positive', () => {
    states(text, 'The top-left entry of 400 random 8 × 8 orthogonal matrices');
    const rng = createRng(3, { stream: 'torch' }); // as the cell draws
    let negative = 0;
    for (let draw = 0; draw < 400; draw++) {
      if (initTensor([8, 8], { name: 'orthogonal' }, rng)[0]! < 0) negative++;
    }
    // Binomial(400, ½): mean 200, sd 10.
    expect(Math.abs(negative - 200)).toBeLessThan(35);
  });

  test('eye_ and dirac_: identity rows, a 1 at the kernel centre for d < min(out, in)', () => {
    states(text, '$d < \\min(\\text{out\\_channels}/\\text{groups}, \\text{in\\_channels})$');
    const eye = initTensor([3, 5], { name: 'eye' }, createRng(1));
    expect([...eye]).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
    const dirac = initTensor([4, 2, 3, 3], { name: 'dirac' }, createRng(1));
    // (d, d, 1, 1) for d = 0, 1; output channels 2 and 3 all zero.
    const at = (o: number, i: number, y: number, x: number): number =>
      dirac[((o * 2 + i) * 3 + y) * 3 + x]!;
    expect(at(0, 0, 1, 1)).toBe(1);
    expect(at(1, 1, 1, 1)).toBe(1);
    expect(dirac.reduce((s, v) => s + v, 0)).toBe(2);
  });

  test('SGD stalls at ln 2 from N(0, 0.01²) at 4 layers; Adam reaches 0.05 and 97% (seed 2, not 1 or 3); both stall at 6', () => {
    states(text, 'the loss stays at $\\ln 2 \\approx 0.693$ for all 500 steps');
    states(text, 'less than $10^{-7}$ of their size');
    states(text, 'the loss falls to about 0.05 at 97% accuracy');
    states(text, 'changes the weights by 5% to 13%\nof their size');
    states(text, 'at some seeds (1 and 3 among the first six)');
    states(text, 'a tenth of their size above, in one step');
    // The chapter's links set tc.seed=2 (the figure's default stream, PyTorch's).
    const run = (optimizer: 'sgd' | 'adam', lr: number, depth: number, seed = 2) => {
      const schema = trainingModel.schema;
      const p = { ...defaults(schema), inits: ['small'], depth, steps: 500, optimizer, lr, seed };
      return (runToEnd(trainingModel.compute(p)) as TrainingData).runs[0]!;
    };
    const sgd = run('sgd', 0.02, 4);
    rounds(sgd.final.loss, '0.693');
    expect(Math.max(...sgd.points[0]!.updateRatio)).toBeLessThan(1e-7);
    const adam = run('adam', 0.002, 4);
    rounds(adam.final.loss, '0.05');
    expect(Math.round(adam.final.accuracy! * 100)).toBe(97);
    const ratios = adam.points[0]!.updateRatio;
    expect(Math.round(Math.min(...ratios) * 100)).toBe(5);
    expect(Math.round(Math.max(...ratios) * 100)).toBe(13);
    // Among seeds 1 … 6, exactly 1 and 3 stay at ln 2 under Adam.
    const stalled = [1, 2, 3, 4, 5, 6].filter(
      (seed) => run('adam', 0.002, 4, seed).final.loss.toFixed(3) === '0.693',
    );
    expect(stalled).toEqual([1, 3]);
    const deep = run('adam', 0.002, 6);
    rounds(deep.final.loss, '0.693');
    expect(deep.final.accuracy).toBeCloseTo(0.5, 1);
  });

  test('exercise: 1.25^40 ≈ 7,500; below 2 needs n ≥ 287 (the exp bound 289)', () => {
    states(text, '$(1 + 5/20)^{40} = 1.25^{40} \\approx 7{,}500$');
    states(text, '$5/n < 2^{1/40} - 1 \\approx 0.0175$');
    states(text, '$n \\ge 287$ (the bound $\\exp(200/n) < 2$ asks for $n \\ge 289$)');
    expect(Math.round(1.25 ** 40 / 100) * 100).toBe(7500);
    rounds(2 ** (1 / 40) - 1, '0.0175');
    const smallest = (ok: (n: number) => boolean): number => {
      let n = 1;
      while (!ok(n)) n++;
      return n;
    };
    expect(smallest((n) => (1 + 5 / n) ** 40 < 2)).toBe(287);
    expect(smallest((n) => Math.exp(200 / n) < 2)).toBe(289);
  });
});

describe('chapter 7: stride, sparse_, and the input', () => {
  const text = chapter('pytorch-defaults');

  test('stride and dilation: fans 576 and 1152; stride-2 3×3 windows per input 4, 2, 1, mean 2.25 → 288', () => {
    states(text, 'the same $n_{\\text{in}} = 576$ and $n_{\\text{out}} = 1152$');
    states(text, 'read by 4, 2 or 1 windows');
    states(text, '2.25 on average');
    states(text, '$128 \\cdot 9/4 = 288$ on average, not 1,152');
    const { fanIn, fanOut } = computeFans([128, 64, 3, 3]);
    expect([fanIn, fanOut]).toEqual([576, 1152]);
    // Count, on a long 2-D input, how many stride-2 3×3 windows read each position.
    const size = 41;
    const counts = new Map<number, number>();
    let total = 0;
    let positions = 0;
    for (let y = 4; y < size - 4; y++) {
      for (let x = 4; x < size - 4; x++) {
        let windows = 0;
        for (let oy = 0; 2 * oy + 2 < size; oy++) {
          for (let ox = 0; 2 * ox + 2 < size; ox++) {
            if (y >= 2 * oy && y <= 2 * oy + 2 && x >= 2 * ox && x <= 2 * ox + 2) windows++;
          }
        }
        counts.set(windows, (counts.get(windows) ?? 0) + 1);
        total += windows;
        positions++;
      }
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 4]);
    expect(total / positions).toBeCloseTo(2.25, 1);
    expect((128 * 9) / 4).toBe(288);
  });

  test('sparse_: 231 zeros per column at 0.9 of 256, σ_w² = 0.0025 at std 0.01, std √(2/25) ≈ 0.283 for He', () => {
    states(text, '$m = 256 - 231 = 25$ non-zeros');
    states(text, "$\\sigma_w^2 = 25 \\cdot 10^{-4} = 0.0025$, eight hundred times below\nHe's 2");
    states(text, '$\\text{std} = \\sqrt{2/25}\n\\approx 0.283$');
    expect(Math.ceil(0.9 * 256)).toBe(231);
    expect(2 / 0.0025).toBe(800);
    rounds(Math.sqrt(2 / 25), '0.283');
    const measure = (std: number) => {
      const w = initTensor(
        [256, 256],
        { name: 'sparse', sparsity: 0.9, std },
        createRng(4, { stream: 'torch' }),
      );
      let zeros = 0;
      for (let i = 0; i < 256; i++) if (w[i * 256] === 0) zeros++;
      const sigmaW2 = (256 * w.reduce((s, v) => s + v * v, 0)) / w.length;
      return { zeros, sigmaW2 };
    };
    const torchDefault = measure(0.01);
    expect(torchDefault.zeros).toBe(231);
    expect(Math.abs(torchDefault.sigmaW2 / 0.0025 - 1)).toBeLessThan(0.05);
    expect(Math.abs(measure(Math.sqrt(2 / 25)).sigmaW2 / 2 - 1)).toBeLessThan(0.05);
  });

  test('inputs: pixels 0–255 give E[x²] ≈ 21,675 (147 in amplitude); [0, 1] pixels correlate 0.75', () => {
    states(text, '$\\mathbb{E}[x^2] = 255^2/3\n  \\approx 21{,}675$');
    states(text, 'about\n  147 times in amplitude');
    states(text, '$\\mathbb{E}[x_a x_b]/\\mathbb{E}[x^2] = (1/4)/(1/3) = 0.75$');
    expect(255 ** 2 / 3).toBe(21675);
    expect(Math.round(Math.sqrt(21675))).toBe(147);
    expect(0.25 / (1 / 3)).toBeCloseTo(0.75, 12);
    // He-initialized ReLU keeps whatever second moment the input brings (positive homogeneity).
    const he = meanField({ activation: 'relu', sigmaW2: 2, sigmaB2: 0, q0: 2 * 21675, depth: 20 });
    expect(he.q[20]! / (2 * 21675)).toBeCloseTo(1, 10);
  });
});
