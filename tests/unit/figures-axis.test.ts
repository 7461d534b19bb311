import { describe, expect, it } from 'vitest';
import { logAxisMarginLeft } from '../../src/figures/axis';

describe('logAxisMarginLeft', () => {
  it('keeps Plot’s default while every decade label has at most four glyphs', () => {
    // Chapter 1's Xavier curve: labels from 1e-9 to 1, and 0.001 (the dot is narrow).
    expect(logAxisMarginLeft([2 ** -29, 0.001, 2])).toBeUndefined();
    expect(logAxisMarginLeft([1e-8, 1000])).toBeUndefined();
    expect(logAxisMarginLeft([])).toBeUndefined();
    expect(logAxisMarginLeft([0, Number.NaN, -1])).toBeUndefined();
  });

  it('widens for 10000 and 1e-10, which Plot’s 40 pixels clip', () => {
    // Nine residual blocks reach 12 600: the 10000 tick.
    expect(logAxisMarginLeft([0.97, 12_600])).toBe(12 + 7 * 5);
    // A small init over 20 layers: 1e-10 … 1e-40.
    expect(logAxisMarginLeft([1e-40, 2])).toBe(12 + 7 * 5);
    expect(logAxisMarginLeft([1e-120, 1])).toBe(12 + 7 * 6);
    // Any decade counts, shown or thinned out by Plot: a few pixels to spare rather than a clip.
    expect(logAxisMarginLeft([1e-8, 1e30])).toBe(12 + 7 * 5);
  });
});
