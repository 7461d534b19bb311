/**
 * The gradient-through-time predictions of theory/recurrence against simulation at widths 64, 256
 * and 1024, with fixed seeds and tolerances ∝ 1/√width.
 */
import { describe, expect, it } from 'vitest';
import { initTensor } from '../../src/engine/init';
import { createKernels } from '../../src/engine/backend';
import { buildNetwork } from '../../src/engine/network/build';
import type { Leaf } from '../../src/engine/network/layer';
import { drawParameters, runContext } from '../../src/engine/network/run';
import { createRng } from '../../src/engine/rng';
import {
  linearRecurrenceGradient,
  tanhRecurrenceGradient,
} from '../../src/engine/theory/recurrence';

const WIDTHS = [64, 256, 1024] as const;
const sumSq = (a: Float32Array, from = 0, to = a.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]! * a[i]!;
  return s;
};

/**
 * ‖(Wᵀ)^k g‖² / ‖g‖² for k = 0 … K, averaged over `draws` matrices and `vectors` random g each
 * (the ratio of the averages), with the engine's kernels: rows of V·W are (Wᵀ v)ᵀ.
 */
function simulateLinear(
  n: number,
  K: number,
  draws: number,
  vectors: number,
  w: (seed: number) => Float32Array,
) {
  const k = createKernels();
  const sums = new Array<number>(K + 1).fill(0);
  for (let d = 0; d < draws; d++) {
    const W = w(d);
    let v = createRng(1000 + d).normalArray(new Float32Array(vectors * n));
    sums[0] = sums[0]! + sumSq(v);
    for (let s = 1; s <= K; s++) {
      const next = new Float32Array(vectors * n);
      k.matmulGradInput(v, W, next, vectors, n, n);
      v = next;
      sums[s] = sums[s]! + sumSq(v);
    }
  }
  return sums.map((s) => s / sums[0]!);
}

describe('linear recurrences: ‖∂L/∂h_{T−k}‖² against k', () => {
  it.each(WIDTHS)('Gaussian W (σ = 1.1) at width %i: σ^{2k} for k ≤ √n/2', (n) => {
    const sigma = 1.1;
    const pred = linearRecurrenceGradient({ kind: 'gaussian', sigma }, 40, n);
    const K = pred.validSteps;
    expect(K).toBe(Math.floor(Math.sqrt(n) / 2));
    // The same number of matrix entries at every width, 4·2^20: 1024, 64 and 4 draws.
    const draws = Math.max(2, (4 * 1024 * 1024) / (n * n));
    const sim = simulateLinear(n, K, draws, 16, (d) =>
      initTensor([n, n], { name: 'normal', std: sigma / Math.sqrt(n) }, createRng(d + 1)),
    );
    for (let k = 1; k <= K; k++) {
      // The sd of ‖(Wᵀ)^k g‖²/‖g‖² is about √(2k/n) for one vector; averaged over 16 vectors and
      // ≥ 4 draws it is several times smaller. 0.3·√(2k/n) also covers the finite-size excess
      // (measured ≤ 2.5 % at k = √n/2, below 0.3·n^(−1/4)). Observed errors: ≤ 0.4 of the bound.
      const tol = 0.3 * Math.sqrt((2 * k) / n);
      const err = Math.abs(sim[k]! / pred.ratio[k]! - 1);
      expect(err, `k=${k}`).toBeLessThan(tol);
    }
  });

  it('beyond k ≈ √n the Gaussian expectation exceeds σ^{2k} (width 64, k = 16 = 2√n)', () => {
    const n = 64;
    const sim = simulateLinear(n, 16, 1024, 16, (d) =>
      initTensor([n, n], { name: 'normal', std: 1 / Math.sqrt(n) }, createRng(d + 1)),
    );
    // σ = 1: the prediction is 1 at every k; measured 2.6 ± 0.1 with 64 000 draws in float64.
    expect(sim[4]!).toBeLessThan(1.05);
    expect(sim[16]!).toBeGreaterThan(1.5);
  });

  it.each(WIDTHS)('orthogonal W (gain 1) at width %i: exactly 1 for every k', (n) => {
    const pred = linearRecurrenceGradient({ kind: 'orthogonal' }, 50);
    expect(pred.exact).toBe(true);
    expect(pred.ratio.every((r) => r === 1)).toBe(true);
    const sim = simulateLinear(n, 50, 1, 4, (d) =>
      initTensor([n, n], { name: 'orthogonal' }, createRng(d + 7)),
    );
    // float32 orthogonality error ~1e-7·√n per step, accumulated over k steps.
    for (let k = 1; k <= 50; k++)
      expect(Math.abs(sim[k]! - 1)).toBeLessThan(2e-7 * k * Math.sqrt(n));
  });

  it('orthogonal W with gain γ: γ^{2k}', () => {
    const pred = linearRecurrenceGradient({ kind: 'orthogonal', gain: 0.9 }, 10);
    expect(pred.ratio[10]).toBeCloseTo(0.9 ** 20, 14);
  });
});

