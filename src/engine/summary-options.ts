/**
 * Validation of the summary options every run accepts (quantile levels, histogram bins), shared
 * by `propagate` and `propagateNetwork`.
 *
 * @module
 */
import type { HistogramBins } from './stats';
import { EngineInputError, finiteNumber, inRange, positiveInt } from './validate';

/** Quantile levels, each in [0, 1]. */
export function checkLevels(levels: readonly number[]): number[] {
  if (!Array.isArray(levels)) throw new EngineInputError('quantiles', levels, 'an array');
  return levels.map((p, i) => inRange(`quantiles[${i}]`, p, 0, 1));
}

/** `{ edges }` (at least two, increasing) or `{ min, max, count }`. */
export function checkBins(bins: HistogramBins): HistogramBins {
  if (typeof bins === 'object' && bins !== null && 'edges' in bins && Array.isArray(bins.edges)) {
    const e = bins.edges;
    e.forEach((v, i) => finiteNumber(`histogramBins.edges[${i}]`, v));
    if (e.length < 2 || e.some((v, i) => i > 0 && v <= e[i - 1]!)) {
      throw new EngineInputError('histogramBins.edges', e, 'at least 2 increasing numbers');
    }
    return bins;
  }
  if (typeof bins !== 'object' || bins === null || !('count' in bins)) {
    throw new EngineInputError('histogramBins', bins, '{ edges } or { min, max, count }');
  }
  const min = finiteNumber('histogramBins.min', bins.min);
  const max = finiteNumber('histogramBins.max', bins.max);
  if (!(max > min)) throw new EngineInputError('histogramBins.max', max, `a number > ${min}`);
  return { min, max, count: positiveInt('histogramBins.count', bins.count, 10_000) };
}
