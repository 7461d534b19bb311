import { describe, expect, it } from 'vitest';
import {
  integerAxis,
  integerTicks,
  logTicks,
  thinTicks,
  tickBudget,
  tickFormat,
} from '../../src/figures/axis';
import { pageFrame, presentFrame } from '../../src/figures/frame';

describe('integer ticks for layers and steps', () => {
  it('never lands between two layers', () => {
    // A three-layer network: 1, 2, 3, not 1.0, 1.5, 2.0, 2.5, 3.0.
    expect(integerTicks(1, 3, 10)).toEqual([1, 2, 3]);
    expect(integerTicks(1, 3, 5)).toEqual([1, 2, 3]);
    for (const [lo, hi, count] of [
      [1, 7, 20],
      [1, 30, 4],
      [0, 200, 6],
      [1, 2, 9],
    ] as const) {
      expect(integerTicks(lo, hi, count).every(Number.isInteger)).toBe(true);
    }
  });

  it('steps 1, 2, 5 or 10 apart within the budget, and keeps layer 1 when it does not crowd', () => {
    expect(integerTicks(1, 30, 8)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(integerTicks(1, 10, 5)).toEqual([1, 5, 10]);
    // Layer 1 would crowd layer 2: it goes.
    expect(integerTicks(1, 10, 6)).toEqual([2, 4, 6, 8, 10]);
    expect(integerTicks(0, 200, 5)).toEqual([0, 50, 100, 150, 200]);
    expect(integerTicks(1, 50, 6)).toEqual([1, 10, 20, 30, 40, 50]);
  });

  it('asks for fewer ticks as the type grows: a projector’s axis is not a page’s', () => {
    const page = integerAxis(pageFrame(640), 1, 30, 'x', 560);
    const present = integerAxis(presentFrame(640, 500, 1920), 1, 30, 'x', 560);
    expect(present.ticks.length).toBeLessThan(page.ticks.length);
    expect(page.ticks.every(Number.isInteger)).toBe(true);
    expect(page.domain).toEqual([1, 30]);
  });
});

describe('log axes label their decades', () => {
  it('labels every decade while the labels fit', () => {
    expect(logTicks(2e-9, 2, 12)).toEqual([1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
    expect(logTicks(0.97, 12_600, 6)).toEqual([1, 10, 100, 1000, 10_000]);
  });

  it('keeps a clean subset on a crowded axis: every kth decade, on multiples of k', () => {
    // Forty-one decades in a budget of nine: every fifth, 1e-40 … 1; of eight, every tenth.
    expect(logTicks(1e-40, 2, 8)).toEqual([1e-40, 1e-30, 1e-20, 1e-10, 1]);
    expect(logTicks(1e-40, 2, 9)).toEqual([
      1e-40, 1e-35, 1e-30, 1e-25, 1e-20, 1e-15, 1e-10, 1e-5, 1,
    ]);
    expect(logTicks(2e-9, 2, 5)).toEqual([1e-8, 1e-6, 1e-4, 0.01, 1]);
    expect(logTicks(2e-9, 2, 4)).toEqual([1e-6, 1e-3, 1]);
    // No decade left unlabelled between labelled ones: these are the only ticks.
    const ticks = logTicks(1e-12, 1e3, 6);
    const exponents = ticks.map((t) => Math.round(Math.log10(t)));
    const steps = new Set(exponents.slice(1).map((e, i) => e - exponents[i]!));
    expect(steps.size).toBe(1);
  });

  it('adds 2 and 5 on a short span with room, and falls back to round numbers inside one step', () => {
    expect(logTicks(0.015, 1.2, 12)).toEqual([0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.4, 1.45, 6)).toEqual([0.5, 1]);
    expect(logTicks(1.02, 1.97, 6)).toEqual([1.2, 1.4, 1.6, 1.8]);
  });

  it('thins a fixed list from its first value', () => {
    expect(thinTicks([16, 32, 64, 128, 256, 512, 1024, 2048, 4096], 5)).toEqual([
      16, 64, 256, 1024, 4096,
    ]);
    expect(thinTicks([1, 2, 3], 9)).toEqual([1, 2, 3]);
  });

  it('budgets ticks by the space a label takes', () => {
    expect(tickBudget(pageFrame(640), 600, 'y')).toBeGreaterThan(
      tickBudget(pageFrame(640), 300, 'y'),
    );
    expect(tickBudget(pageFrame(640), 10, 'x')).toBe(2);
  });
});

describe('tick labels use the figures’ number format', () => {
  it('pads evenly spaced decimals to one length, and leaves decades and exponents as they are', () => {
    const linear = tickFormat([0, 0.5, 1, 1.5]);
    expect([0, 0.5, 1, 1.5].map(linear)).toEqual(['0.0', '0.5', '1.0', '1.5']);
    const decades = tickFormat([0.01, 0.1, 1, 10]);
    expect([0.01, 0.1, 1, 10].map(decades)).toEqual(['0.01', '0.1', '1', '10']);
    const tiny = tickFormat([1e-8, 1e-4, 1]);
    expect([1e-8, 1.23e-4, 1].map(tiny)).toEqual(['1e-8', '1.23e-4', '1']);
    expect(tickFormat([1, 2])(Infinity)).toBe('∞');
  });
});
