/**
 * Numbers in chapter 1's key takeaways and the cheat sheet's exercise, checked twice like the other
 * prose-number tests: the chapter contains the literal text, and the engine's fans and gains (or
 * exact arithmetic on them) reproduce the value to the precision the text gives.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { calculateGain, computeFans, createRng, initTensor } from '../../src/engine/index';

const chapter = (slug: string): string =>
  readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8');

/** The chapter states `literal` verbatim, up to line breaks. */
function states(text: string, literal: string): void {
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  expect(flat(text).includes(flat(literal)), `expected ${JSON.stringify(literal)}`).toBe(true);
}

/** `value` rounds to `shown` at the number of decimals `shown` has. */
function rounds(value: number, shown: string): void {
  const decimals = shown.includes('.') ? shown.split('.')[1]!.length : 0;
  expect(value.toFixed(decimals)).toBe(shown);
}

/** Sample standard deviation of a tensor's entries around zero. */
function rms(xs: Float32Array): number {
  let s = 0;
  for (const x of xs) s += x * x;
  return Math.sqrt(s / xs.length);
}

describe('chapter 1: key takeaways', () => {
  const text = chapter('why-scale-matters');
  test('standard normal weights with 4096 inputs: pre-activation std 64', () => {
    states(
      text,
      'standard normal weights with 4096 inputs give\n  pre-activations of standard deviation 64',
    );
    expect(Math.sqrt(4096 * 1 * 1)).toBe(64);
  });
});

describe('cheat sheet: exercise answers', () => {
  const text = chapter('cheat-sheet');
  const conv = computeFans([128, 64, 3, 3]);

  test('He for nn.Conv2d(64, 128, 3): fan_in 576, std 0.0589; PyTorch default 0.0241', () => {
    states(text, '$n_{\\text{in}} = 64 \\cdot 3 \\cdot 3 = 576$');
    expect(conv.fanIn).toBe(576);
    const he = calculateGain('relu') / Math.sqrt(conv.fanIn);
    states(text, '$\\sqrt{2/576} = 0.0589$');
    rounds(he, '0.0589');
    // The engine's samplers agree with the formulas (PyTorch's semantics, seeded).
    const heSample = initTensor(
      [128, 64, 3, 3],
      { name: 'kaiming_normal', nonlinearity: 'relu' },
      createRng(1),
    );
    expect(Math.abs(rms(heSample) / he - 1)).toBeLessThan(0.01);
    states(text, '$1/\\sqrt{3 \\cdot 576} = 0.0241$');
    const torchDefault = 1 / Math.sqrt(3 * conv.fanIn);
    rounds(torchDefault, '0.0241');
    const sample = initTensor([128, 64, 3, 3], { name: 'torch_default' }, createRng(2));
    expect(Math.abs(rms(sample) / torchDefault - 1)).toBeLessThan(0.01);
    // "a sixth of He's variance"
    expect((torchDefault / he) ** 2).toBeCloseTo(1 / 6, 12);
  });

  test('Xavier with tanh gain at width 512: std 0.0737', () => {
    states(text, '$\\tfrac{5}{3}\\sqrt{2/(512 + 512)} = 0.0737$');
    const { fanIn, fanOut } = computeFans([512, 512]);
    const std = calculateGain('tanh') * Math.sqrt(2 / (fanIn + fanOut));
    rounds(std, '0.0737');
    const sample = initTensor(
      [512, 512],
      { name: 'xavier_normal', gain: calculateGain('tanh') },
      createRng(3),
    );
    expect(Math.abs(rms(sample) / std - 1)).toBeLessThan(0.01);
  });

  test('LeCun normal at width 256: std 0.0625; SELU gain 3/4', () => {
    states(text, '$1/\\sqrt{256} = 0.0625$');
    rounds(1 / Math.sqrt(computeFans([256, 256]).fanIn), '0.0625');
    states(text, 'whose gain of 3/4');
    expect(calculateGain('selu')).toBe(0.75);
    expect(calculateGain('linear')).toBe(1);
  });
});
