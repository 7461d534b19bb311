/**
 * The conv variance rule (theory/conv.ts) against the engine's simulation.
 *
 * Finite-channel fluctuations: a random conv stack's realized E[y²] after l layers differs from its
 * expectation by a factor whose logarithm spreads like √(l/C) (C channels; the same effect as in
 * dense ReLU nets, Hanin & Rolnick, "How to Start Training: The Effect of Initialization and
 * Architecture", NeurIPS 2018). Tolerances are stated in that unit, s(l, C) = √(l/C): the spread
 * measured over seeds is about 0.3·s for linear stacks and 1.2·s for ReLU stacks; the tests allow
 * 1.5·s and 4.5·s (ReLU's coefficient includes √1.5), so they shrink like 1/√C with channels.
 */
import { describe, expect, it } from 'vitest';
import {
  convVariance,
  convnet,
  convnetVariance,
  propagateNetwork,
  type ConvnetOptions,
  type LayerSpec,
} from '../../src/engine';

const convOutputs = (config: Parameters<typeof propagateNetwork>[0]) =>
  propagateNetwork({ ...config, summaries: 'moments' })
    .layers.filter((l) => l.type === 'conv2d')
    .map((l) => l.output.meanSquare);

describe('He et al. 2015: 30 ReLU conv layers, Xavier against He', () => {
  it.each([16, 64])(
    'with C → C layers Xavier ends 2^-30 below He in E[y²] (2^-15 in std); channels %i',
    (channels) => {
      const o: ConvnetOptions = {
        depth: 30,
        channels,
        inChannels: channels,
        imageSize: 8,
        batch: 2,
      };
      const he = convOutputs(convnet({ ...o, init: 'he' }));
      const xavier = convOutputs(convnet({ ...o, init: 'xavier' }));
      // Same normal draws, scaled by 1/√2 per layer, and ReLU is positively homogeneous: the
      // engine's ratio is 2^-l at layer l up to float32 rounding (1e-4 relative).
      xavier.forEach((x, l) => expect(x / he[l]! / 2 ** -(l + 1) - 1).toBeCloseTo(0, 4));
      expect(Math.sqrt(xavier[29]! / he[29]!) * 2 ** 15).toBeCloseTo(1, 4);
      const th = convnetVariance({ ...o, init: 'xavier' }).map((r) => r.meanSquare);
      const tHe = convnetVariance({ ...o, init: 'he' }).map((r) => r.meanSquare);
      expect(th[29]! / tHe[29]!).toBeCloseTo(2 ** -30, 20);
    },
  );

  it('from 3 input channels Xavier’s first layer gives 3/(3 + C) of He’s, then halves 29 times', () => {
    const o: ConvnetOptions = { depth: 30, channels: 16, imageSize: 8, batch: 2 };
    const he = convOutputs(convnet({ ...o, init: 'he' }));
    const xavier = convOutputs(convnet({ ...o, init: 'xavier' }));
    const expected = (3 / 19) * 2 ** -29;
    expect(xavier[29]! / he[29]! / expected).toBeCloseTo(1, 4);
    const t = (init: 'he' | 'xavier') => convnetVariance({ ...o, init })[29]!.meanSquare;
    expect(t('xavier') / t('he') / expected).toBeCloseTo(1, 12);
  });
});

