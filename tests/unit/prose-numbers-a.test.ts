/**
 * Numbers stated in the prose of chapters 2–5 (variance rule, Xavier/Glorot, He/Kaiming, what fails),
 * checked against the engine or exact arithmetic. Each claim asserts two things: the chapter contains
 * the sentence fragment exactly as written, and the number in it is what the engine computes, rounded
 * the way the prose rounds it. Edit a number in a chapter and its test here fails, and vice versa.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { calculateGain, computeFans, createRng, erfc, initTensor } from '../../src/engine/index';
import type { InitSpec } from '../../src/engine/index';
import { criticalSigmaW2, meanField } from '../../src/engine/meanfield';
import { propagate } from '../../src/engine/propagate';
import { gaussianExpectation } from '../../src/engine/quadrature';

const chapters = new Map<string, string>();
/** The text of content/chapters/<slug>.mdx, read once. */
function chapter(slug: string): string {
  let text = chapters.get(slug);
  if (text === undefined) {
    text = readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8');
    chapters.set(slug, text);
  }
  return text;
}

/** Decimal places of a literal such as "0.0439" (2 → 0 places). */
const places = (literal: string): number => literal.split('.')[1]?.length ?? 0;

/**
 * The chapter contains `context` verbatim, `context` contains `literal`, and `value` rounded to the
 * literal's decimal places prints as `literal`.
 */
function claim(slug: string, context: string, literal: string, value: number): void {
  expect(context, 'the context must contain the literal').toContain(literal);
  expect(chapter(slug), `${slug}.mdx should contain: ${context}`).toContain(context);
  expect(value.toFixed(places(literal)), `${literal} in “${context}”`).toBe(literal);
}

/** The chapter contains `context` verbatim (for statements checked by a separate assertion). */
function says(slug: string, context: string): void {
  expect(chapter(slug), `${slug}.mdx should contain: ${context}`).toContain(context);
}

/** Root mean square of the entries. */
function rms(xs: Float32Array): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return Math.sqrt(s / xs.length);
}

/** E[g(z)] for z ~ N(0, q), by the engine's quadrature. */
const gauss = (g: (x: number) => number, q = 1, kinks: readonly number[] = []): number =>
  gaussianExpectation(g, q, kinks);

/** Empirical weight std of a fresh tensor. */
const sampledStd = (shape: number[], spec: InitSpec, seed = 7): number =>
  rms(initTensor(shape, spec, createRng(seed)));

