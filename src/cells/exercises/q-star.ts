/**
 * Exercise: write `qStar(sigmaW2, sigmaB2, name)`, the fixed point of the mean-field q-map
 * q ↦ σ_w²·E[φ(√q z)²] + σ_b² reached from q = 1, by fixed-point iteration (the cell has the
 * engine's `activation(name)` and `gaussianExpectation(g, q, kinks)` in scope).
 *
 * The answer is compared with the engine's `meanField(…).qStar` at four points of the tanh and
 * sigmoid planes, chosen where the iteration converges within a few hundred steps. A wrong value is
 * compared with what typical mistakes give (one step only, σ_w² or σ_b² left out), to name it.
 *
 * @module
 */
import { activation, gaussianExpectation, meanField } from '../../engine/index';
import { firstFailure, fmt } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

/** (σ_w², σ_b², activation): ordered and chaotic tanh, the critical line's marker, a sigmoid. */
const POINTS: readonly (readonly [number, number, string])[] = [
  [1.76, 0.05, 'tanh'],
  [3, 0.1, 'tanh'],
  [0.5, 0.2, 'tanh'],
  [4, 0, 'sigmoid'],
];
/** Relative agreement asked of the answer; the engine's own tolerance is far tighter. */
const RTOL = 1e-3;

/** The engine's fixed point (the reference). */
export function referenceQStar(sigmaW2: number, sigmaB2: number, name: string): number {
  return meanField({ activation: name, sigmaW2, sigmaB2, q0: 1, depth: 1, correlations: false })
    .qStar;
}

function meanSquare(name: string, q: number): number {
  const a = activation(name);
  return gaussianExpectation((x) => a.f(x) ** 2, q, a.kinks);
}

/** Values typical mistakes give, with what to say about each. */
function mistakes(sigmaW2: number, sigmaB2: number, name: string) {
  return [
    {
      value: sigmaW2 * meanSquare(name, 1) + sigmaB2,
      hint: 'That is one application of the map from q = 1: repeat q = σ_w²·E[φ(√q z)²] + σ_b² until q stops changing (say, |Δq| < 1e-12, at most 10,000 steps).',
    },
    {
      value: referenceQStar(1, sigmaB2, name),
      hint: 'σ_w² is missing: the map multiplies E[φ(√q z)²] by σ_w².',
    },
    {
      value: referenceQStar(sigmaW2, 0, name),
      hint: 'σ_b² is missing: every layer adds the bias variance, q = σ_w²·E[φ(√q z)²] + σ_b².',
    },
  ];
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    runs: 'Returns a finite number for every point',
    value: 'Agrees with the fixed point of the q-map (to 0.1 %)',
    fixed: 'Is a fixed point: one more step of the map leaves it in place',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(
      names.runs,
      'Define a function named qStar(sigmaW2, sigmaB2, name) at the top level of the cell.',
    );
  }
  const answers: number[] = [];
  for (const [w2, b2, name] of POINTS) {
    const label = `qStar(${w2}, ${b2}, '${name}')`;
    let value: unknown;
    try {
      value = (fn as (w: number, b: number, n: string) => unknown)(w2, b2, name);
    } catch (error) {
      return fail(names.runs, `${label} threw: ${describe(error)}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return fail(
        names.runs,
        `${label} returned ${typeof value === 'number' ? String(value) : typeof value}; expected a finite number.`,
      );
    }
    answers.push(value);
  }
  results.push({ name: names.runs, pass: true, message: `${POINTS.length} points, all finite.` });

  for (const [i, [w2, b2, name]] of POINTS.entries()) {
    const got = answers[i]!;
    const want = referenceQStar(w2, b2, name);
    if (Math.abs(got / want - 1) > RTOL) {
      const known = mistakes(w2, b2, name).find((m) => Math.abs(got / m.value - 1) < RTOL);
      return fail(
        names.value,
        `qStar(${w2}, ${b2}, '${name}') = ${fmt(got)}; the fixed point is ${fmt(want)}. ${known?.hint ?? 'Iterate the map from q = 1 until q stops changing.'}`,
      );
    }
  }
  results.push({
    name: names.value,
    pass: true,
    message: POINTS.map(([w2, b2, n], i) => `${n} (${w2}, ${b2}): ${fmt(answers[i]!)}`).join('; '),
  });

  const [w2, b2, name] = POINTS[0]!;
  const q = answers[0]!;
  const next = w2 * meanSquare(name, q) + b2;
  results.push({
    name: names.fixed,
    pass: Math.abs(next - q) <= 1e-4 * q,
    message: `One more step from ${fmt(q)} gives ${fmt(next)}.`,
  });
  return results;
}

export const qStar: Exercise = {
  id: 'q-star',
  entry: 'qStar',
  title: 'Write qStar(sigmaW2, sigmaB2, name)',
  check: checkAnswer,
};
