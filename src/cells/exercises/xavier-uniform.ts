/**
 * Exercise: write `xavierUniform(fanIn, fanOut, rng)`, returning fanIn·fanOut weights drawn from
 * U(−a, a) with a = √(6 / (fanIn + fanOut)), so that Var(w) = a²/3 = 2 / (fanIn + fanOut).
 *
 * The answer is called with seeded generators and its output tested: type and length, determinism,
 * the bound, the standard deviation, and a Kolmogorov–Smirnov test against U(−a, a). A wrong bound is
 * compared with the bounds that typical mistakes give, so the hint can name the mistake.
 *
 * @module
 */
import { createRng } from '../../engine/index';
import { firstFailure, fmt, isFloat32Array, moments } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

/** Shapes tried: fan-in ≠ fan-out, so a bound that uses only one of them is caught. */
const SHAPES: readonly (readonly [number, number])[] = [
  [784, 256],
  [128, 512],
];
/** Kolmogorov–Smirnov critical value √n·D at α ≈ 0.001. */
const KS_CRITICAL = 1.95;

/** Kolmogorov–Smirnov statistic D of the sample against U(−a, a). */
export function ksUniform(w: Float32Array, a: number): number {
  const sorted = Float64Array.from(w).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = Math.min(1, Math.max(0, ((sorted[i] as number) + a) / (2 * a)));
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/** Bounds that common mistakes produce, with what to say about each. */
function mistakes(fanIn: number, fanOut: number) {
  const sum = fanIn + fanOut;
  return [
    {
      bound: Math.sqrt(2 / sum),
      hint: 'Your bound is √(2/(fanIn+fanOut)): that is the standard deviation Xavier wants, not the bound. U(−a, a) has standard deviation a/√3, so multiply by √3: a = √(6/(fanIn+fanOut)).',
    },
    {
      bound: Math.sqrt(3 / fanIn),
      hint: 'Your bound is √(3/fanIn), which uses the fan-in only (LeCun uniform). Xavier averages both fans: a = √(6/(fanIn+fanOut)).',
    },
    {
      bound: Math.sqrt(6 / fanIn),
      hint: 'Your bound is √(6/fanIn): it uses the fan-in only. Xavier uses both: a = √(6/(fanIn+fanOut)).',
    },
    {
      bound: Math.sqrt(1 / fanIn),
      hint: 'Your bound is 1/√fanIn (PyTorch’s default for nn.Linear). Xavier’s is a = √(6/(fanIn+fanOut)).',
    },
    {
      bound: Math.sqrt(3 / fanOut),
      hint: 'Your bound is √(3/fanOut), which uses the fan-out only. Xavier averages both fans: a = √(6/(fanIn+fanOut)).',
    },
    {
      bound: Math.sqrt(6 / fanOut),
      hint: 'Your bound is √(6/fanOut): it uses the fan-out only. Xavier uses both: a = √(6/(fanIn+fanOut)).',
    },
    {
      bound: 6 / sum,
      hint: 'Your bound is 6/(fanIn+fanOut): the square root is missing. a = √(6/(fanIn+fanOut)).',
    },
  ];
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    shape: 'Returns fanIn × fanOut weights in a Float32Array',
    rng: 'Draws from the rng it is given',
    bound: 'Bound: every |w| ≤ a = √(6/(fanIn+fanOut)), the largest close to a',
    std: 'Standard deviation a/√3 = √(2/(fanIn+fanOut))',
    ks: 'Uniform on (−a, a) (Kolmogorov–Smirnov test)',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  const skipAfter = (failed: CheckResult): CheckResult[] => fail(failed.name, failed.message);
  if (typeof fn !== 'function') {
    return skipAfter({
      name: names.shape,
      pass: false,
      message:
        'Define a function named xavierUniform(fanIn, fanOut, rng) at the top level of the cell.',
    });
  }
  const call = (fanIn: number, fanOut: number, seed: number): unknown =>
    (fn as (a: number, b: number, r: unknown) => unknown)(fanIn, fanOut, createRng(seed));

  const samples: [number, number, Float32Array][] = [];
  for (const [fanIn, fanOut] of SHAPES) {
    let w: unknown;
    try {
      w = call(fanIn, fanOut, 1);
    } catch (error) {
      return skipAfter({
        name: names.shape,
        pass: false,
        message: `xavierUniform(${fanIn}, ${fanOut}, rng) threw: ${describe(error)}`,
      });
    }
    const expected = fanIn * fanOut;
    if (!isFloat32Array(w)) {
      const got = Object.prototype.toString.call(w).slice(8, -1);
      return skipAfter({
        name: names.shape,
        pass: false,
        message: `Expected a Float32Array, got ${w === undefined ? 'undefined (is there a return?)' : got}. Create it with new Float32Array(fanIn * fanOut).`,
      });
    }
    if (w.length !== expected) {
      return skipAfter({
        name: names.shape,
        pass: false,
        message: `xavierUniform(${fanIn}, ${fanOut}, rng) returned ${w.length} values; expected fanIn × fanOut = ${expected}.`,
      });
    }
    samples.push([fanIn, fanOut, w]);
  }
  results.push({
    name: names.shape,
    pass: true,
    message: `Shapes ${SHAPES.map(([i, o]) => `${i}×${o}`).join(' and ')}: right type and length.`,
  });

  const [fanIn0, fanOut0, first] = samples[0] as [number, number, Float32Array];
  const again = call(fanIn0, fanOut0, 1) as Float32Array;
  const other = call(fanIn0, fanOut0, 2) as Float32Array;
  const same = (x: Float32Array, y: Float32Array) => x.every((v, i) => v === y[i]);
  if (first.every((v) => v === first[0])) {
    return skipAfter({
      name: names.rng,
      pass: false,
      message: `Every weight is ${fmt(first[0] ?? 0)}. Fill the array with draws: w[i] = (2 * rng.uniform() - 1) * a.`,
    });
  }
  if (!same(first, again)) {
    return skipAfter({
      name: names.rng,
      pass: false,
      message:
        'Two calls with the same seed gave different weights: draw with rng.uniform() (or rng.uniformArray), not Math.random().',
    });
  }
  if (same(first, other)) {
    return skipAfter({
      name: names.rng,
      pass: false,
      message:
        'Different seeds gave the same weights: every weight should be a fresh draw from rng.',
    });
  }
  results.push({
    name: names.rng,
    pass: true,
    message: 'Same seed, same weights; new seed, new weights.',
  });

  for (const [fanIn, fanOut, w] of samples) {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    const m = moments(w);
    const shape = `For fanIn = ${fanIn}, fanOut = ${fanOut}: a = ${fmt(a)}`;
    if (Math.abs(m.mean) > 0.25 * m.std) {
      return skipAfter({
        name: names.bound,
        pass: false,
        message: `${shape}; your weights have mean ${fmt(m.mean)}, not 0. rng.uniform() is in [0, 1): map it to (−a, a) with (2u − 1)·a.`,
      });
    }
    const tooWide = m.maxAbs > a * (1 + 1e-6);
    const tooNarrow = m.maxAbs < a * 0.99;
    if (tooWide || tooNarrow) {
      // A normal sample's largest |w| is ~4.5 std; a uniform one's is √3 std.
      if (m.maxAbs > 3 * m.std) {
        return skipAfter({
          name: names.bound,
          pass: false,
          message: `${shape}; your largest |w| is ${fmt(m.maxAbs / m.std)} standard deviations out, so the weights look normal, not uniform. Use rng.uniform(), not rng.normal().`,
        });
      }
      const known = mistakes(fanIn, fanOut).find((k) => Math.abs(m.maxAbs / k.bound - 1) < 0.02);
      return skipAfter({
        name: names.bound,
        pass: false,
        message: `${shape}, your largest |w| is ${fmt(m.maxAbs)}. ${known?.hint ?? (tooWide ? 'Some weights are outside (−a, a).' : 'Your weights stay well inside (−a, a): the bound is too small.')}`,
      });
    }
  }
  results.push({
    name: names.bound,
    pass: true,
    message: 'All weights inside (−a, a), and the largest within 1% of a.',
  });

  for (const [fanIn, fanOut, w] of samples) {
    const target = Math.sqrt(2 / (fanIn + fanOut));
    const { std } = moments(w);
    // The sample std of 10⁵ uniform draws is within 1% of its expectation with overwhelming odds.
    if (Math.abs(std / target - 1) > 0.02) {
      return skipAfter({
        name: names.std,
        pass: false,
        message: `For ${fanIn}×${fanOut}: std ${fmt(std)}, expected ${fmt(target)}. With the bound right, the values may not fill (−a, a) evenly.`,
      });
    }
  }
  results.push({
    name: names.std,
    pass: true,
    message: `std ${fmt(moments(first).std)} against √(2/${fanIn0 + fanOut0}) = ${fmt(Math.sqrt(2 / (fanIn0 + fanOut0)))}.`,
  });

  for (const [fanIn, fanOut, w] of samples) {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    const statistic = ksUniform(w, a) * Math.sqrt(w.length);
    if (statistic > KS_CRITICAL) {
      return skipAfter({
        name: names.ks,
        pass: false,
        message: `For ${fanIn}×${fanOut}: √n·D = ${fmt(statistic)} > ${KS_CRITICAL}. The values are not spread evenly over (−a, a): draw each weight independently from (2u − 1)·a.`,
      });
    }
  }
  results.push({
    name: names.ks,
    pass: true,
    message: `√n·D = ${fmt(ksUniform(first, Math.sqrt(6 / (fanIn0 + fanOut0))) * Math.sqrt(first.length))}, below ${KS_CRITICAL} (α ≈ 0.001).`,
  });
  return results;
}

export const xavierUniform: Exercise = {
  id: 'xavier-uniform',
  entry: 'xavierUniform',
  title: 'Write xavierUniform(fanIn, fanOut, rng)',
  check: checkAnswer,
};
