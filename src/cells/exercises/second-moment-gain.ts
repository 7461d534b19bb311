/**
 * Exercise: write `secondMomentGain(name)`, the gain g that keeps a unit second moment through a
 * layer of activation φ: with σ_w² = g², E[y²] = 1 stays 1 when g² · E[φ(z)²] = 1, so
 * g = 1/√E[φ(z)²], z ~ N(0, 1). For tanh it is 1.5925, a little below PyTorch's 5/3.
 *
 * Checked against the engine's `activationMoments(name).gain` for four activations; a wrong value is
 * compared with the typical mistakes (the root without the inverse, the slope's moment E[φ′(z)²],
 * PyTorch's table value).
 *
 * @module
 */
import {
  activation,
  activationMoments,
  calculateGain,
  gaussianExpectation,
} from '../../engine/index';
import { firstFailure, fmt } from './checks';
import type { CheckResult, DescribeError, Exercise } from './types';

const NAMES = ['tanh', 'relu', 'sigmoid', 'selu'] as const;
const RTOL = 1e-4;

function mistakes(name: string, right: number) {
  const a = activation(name);
  const slope = gaussianExpectation((x) => a.df(x) ** 2, 1, a.kinks);
  return [
    { value: 1 / right, hint: 'That is √E[φ(z)²]: the gain is its inverse, 1/√E[φ(z)²].' },
    { value: 1 / right ** 2, hint: 'That is E[φ(z)²] itself: take 1/√ of it.' },
    {
      value: 1 / Math.sqrt(slope),
      hint: 'That is 1/√E[φ′(z)²], the gain for the backward pass (the slope’s moment). The forward gain uses φ itself: 1/√E[φ(z)²].',
    },
    {
      value: calculateGain(name),
      hint: `That is PyTorch's calculate_gain('${name}'), a table value; compute the gain from the moment: 1/√E[φ(z)²].`,
    },
  ];
}

function checkAnswer(fn: unknown, describe: DescribeError): CheckResult[] {
  const names = {
    runs: 'Returns a positive number for every activation',
    value: 'Equals 1/√E[φ(z)²]',
  };
  const results: CheckResult[] = [];
  const fail = firstFailure(results, names);
  if (typeof fn !== 'function') {
    return fail(names.runs, 'Define a function named secondMomentGain(name) at the top level.');
  }
  const answers: number[] = [];
  for (const name of NAMES) {
    let got: unknown;
    try {
      got = (fn as (n: string) => unknown)(name);
    } catch (error) {
      return fail(names.runs, `secondMomentGain('${name}') threw: ${describe(error)}`);
    }
    if (typeof got !== 'number' || !(got > 0 && got < Infinity)) {
      return fail(
        names.runs,
        `secondMomentGain('${name}') returned ${typeof got === 'number' ? String(got) : typeof got}; expected a positive number.`,
      );
    }
    answers.push(got);
  }
  results.push({ name: names.runs, pass: true, message: `${NAMES.length} activations answered.` });
  for (const [i, name] of NAMES.entries()) {
    const got = answers[i]!;
    const want = activationMoments(name).gain;
    if (Math.abs(got / want - 1) > RTOL) {
      const known = mistakes(name, want).find((m) => Math.abs(got / m.value - 1) <= RTOL);
      return fail(
        names.value,
        `secondMomentGain('${name}') = ${fmt(got)}; 1/√E[φ(z)²] = ${fmt(want)}. ${known?.hint ?? 'Compute E[φ(z)²] with gaussianExpectation((x) => phi.f(x) ** 2, 1, phi.kinks).'}`,
      );
    }
  }
  results.push({
    name: names.value,
    pass: true,
    message: `${NAMES.map((n, i) => `${n}: ${fmt(answers[i]!)}`).join('; ')} (PyTorch's tanh gain is 5/3 = 1.667).`,
  });
  return results;
}

export const secondMomentGain: Exercise = {
  id: 'second-moment-gain',
  entry: 'secondMomentGain',
  title: 'Write secondMomentGain(name)',
  check: checkAnswer,
};
