/**
 * The activation lab's sentences, shared by the notes beside the chart and the text summary: a
 * number where it exists, the reason where it does not.
 *
 * @module
 */
import { formatNumber, isRoundingNoise } from '../types';
import type { LabData } from './model';

/** E[φ(z)] and E[φ(z)²], and why either is missing. */
export function momentsText(d: LabData): string {
  const shown = [
    // E[φ] of an odd φ is zero up to rounding (1e-18 beside E[φ²] ≈ 0.4): it prints as 0.
    ...(d.mean === null
      ? []
      : [
          `E[φ(z)] = ${isRoundingNoise(d.mean, Math.sqrt(d.meanSquare ?? Number.NaN)) ? '0' : d.mean.toPrecision(5)}`,
        ]),
    ...(d.meanSquare === null ? [] : [`E[φ(z)²] = ${d.meanSquare.toPrecision(5)}`]),
  ].join(', ');
  const problem = d.problems.moments;
  return problem ? (shown ? `${shown}; ${problem}` : problem) : shown;
}

/** The gain sentence: ours, and PyTorch's beside it when it has one. */
export function gainText(d: LabData): string {
  if (d.gain === null) return d.problems.gain ?? 'none';
  const ours = d.gain.toPrecision(5);
  if (d.torch) {
    return `${ours} (PyTorch’s calculate_gain('${d.torch.name}') = ${d.torch.text} ≈ ${d.torch.gain.toPrecision(5)})`;
  }
  return d.matches
    ? `${ours} (PyTorch’s calculate_gain has no entry for ${d.matches})`
    : `${ours} (no PyTorch gain for a custom formula)`;
}

/** q* and χ₁, or why not. */
export function fixedPointText(d: LabData): string {
  if (d.qStar === null) return d.problems.fixedPoint ?? '';
  const q = `q* = ${formatNumber(d.qStar)}`;
  return d.chi1 === null
    ? `${q}; ${d.problems.fixedPoint ?? ''}`
    : `${q}, χ₁ = ${formatNumber(d.chi1)}`;
}

/** The critical σ_w² to 4 digits, "none below 1e8", or why it is not computed. */
export function criticalText(d: LabData): string {
  if (d.critical !== null) return d.critical.toPrecision(4);
  return d.problems.critical ?? 'none below 1e8';
}
