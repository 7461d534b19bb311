/**
 * Exercise: write `linearDefault(inFeatures, outFeatures, rng)`, what `nn.Linear` does when you do
 * nothing: the weight from `kaiming_uniform_(w, a=√5)`, i.e. U(−1/√fan_in, 1/√fan_in), and the bias
 * from U(−1/√fan_in, 1/√fan_in) (PyTorch's `reset_parameters`).
 *
 * Checked with seeded generators on two shapes: the shapes of weight and bias, determinism, both
 * bounds (a wrong one is compared with what typical mistakes give), and a Kolmogorov–Smirnov test
 * of the weights against the uniform distribution.
 *
 * @module
 */
import { createRng } from '../../engine/index';
import { firstFailure, fmt, isFloat32Array, moments } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';
import { ksUniform } from './xavier-uniform';

/** The first shape keeps the typical mistakes' bounds far apart, so the hint names the right one. */
const SHAPES: readonly (readonly [number, number])[] = [
  [128, 512],
  [784, 256],
];
const KS_CRITICAL = 1.95;

function mistakes(inFeatures: number, outFeatures: number) {
  return [
    {
      bound: Math.sqrt(6 / inFeatures),
      hint: `That is √(6/${inFeatures}): kaiming_uniform_ with a = 0 (the ReLU gain). nn.Linear calls it with a = √5, whose gain √(2/(1+5)) = 1/√3 gives the bound 1/√fan_in.`,
    },
    {
      bound: Math.sqrt(3 / inFeatures),
      hint: `That is √(3/${inFeatures}), LeCun uniform (variance 1/fan_in). PyTorch's default is a third of that variance: bound 1/√fan_in.`,
    },
    {
      bound: 1 / Math.sqrt(outFeatures),
      hint: `That is 1/√${outFeatures}: the fan-out. PyTorch's default uses fan_in = in_features.`,
    },
    {
      bound: Math.sqrt(6 / (inFeatures + outFeatures)),
      hint: 'That is Xavier uniform. PyTorch’s default for nn.Linear is kaiming_uniform_(a=√5): bound 1/√fan_in.',
    },
    {
      bound: 1 / inFeatures,
      hint: `That is 1/${inFeatures}: the square root is missing (bound 1/√fan_in).`,
    },
  ];
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    shape: 'Returns { weight, bias }: out × in weights and out biases, in Float32Arrays',
    rng: 'Draws from the rng it is given',
    weight: 'Weights in U(−1/√fan_in, 1/√fan_in), uniform (Kolmogorov–Smirnov test)',
    bias: 'Biases in U(−1/√fan_in, 1/√fan_in), not zero',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(
      names.shape,
      'Define a function named linearDefault(inFeatures, outFeatures, rng) at the top level of the cell.',
    );
  }
  const call = (i: number, o: number, seed: number): unknown =>
    (fn as (a: number, b: number, r: unknown) => unknown)(i, o, createRng(seed));
  const samples: { i: number; o: number; weight: Float32Array; bias: Float32Array }[] = [];
  for (const [i, o] of SHAPES) {
    const label = `linearDefault(${i}, ${o}, rng)`;
    let got: unknown;
    try {
      got = call(i, o, 1);
    } catch (error) {
      return fail(names.shape, `${label} threw: ${describe(error)}`);
    }
    const { weight, bias } = (got ?? {}) as { weight?: unknown; bias?: unknown };
    if (!isFloat32Array(weight) || !isFloat32Array(bias)) {
      return fail(
        names.shape,
        `${label} should return an object { weight, bias } of two Float32Arrays; got ${got === undefined ? 'undefined (is there a return?)' : `weight: ${Object.prototype.toString.call(weight).slice(8, -1)}, bias: ${Object.prototype.toString.call(bias).slice(8, -1)}`}.`,
      );
    }
    if (weight.length !== i * o || bias.length !== o) {
      return fail(
        names.shape,
        `${label}: weight has ${weight.length} values (expected out × in = ${i * o}), bias ${bias.length} (expected out = ${o}).`,
      );
    }
    samples.push({ i, o, weight, bias });
  }
  results.push({ name: names.shape, pass: true, message: 'Both shapes: right types and lengths.' });

  const first = samples[0]!;
  const again = call(first.i, first.o, 1) as { weight: Float32Array };
  const other = call(first.i, first.o, 2) as { weight: Float32Array };
  const same = (x: Float32Array, y: Float32Array) => x.every((v, k) => v === y[k]);
  if (!same(first.weight, again.weight)) {
    return fail(
      names.rng,
      'The same seed gave different weights: draw with rng, not Math.random().',
    );
  }
  if (same(first.weight, other.weight) || first.weight.every((v) => v === first.weight[0])) {
    return fail(names.rng, 'Different seeds gave the same weights: draw every weight from rng.');
  }
  results.push({ name: names.rng, pass: true, message: 'Same seed, same weights; new seed, new.' });

  for (const { i, o, weight } of samples) {
    const bound = 1 / Math.sqrt(i);
    const m = moments(weight);
    if (m.maxAbs > bound * (1 + 1e-6) || m.maxAbs < bound * 0.99) {
      const known = mistakes(i, o).find((k) => Math.abs(m.maxAbs / k.bound - 1) < 0.02);
      return fail(
        names.weight,
        `For in_features = ${i}: the largest |w| is ${fmt(m.maxAbs)}; the bound is 1/√${i} = ${fmt(bound)}. ${known?.hint ?? (m.maxAbs > 3 * m.std ? 'The weights look normal: use uniform draws.' : 'Draw w = (2u − 1)·bound.')}`,
      );
    }
    const statistic = ksUniform(weight, bound) * Math.sqrt(weight.length);
    if (statistic > KS_CRITICAL) {
      return fail(
        names.weight,
        `For in_features = ${i}: √n·D = ${fmt(statistic)} > ${KS_CRITICAL}: not uniform on (−${fmt(bound)}, ${fmt(bound)}).`,
      );
    }
  }
  results.push({
    name: names.weight,
    pass: true,
    message: `Largest |w| ${fmt(moments(first.weight).maxAbs)} against 1/√${first.i} = ${fmt(1 / Math.sqrt(first.i))}; uniform.`,
  });

  for (const { i, bias } of samples) {
    const bound = 1 / Math.sqrt(i);
    const m = moments(bias);
    if (m.maxAbs === 0) {
      return fail(
        names.bias,
        `Every bias is 0. nn.Linear does not zero its bias: it draws it from U(−1/√fan_in, 1/√fan_in), here ±${fmt(bound)}.`,
      );
    }
    // 256 or 512 uniform draws: the largest is within 5 % of the bound with overwhelming odds.
    if (m.maxAbs > bound * (1 + 1e-6) || m.maxAbs < bound * 0.95) {
      return fail(
        names.bias,
        `For in_features = ${i}: the largest |b| is ${fmt(m.maxAbs)}; the bias bound is 1/√fan_in = ${fmt(bound)} too.`,
      );
    }
  }
  results.push({
    name: names.bias,
    pass: true,
    message: `Largest |b| ${fmt(moments(first.bias).maxAbs)}, inside ±${fmt(1 / Math.sqrt(first.i))}.`,
  });
  return results;
}

export const linearDefault: Exercise = {
  id: 'linear-default',
  entry: 'linearDefault',
  title: 'Write linearDefault(inFeatures, outFeatures, rng)',
  check: checkAnswer,
};
