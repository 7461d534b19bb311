/**
 * Exercise: write `saturatedShare(std)`, the share of tanh units on their flat ends (|tanh(y)| > 0.97,
 * the saturation figure's definition) when the pre-activation y is N(0, std²): exactly, with the
 * engine's `normalCdf` in scope. The answer: P(|y| > atanh(0.97)) = 2·(1 − Φ(atanh(0.97)/std)).
 *
 * Checked at five standard deviations against that formula and a seeded simulation; a wrong value
 * is compared with what typical mistakes give (the threshold on y instead of tanh(y), one tail only).
 *
 * @module
 */
import { createRng, normalCdf } from '../../engine/index';
import { firstFailure, fmt } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

const STDS = [0.5, 1, 2, 8, 64] as const;
const T = Math.atanh(0.97);

export const saturatedShareOf = (std: number): number => 2 * (1 - normalCdf(T / std));

/** The share in a seeded sample of 200,000 pre-activations: the formula's check by experiment. */
export function simulatedShare(std: number): number {
  const rng = createRng(97);
  let count = 0;
  const n = 200_000;
  for (let i = 0; i < n; i++) if (Math.abs(Math.tanh(std * rng.normal())) > 0.97) count++;
  return count / n;
}

function mistakes(std: number) {
  return [
    {
      value: 2 * (1 - normalCdf(0.97 / std)),
      hint: `That is P(|y| > 0.97): the threshold applies to tanh(y). |tanh(y)| > 0.97 means |y| > atanh(0.97) = ${fmt(T)}.`,
    },
    {
      value: 1 - normalCdf(T / std),
      hint: 'That is one tail: the flat ends are on both sides, P(|y| > t) = 2·(1 − Φ(t/std)).',
    },
    {
      value: 2 * (1 - normalCdf(T * std)),
      hint: 'You multiplied by the std: standardize by dividing, Φ(t/std).',
    },
  ];
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    runs: 'Returns a share in [0, 1] for every std',
    value: 'Equals P(|tanh(y)| > 0.97) for y ~ N(0, std²)',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(names.runs, 'Define a function named saturatedShare(std) at the top level.');
  }
  const answers: number[] = [];
  for (const std of STDS) {
    let value: unknown;
    try {
      value = (fn as (s: number) => unknown)(std);
    } catch (error) {
      return fail(names.runs, `saturatedShare(${std}) threw: ${describe(error)}`);
    }
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      return fail(
        names.runs,
        `saturatedShare(${std}) returned ${typeof value === 'number' ? fmt(value) : typeof value}; a share is a number in [0, 1].`,
      );
    }
    answers.push(value);
  }
  results.push({ name: names.runs, pass: true, message: `${STDS.length} values, all in [0, 1].` });
  for (const [i, std] of STDS.entries()) {
    const got = answers[i]!;
    const want = saturatedShareOf(std);
    if (Math.abs(got - want) > 1e-6 + 1e-4 * want) {
      const known = mistakes(std).find((m) => Math.abs(got - m.value) <= 1e-6 + 1e-4 * m.value);
      return fail(
        names.value,
        `saturatedShare(${std}) = ${fmt(got)}; the share is ${fmt(want)} (a simulation of 200,000 units gives ${fmt(simulatedShare(std))}). ${known?.hint ?? `Find t with tanh(t) = 0.97 and compute P(|y| > t).`}`,
      );
    }
  }
  results.push({
    name: names.value,
    pass: true,
    message: `${STDS.map((s, i) => `std ${s}: ${fmt(answers[i]!)}`).join('; ')}. At std 64, ${fmt(100 * answers[4]!)} % of units sit on the flat ends.`,
  });
  return results;
}

export const saturatedShare: Exercise = {
  id: 'saturated-share',
  entry: 'saturatedShare',
  title: 'Write saturatedShare(std)',
  check: checkAnswer,
};
