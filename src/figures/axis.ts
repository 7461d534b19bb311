/**
 * Axis helpers shared by the views.
 *
 * @module
 */
import { formatNumber } from './types';

/** Plot's default left margin, which fits tick labels of up to four glyphs such as `1e-8`. */
const DEFAULT_MARGIN_LEFT = 40;
/** Pixels per glyph of a 12px tick label, plus the tick and its padding. */
const GLYPH = 7;
const TICK = 12;

/**
 * A left margin wide enough for the decade labels of a log axis over `values` (`10000`, `1e-10`
 * would be clipped at Plot's default), or undefined where the default fits. Dots are narrow and
 * not counted, so `0.001` keeps the default. Every decade in range counts, including those Plot
 * thins out of a long axis: at worst a few pixels to spare.
 */
export function logAxisMarginLeft(values: readonly number[]): number | undefined {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  if (positive.length === 0) return undefined;
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  let glyphs = 0;
  for (let e = lo; e <= hi; e++) {
    glyphs = Math.max(glyphs, formatNumber(10 ** e).replaceAll('.', '').length);
  }
  const needed = TICK + GLYPH * glyphs;
  return glyphs > 4 && needed > DEFAULT_MARGIN_LEFT ? needed : undefined;
}
