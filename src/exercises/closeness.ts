/**
 * How close a reader's prediction came to what the network did: the reading of a typed number, and
 * the verdict in words. Pure: the page (src/client/predict-element.ts) and the tests call it.
 *
 * - {@link parsePrediction}: the text of the field → a number, or a message saying what is wrong.
 * - {@link judgePrediction}: a prediction and the measured value → a verdict with the numbers.
 *
 * @module
 */
import { formatNumber } from '../figures/types';

/** How a quantity is compared: by ratio (a variance over many orders of magnitude) or difference. */
export type Scale = 'ratio' | 'difference';

export type Parsed =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

/** The longest text read as a number; anything longer is not a number a reader typed. */
const MAX_LENGTH = 40;

/**
 * Reads what the reader typed: a decimal or exponent number (`0.5`, `-2`, `1.6e-9`, `1,000`), or a
 * power written with `^` (`2^-29`, `10^-9`). Commas between digit groups are dropped.
 */
export function parsePrediction(text: string, scale: Scale): Parsed {
  const trimmed = text.trim().replaceAll('−', '-').replaceAll('×', '*');
  if (trimmed === '') return { ok: false, message: 'Type a number first, then commit it.' };
  if (trimmed.length > MAX_LENGTH) {
    return { ok: false, message: `That is ${trimmed.length} characters; type one number.` };
  }
  const plain = trimmed.replace(/(\d),(?=\d{3}\b)/g, '$1');
  const power = /^([+-]?\d+(?:\.\d+)?)\s*\^\s*\(?([+-]?\d+(?:\.\d+)?)\)?$/.exec(plain);
  const value = power
    ? Math.pow(Number(power[1]), Number(power[2]))
    : /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(plain)
      ? Number(plain)
      : Number.NaN;
  if (!Number.isFinite(value)) {
    return {
      ok: false,
      message: `“${trimmed}” is not a number this field reads. Write it like 0.25, 1.6e-9 or 2^-29.`,
    };
  }
  if (scale === 'ratio' && value <= 0) {
    return {
      ok: false,
      message: `This quantity is positive: predict a number above 0 (you typed ${formatNumber(value)}).`,
    };
  }
  return { ok: true, value };
}

export interface Verdict {
  /** 'close': within the tolerance; 'near': within ten times it; 'far': beyond. */
  readonly grade: 'close' | 'near' | 'far';
  /** One sentence with both numbers and how far apart they are. */
  readonly text: string;
}

/**
 * Compares a prediction with the measured value. For a ratio scale the distance is the factor
 * between them (a prediction of 1e-9 for 1.6e-9 is off by a factor 1.6); `tolerance` is then a factor
 * (default 2). For a difference scale it is the absolute difference, `tolerance` in the same unit.
 */
export function judgePrediction(
  predicted: number,
  measured: number,
  scale: Scale,
  tolerance = scale === 'ratio' ? 2 : 0.05,
): Verdict {
  const said = `You predicted ${formatNumber(predicted)}; the network gave ${formatNumber(measured)}`;
  if (!Number.isFinite(measured)) {
    return { grade: 'far', text: `${said}: the run itself left the finite numbers.` };
  }
  if (scale === 'ratio') {
    const factor = Math.max(predicted / measured, measured / predicted);
    const direction = predicted > measured ? 'too high' : 'too low';
    const grade = factor <= tolerance ? 'close' : factor <= tolerance ** 3 ? 'near' : 'far';
    const how =
      factor < 1.05
        ? 'within 5 %: spot on.'
        : `off by a factor ${formatNumber(factor)} (${direction})${grade === 'close' ? ': close.' : '.'}`;
    return { grade, text: `${said}, ${how}` };
  }
  const gap = Math.abs(predicted - measured);
  const grade = gap <= tolerance ? 'close' : gap <= 10 * tolerance ? 'near' : 'far';
  const direction = predicted > measured ? 'too high' : 'too low';
  const how =
    gap <= tolerance / 5
      ? 'spot on.'
      : `${formatNumber(gap)} ${direction}${grade === 'close' ? ': close.' : '.'}`;
  return { grade, text: `${said}, ${how}` };
}