describe('tanh recurrences: mean-field q_t and χ against the engine’s nn.RNN', () => {
  // σ_u² = 0.5 with features = n, σ_b² = 0.08 (two biases of std 0.2), inputs N(0, 1).
  const cases = [
    { sigmaW2: 0.8, T: 20 },
    { sigmaW2: 4.0, T: 20 },
  ];
  it.each(WIDTHS.flatMap((n) => cases.map((c) => [n, c.sigmaW2, c.T] as const)))(
    'width %i, σ_w² = %f',
    (n, sigmaW2, T) => {
      const sigmaU2 = 0.5;
      const biasStd = 0.2;
      const pred = tanhRecurrenceGradient({
        sigmaW2,
        sigmaU2,
        sigmaB2: 2 * biasStd ** 2,
        steps: T,
      });
      const B = 8;
      const plan = buildNetwork({
        input: { shape: [T, n], batch: B },
        seed: 0,
        layers: [
          {
            type: 'recurrent',
            cell: 'tanh',
            hidden: n,
            weightInit: { name: 'normal', std: Math.sqrt(sigmaU2 / n) },
            recurrentInit: { name: 'normal', std: Math.sqrt(sigmaW2 / n) },
            biasInit: { name: 'normal', std: biasStd },
          },
        ],
      });
      const leaf = plan.nodes[0] as Leaf;
      const p = drawParameters(plan, createRng(n + Math.round(10 * sigmaW2))).get('0')!;
      const x = createRng(5).normalArray(new Float32Array(B * T * n));
      const ctx = runContext(createKernels(), B, true);
      const f = leaf.forward(x, p, ctx);
      // Loss on the last step only: ∂L/∂h_T ~ N(0, I), zero elsewhere.
      const gy = new Float32Array(B * T * n);
      const g = createRng(6).normalArray(new Float32Array(B * n));
      for (let b = 0; b < B; b++) gy.set(g.subarray(b * n, (b + 1) * n), (b * T + T - 1) * n);
      const back = leaf.backward(gy, x, f.y, f.cache, p, ctx);
      const tol = 2 / Math.sqrt(n);
      for (let t = 0; t < T; t++) {
        // Forward: E[h_t²] = E[φ(√q_t z)²] within 2/√n (per-unit weight fluctuations are
        // O(1/√n); observed ≤ 0.2 of the bound).
        const ms = sumSq(f.extras!.steps![t]!) / (B * n);
        expect(Math.abs(ms / pred.hiddenMeanSquare[t]! - 1), `t=${t}`).toBeLessThan(tol);
      }
      const top = sumSq(back.stepGrads![T - 1]!);
      for (let k = 1; k < T; k++) {
        const sim = sumSq(back.stepGrads![T - 1 - k]!) / top;
        // |log(sim/pred)| within 4·√(k/n): per step a relative error of order √(2/n) (shared W,
        // B = 8 samples), plus O(1/n) corrections from W's reuse, accumulating like √k over k
        // steps. Observed ≤ 0.55 of the bound.
        const bound = 4 * Math.sqrt(k / n);
        expect(Math.abs(Math.log(sim / pred.ratio[k]!)), `k=${k}`).toBeLessThan(bound);
      }
    },
  );

  it('settles at q* and decays as χ^k (σ_w² = 0.8) or grows (σ_w² = 4)', () => {
    const a = tanhRecurrenceGradient({ sigmaW2: 0.8, sigmaU2: 0.5, steps: 60 });
    expect(a.q[59]).toBeCloseTo(a.qStar, 10);
    expect(a.chi).toBeLessThan(0.8);
    expect(a.ratio[30]! / a.ratio[29]!).toBeCloseTo(a.chi, 8);
    const b = tanhRecurrenceGradient({ sigmaW2: 4, sigmaU2: 0.5, steps: 60 });
    expect(b.chi).toBeGreaterThan(1);
    // relu cell at σ_w² = 1: q* = σ_u² q_x / (1 − σ_w²/2) and χ = σ_w²/2 exactly.
    const r = tanhRecurrenceGradient({ sigmaW2: 1, sigmaU2: 0.5, steps: 5, activation: 'relu' });
    expect(r.qStar).toBeCloseTo(1, 10);
    expect(r.chi).toBeCloseTo(0.5, 12);
  });
});
