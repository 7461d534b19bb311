import { describe, expect, it } from 'vitest';
import { formatNumber, formatOnScale, ZERO_BELOW } from '../../src/figures/types';

describe('formatOnScale: rounding noise against a stated scale prints as 0', () => {
  it('prints a value far below its scale as 0, whatever its sign', () => {
    // E[tanh(z)] by quadrature: exactly 0 in theory, 1.37e-18 in floating point; its scale is
    // √E[tanh(z)²] = 0.628.
    expect(formatOnScale(1.3699e-18, Math.sqrt(0.39429))).toBe('0');
    expect(formatOnScale(-4.78e-17, 1)).toBe('0');
    expect(formatNumber(1.3699e-18)).toBe('1.37e-18');
  });

  it('keeps values at or above the threshold, formatted as formatNumber does', () => {
    expect(ZERO_BELOW).toBe(1e-12);
    expect(formatOnScale(2e-12, 1)).toBe('2e-12');
    expect(formatOnScale(1e-12, 1)).toBe('1e-12');
    expect(formatOnScale(0.999e-12, 1)).toBe('0');
    // The threshold moves with the scale: 1e-9 is noise beside 1e4, a reading beside 1.
    expect(formatOnScale(1e-9, 1e4)).toBe('0');
    expect(formatOnScale(1e-9, 1)).toBe('1e-9');
    expect(formatOnScale(0.569, 2.2)).toBe('0.569');
    expect(formatOnScale(-3.5e5, 1)).toBe(formatNumber(-3.5e5));
  });

  it('zeroes nothing without a finite scale, and still names non-finite values', () => {
    expect(formatOnScale(1e-18, 0)).toBe('1e-18');
    expect(formatOnScale(1e-18, Number.NaN)).toBe('1e-18');
    expect(formatOnScale(1e-18, Number.POSITIVE_INFINITY)).toBe('1e-18');
    expect(formatOnScale(Number.NaN, 1)).toBe('NaN');
    expect(formatOnScale(Number.POSITIVE_INFINITY, 1)).toBe('∞');
  });
});

describe('formatNumber: the one format of the figures, at build time and live', () => {
  it('keeps 3 significant digits, in exponent form below 0.001 and from 100 000', () => {
    expect(formatNumber(1.2345e-4)).toBe('1.23e-4');
    expect(formatNumber(1.86e-9)).toBe('1.86e-9');
    expect(formatNumber(0.001)).toBe('0.001');
    expect(formatNumber(0.56912)).toBe('0.569');
    expect(formatNumber(12_600)).toBe('12600');
    expect(formatNumber(2e5)).toBe('2e5');
    expect(formatNumber(0)).toBe('0');
  });

  it('names the infinities with ∞ (as chart text and summaries print them), and NaN', () => {
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('−∞');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});