describe('convVariance', () => {
  /** l linear conv layers C → C, 3×3, no bias, Var(W) = 1/fan_in (kaiming_normal, 'linear'). */
  const stack = (l: number, c: number, padding: number): LayerSpec[] =>
    Array.from({ length: l }, () => ({
      type: 'conv2d' as const,
      out: c,
      kernel: 3,
      padding,
      bias: false,
      weightInit: { name: 'kaiming_normal' as const, nonlinearity: 'linear' as const },
    }));

  it('without padding every position is interior: the dense rule, exactly', () => {
    const layers = Array.from({ length: 3 }, () => ({
      out: 8,
      kernel: 3,
      weightVariance: 0.02,
      biasVariance: 0.1,
      activation: 'tanh',
    }));
    const a = convVariance({ inputShape: [4, 12, 12], inputMeanSquare: 2, layers });
    const b = convVariance({
      inputShape: [4, 12, 12],
      inputMeanSquare: 2,
      layers,
      border: 'ignore',
    });
    expect(a.map((r) => r.shape)).toEqual([
      [8, 10, 10],
      [8, 8, 8],
      [8, 6, 6],
    ]);
    a.forEach((r, i) => {
      expect(r.meanSquare).toBeCloseTo(b[i]!.meanSquare, 14);
      expect(r.effectiveFanIn).toBe(r.fanIn);
    });
    // First layer: σ_w² = 36·0.02 = 0.72, q = 0.72·2 + 0.1.
    expect(a[0]!.sigmaW2).toBeCloseTo(0.72, 14);
    expect(a[0]!.meanSquare).toBeCloseTo(1.54, 14);
  });

  it('padding 1 on 8×8 averages (22/8)² in-bounds taps, not 9', () => {
    const [r] = convVariance({
      inputShape: [5, 8, 8],
      inputMeanSquare: 1,
      layers: [{ out: 3, kernel: 3, padding: 1, weightVariance: 1 }],
    });
    expect(r!.effectiveFanIn).toBeCloseTo(5 * (22 / 8) ** 2, 12);
    expect(r!.meanSquare).toBeCloseTo(5 * (22 / 8) ** 2, 12);
  });

  it.each([8, 32, 128])(
    'a linear 30-layer stack with padding 1 (8×8): within 1.5·√(l/C) in ln, C = %i',
    (c) => {
      const l = 30;
      const layers = stack(l, c, 1);
      const th = convVariance({
        inputShape: [c, 8, 8],
        inputMeanSquare: 1,
        layers: layers.map(() => ({ out: c, kernel: 3, padding: 1, weightVariance: 1 / (9 * c) })),
      });
      const ignore = convVariance({
        inputShape: [c, 8, 8],
        inputMeanSquare: 1,
        border: 'ignore',
        layers: layers.map(() => ({ out: c, kernel: 3, padding: 1, weightVariance: 1 / (9 * c) })),
      });
      for (const seed of [1, 2]) {
        const sim = convOutputs({ input: { shape: [c, 8, 8], batch: 2 }, seed, layers });
        sim.forEach((m, i) => {
          expect(Math.abs(Math.log(m / th[i]!.meanSquare))).toBeLessThan(
            1.5 * Math.sqrt((i + 1) / c),
          );
        });
        // The dense rule alone (border ignored) is outside the same tolerance once C ≥ 32.
        if (c >= 32) {
          expect(Math.abs(Math.log(sim[29]! / ignore[29]!.meanSquare))).toBeGreaterThan(
            1.5 * Math.sqrt(30 / c),
          );
        }
      }
    },
  );

  it.each([
    [16, 8],
    [64, 8],
    [256, 4],
  ])(
    'He’s 30 ReLU layers (the preset), C = %i on images of side %i: within 4.5·√(1.5·l/C) in ln',
    (c, size) => {
      const o: ConvnetOptions = {
        depth: 30,
        channels: c,
        inChannels: c,
        imageSize: size,
        batch: 2,
      };
      const th = convnetVariance(o).map((r) => r.meanSquare);
      const ignore = convnetVariance(o, 'ignore').map((r) => r.meanSquare);
      const tol = (i: number) => 4.5 * Math.sqrt((1.5 * (i + 1)) / c);
      const seeds = c >= 256 ? [1] : [1, 2, 3];
      for (const seed of seeds) {
        const sim = convOutputs(convnet({ ...o, seed }));
        sim.forEach((m, i) => expect(Math.abs(Math.log(m / th[i]!))).toBeLessThan(tol(i)));
        // At C = 256 on 4×4 images the dense rule alone (border ignored) is outside the tolerance.
        if (c >= 256) expect(Math.abs(Math.log(sim[29]! / ignore[29]!))).toBeGreaterThan(tol(29));
      }
    },
  );

  it('names the field of a bad layer', () => {
    expect(() =>
      convVariance({
        inputShape: [3, 4, 4],
        inputMeanSquare: 1,
        layers: [{ out: 4, kernel: 3, groups: 2, weightVariance: 1 }],
      }),
    ).toThrow(/layers\[0\]\.groups must be a divisor of 3 and 4; received 2/);
    expect(() => convnetVariance({ residual: true, depth: 5 })).toThrow(
      /options must be a plain stack/,
    );
  });
});
