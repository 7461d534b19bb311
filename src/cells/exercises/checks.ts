/**
 * What the exercises' checks share: sample moments, the number format of their messages, the
 * Float32Array test, and the "stop at the first failure" list (the checks after a failed one are
 * listed as not checked yet, so the reader fixes one thing at a time).
 *
 * @module
 */
import type { CheckResult } from './types';

export interface Moments {
  readonly mean: number;
  readonly std: number;
  readonly maxAbs: number;
}

export function moments(w: Float32Array): Moments {
  let sum = 0;
  let sumSq = 0;
  let maxAbs = 0;
  for (const v of w) {
    sum += v;
    sumSq += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / w.length;
  return { mean, std: Math.sqrt(Math.max(0, sumSq / w.length - mean * mean)), maxAbs };
}

/** Four significant digits, no trailing zeros. */
export const fmt = (x: number): string => String(Number(x.toPrecision(4)));

export const isFloat32Array = (v: unknown): v is Float32Array =>
  Object.prototype.toString.call(v) === '[object Float32Array]';

/**
 * Returns `fail(name, message)`: the results so far, the failed check, and every check named in
 * `names` after it as not checked yet.
 */
export function firstFailure(
  results: CheckResult[],
  names: Readonly<Record<string, string>>,
): (name: string, message: string) => CheckResult[] {
  return (name, message) => {
    const all = Object.values(names);
    const rest = all.slice(all.indexOf(name) + 1);
    return [
      ...results,
      { name, pass: false, message },
      ...rest.map((n) => ({
        name: n,
        pass: false,
        message: 'Not checked yet: fix the one above.',
      })),
    ];
  };
}
