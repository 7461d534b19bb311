/**
 * Exercise: write `kaimingNormal(shape, mode, rng)`, PyTorch's `kaiming_normal_` for ReLU:
 * N(0, std²) with std = √2 / √fan, the fan from the shape as PyTorch counts it (fan_in = shape[1] ×
 * receptive field, fan_out = shape[0] × receptive field) and chosen by `mode`.
 *
 * The answer is called with seeded generators on a linear and a convolution shape, in both modes:
 * type and length, determinism, the mean, the standard deviation (a wrong one is compared with what
 * typical mistakes give, to name the mistake), and a Kolmogorov–Smirnov test against the normal.
 *
 * @module
 */
import { computeFans, createRng, normalCdf } from '../../engine/index';
import { firstFailure, fmt, isFloat32Array, moments } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

const SHAPES: readonly (readonly number[])[] = [
  [256, 784],
  [64, 3, 7, 7],
];
const MODES = ['fan_in', 'fan_out'] as const;
/** Kolmogorov–Smirnov critical value √n·D at α ≈ 0.001. */
const KS_CRITICAL = 1.95;

/** Kolmogorov–Smirnov statistic D of the sample against N(0, std²). */
export function ksNormal(w: Float32Array, std: number): number {
  const sorted = Float64Array.from(w).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf((sorted[i] as number) / std);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Standard deviations that common mistakes give, with what to say about each. */
function mistakes(shape: readonly number[], mode: (typeof MODES)[number]) {
  const { fanIn, fanOut } = computeFans(shape);
  const fan = mode === 'fan_in' ? fanIn : fanOut;
  const other = mode === 'fan_in' ? fanOut : fanIn;
  const [outputs = 1, inputs = 1] = shape;
  const plain = mode === 'fan_in' ? inputs : outputs;
  return [
    {
      std: Math.sqrt(2 / other),
      hint: `That is √(2/${other}), the other fan: mode '${mode}' divides by ${mode === 'fan_in' ? 'fan_in = shape[1] × kernel area' : 'fan_out = shape[0] × kernel area'} = ${fan}.`,
    },
    {
      std: 1 / Math.sqrt(fan),
      hint: `That is 1/√${fan}: the ReLU gain √2 is missing (std = √2/√fan).`,
    },
    { std: 2 / fan, hint: `That is 2/${fan}, the variance: take its square root for the std.` },
    {
      std: 2 / Math.sqrt(fan),
      hint: `That is 2/√${fan}: the gain for ReLU is √2, not 2 (2 is the variance factor).`,
    },
    {
      std: Math.sqrt(2 / plain),
      hint: `That is √(2/${plain}): for a convolution the fan includes the kernel area (shape[2] × shape[3] …), ${fan} here.`,
    },
  ];
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    shape: 'Returns one weight per entry of the shape, in a Float32Array',
    rng: 'Draws from the rng it is given',
    std: 'Standard deviation √2/√fan, for both modes, linear and convolution shapes',
    ks: 'Normal (Kolmogorov–Smirnov test)',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(
      names.shape,
      'Define a function named kaimingNormal(shape, mode, rng) at the top level of the cell.',
    );
  }
  const call = (shape: readonly number[], mode: string, seed: number): unknown =>
    (fn as (s: number[], m: string, r: unknown) => unknown)([...shape], mode, createRng(seed));

  const samples: { shape: readonly number[]; mode: (typeof MODES)[number]; w: Float32Array }[] = [];
  for (const shape of SHAPES) {
    for (const mode of MODES) {
      const label = `kaimingNormal([${shape.join(', ')}], '${mode}', rng)`;
      let w: unknown;
      try {
        w = call(shape, mode, 1);
      } catch (error) {
        return fail(names.shape, `${label} threw: ${describe(error)}`);
      }
      const expected = shape.reduce((a, b) => a * b, 1);
      if (!isFloat32Array(w)) {
        const got = Object.prototype.toString.call(w).slice(8, -1);
        return fail(
          names.shape,
          `${label}: expected a Float32Array, got ${w === undefined ? 'undefined (is there a return?)' : got}.`,
        );
      }
      if (w.length !== expected) {
        return fail(
          names.shape,
          `${label} returned ${w.length} values; the shape has ${expected} entries (the product of its sizes).`,
        );
      }
      samples.push({ shape, mode, w });
    }
  }
  results.push({
    name: names.shape,
    pass: true,
    message: `Shapes ${SHAPES.map((s) => `[${s.join(', ')}]`).join(' and ')}, both modes: right type and length.`,
  });

  const first = samples[0]!;
  const again = call(first.shape, first.mode, 1) as Float32Array;
  const other = call(first.shape, first.mode, 2) as Float32Array;
  const same = (x: Float32Array, y: Float32Array) => x.every((v, i) => v === y[i]);
  if (first.w.every((v) => v === first.w[0])) {
    return fail(
      names.rng,
      `Every weight is ${fmt(first.w[0] ?? 0)}. Fill the array with draws: rng.normalArray(w, 0, std).`,
    );
  }
  if (!same(first.w, again)) {
    return fail(
      names.rng,
      'Two calls with the same seed gave different weights: draw with rng.normal() or rng.normalArray, not Math.random().',
    );
  }
  if (same(first.w, other)) {
    return fail(names.rng, 'Different seeds gave the same weights: draw every weight from rng.');
  }
  results.push({ name: names.rng, pass: true, message: 'Same seed, same weights; new seed, new.' });

  for (const { shape, mode, w } of samples) {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = mode === 'fan_in' ? fanIn : fanOut;
    const target = Math.sqrt(2 / fan);
    const m = moments(w);
    const where = `For [${shape.join(', ')}] in mode '${mode}' (${mode} = ${fan}): std ${fmt(m.std)}, expected √2/√${fan} = ${fmt(target)}`;
    if (Math.abs(m.mean) > 5 * (m.std / Math.sqrt(w.length)) + 1e-12) {
      return fail(names.std, `${where}; and the mean is ${fmt(m.mean)}, not 0: centre the draws.`);
    }
    // Sample std of ≥ 9,408 normal draws: within 3 % of its expectation with overwhelming odds.
    if (Math.abs(m.std / target - 1) > 0.03) {
      const known = mistakes(shape, mode).find((k) => Math.abs(m.std / k.std - 1) < 0.03);
      return fail(names.std, `${where}. ${known?.hint ?? 'Check the fan and the gain √2.'}`);
    }
  }
  results.push({
    name: names.std,
    pass: true,
    message: `std ${fmt(moments(first.w).std)} against √2/√784 = ${fmt(Math.sqrt(2 / 784))}, and likewise for the other three.`,
  });

  for (const { shape, mode, w } of samples) {
    const { fanIn, fanOut } = computeFans(shape);
    const std = Math.sqrt(2 / (mode === 'fan_in' ? fanIn : fanOut));
    const statistic = ksNormal(w, std) * Math.sqrt(w.length);
    if (statistic > KS_CRITICAL) {
      const uniformLike = moments(w).maxAbs < 2 * std;
      return fail(
        names.ks,
        `For [${shape.join(', ')}], '${mode}': √n·D = ${fmt(statistic)} > ${KS_CRITICAL}. ${uniformLike ? 'No weight is beyond 2 std: that looks uniform. Use rng.normal(), not rng.uniform().' : 'The values do not follow N(0, std²): draw each independently.'}`,
      );
    }
  }
  results.push({
    name: names.ks,
    pass: true,
    message: `√n·D = ${fmt(ksNormal(first.w, Math.sqrt(2 / 784)) * Math.sqrt(first.w.length))}, below ${KS_CRITICAL} (α ≈ 0.001).`,
  });
  return results;
}

export const kaimingNormal: Exercise = {
  id: 'kaiming-normal',
  entry: 'kaimingNormal',
  title: 'Write kaimingNormal(shape, mode, rng)',
  check: checkAnswer,
};