/** Layer `i` (0-based) of a result array, failing loudly if absent. */
function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no entry ${i}`);
  return x;
}

describe('chapter 2, the variance rule', () => {
  const slug = 'variance-rule';

  test('convolution fans: 3 → 64 channels, 7×7 kernel', () => {
    const { fanIn, fanOut } = computeFans([64, 3, 7, 7]);
    says(slug, 'has fan-in $3 \\cdot 49 = 147$ and fan-out $64 \\cdot 49 = 3136$');
    expect([fanIn, fanOut]).toEqual([147, 3136]);
  });

  test('nn.Linear(784, 256): the three rules, their stds and factors', () => {
    const { fanIn, fanOut } = computeFans([256, 784]);
    const row = (rule: string): string => {
      const line = chapter(slug)
        .split('\n')
        .find((l) => l.startsWith(`| ${rule}`));
      if (line === undefined) throw new Error(`no table row for ${rule}`);
      return line;
    };
    const fwd = row('forward, $1/n_{\\text{in}}$');
    const bwd = row('backward, $1/n_{\\text{out}}$');
    const mid = row('compromise, $2/(n_{\\text{in}}+n_{\\text{out}})$');
    claim(slug, fwd, '0.0357', Math.sqrt(1 / fanIn));
    claim(slug, fwd, '0.33', fanOut / fanIn);
    claim(slug, bwd, '0.0625', Math.sqrt(1 / fanOut));
    claim(slug, bwd, '3.06', fanIn / fanOut);
    const xavierVar = 2 / (fanIn + fanOut);
    expect(xavierVar).toBe(1 / 520);
    claim(slug, mid, '0.0439', Math.sqrt(xavierVar));
    claim(slug, mid, '1.51', fanIn * xavierVar);
    claim(slug, mid, '0.49', fanOut * xavierVar);
    const text = 'the compromise has standard deviation 0.0439 and uniform bound 0.0760';
    claim(slug, text, '0.0439', Math.sqrt(xavierVar));
    claim(slug, text, '0.0760', Math.sqrt(3 * xavierVar));
    // The engine's Xavier initializers draw with that std (1% on 200 704 samples).
    for (const name of ['xavier_uniform', 'xavier_normal'] as const) {
      const std = sampledStd([256, 784], { name, gain: 1 });
      expect(Math.abs(std / Math.sqrt(xavierVar) - 1)).toBeLessThan(0.01);
    }
  });

  test('a uniform bound is √3 = 1.73 standard deviations, and U(±a) has variance a²/3', () => {
    says(slug, 'A uniform weight never exceeds $\\sqrt{3} \\approx 1.73$ standard');
    expect(Math.sqrt(3).toFixed(2)).toBe('1.73');
    const w = initTensor([1000, 1000], { name: 'uniform', a: -0.5, b: 0.5 }, createRng(3));
    expect(Math.abs(rms(w) ** 2 / (0.25 / 3) - 1)).toBeLessThan(0.005);
  });

  test('truncating N(0, 1) at ±2 leaves a std of about 0.88', () => {
    claim(
      slug,
      'truncating $N(0, 1)$ at $\\pm 2$ leaves a standard deviation of about 0.88',
      '0.88',
      sampledStd([1000, 1000], { name: 'trunc_normal', std: 1, a: -2, b: 2 }),
    );
  });

  test('a funnel from 1024 to 64: gradients 16 times smaller at the bottom', () => {
    says(
      slug,
      'A network that narrows from 1024 inputs to 64 outputs has gradients 16 times smaller',
    );
    expect(1024 / 64).toBe(16);
    // The cell's network: fan-in scaling keeps the forward pass flat and halves the gradient per layer.
    const run = propagate({
      depth: 4,
      width: [512, 256, 128, 64],
      input: { width: 1024 },
      batch: 256,
      activation: 'linear',
      weightInit: { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'linear' },
      seed: 1,
      backward: true,
    });
    const grad = (i: number): number => at(run.layers, i).gradPre?.meanSquare ?? NaN;
    for (const layer of run.layers) expect(Math.abs(layer.pre.meanSquare - 1)).toBeLessThan(0.1);
    expect(Math.abs(grad(0) / grad(3) / (1 / 8) - 1)).toBeLessThan(0.15);
  });

  test('exercise: nn.Linear(1024, 64) under the compromise', () => {
    const { fanIn, fanOut } = computeFans([64, 1024]);
    const v = 2 / (fanIn + fanOut);
    says(slug, '$\\operatorname{Var}(w) = 2/(1024 + 64) = 2/1088 = 1/544$');
    expect(v).toBe(1 / 544);
    claim(slug, '$\\sqrt{1/544} \\approx 0.0429$', '0.0429', Math.sqrt(v));
    claim(slug, 'the uniform bound $\\sqrt{6/1088} \\approx 0.0743$', '0.0743', Math.sqrt(3 * v));
    claim(
      slug,
      '$n_{\\text{in}}\\operatorname{Var}(w) = 1024/544 \\approx 1.88$',
      '1.88',
      fanIn * v,
    );
    claim(slug, '64/544\n\\approx 0.118$', '0.118', fanOut * v);
    says(slug, 'gradients passing down through it lose almost 90% of their variance');
    expect(1 - fanOut * v).toBeGreaterThan(0.88);
    expect(1 - fanOut * v).toBeLessThan(0.9);
  });
});
