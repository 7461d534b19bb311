/**
 * Numbers the chapters state about their training figures (figure="training-curves"), computed by
 * the figure itself with the parameters each chapter places, on the figure's default stream
 * (PyTorch's). The diagnose and beyond-rules-of-thumb figures are checked in prose-numbers-f and
 * prose-numbers-d.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { figureModel } from '../../src/figures/models';
import { sanitizeParams } from '../../src/figures/params';
import type { TrainingData } from '../../src/figures/training-curves/model';
import { runToEnd } from '../../src/figures/types';

const chapter = (slug: string): string =>
  readFileSync(new URL(`../../content/chapters/${slug}.mdx`, import.meta.url), 'utf8').replace(
    /\s+/g,
    ' ',
  );
const model = figureModel('training-curves');
const run = (given: Record<string, unknown>): TrainingData => {
  const { params, messages } = sanitizeParams(model.schema, given);
  expect(messages).toEqual([]);
  return runToEnd(model.compute(params as never)) as TrainingData;
};
const byInit = (d: TrainingData, init: string) => d.runs.find((r) => r.init === init)!;

describe('training figures in the chapters', () => {
  test("he-kaiming Figure 3: Xavier's first-layer gradient some 700 times smaller than He's; Xavier stays at ln 2, He falls", () => {
    const text = chapter('he-kaiming');
    expect(text).toContain(
      "<Figure figure=\"training-curves\" params={{ inits: ['xavier_normal', 'kaiming_normal'], depth: 20 }}",
    );
    expect(text).toContain("gradient is some 700 times smaller than He's; He's loss falls");
    const d = run({ inits: ['xavier_normal', 'kaiming_normal'], depth: 20 });
    const xavier = byInit(d, 'xavier_normal');
    const he = byInit(d, 'kaiming_normal');
    const ratio = he.points[0]!.gradNorm[0]! / xavier.points[0]!.gradNorm[0]!;
    expect(Math.round(ratio / 100) * 100).toBe(700);
    expect(xavier.final.loss.toFixed(3)).toBe('0.693');
    expect(he.final.loss).toBeLessThan(0.6);
  });

  test('what-fails Figure 2: the unscaled run starts in the tens of thousands and breaks within a few steps', () => {
    const text = chapter('what-fails');
    expect(text).toContain(
      "<Figure figure=\"training-curves\" params={{ inits: ['unscaled', 'kaiming_normal'], depth: 8 }}",
    );
    expect(text).toContain(
      'starts with a loss in the tens of thousands and becomes NaN within a few steps',
    );
    const unscaled = byInit(run({ inits: ['unscaled', 'kaiming_normal'], depth: 8 }), 'unscaled');
    expect(unscaled.points[0]!.loss).toBeGreaterThanOrEqual(1e4);
    expect(unscaled.points[0]!.loss).toBeLessThan(1e5);
    expect(unscaled.firstNonFinite).toBeLessThanOrEqual(3);
  });
});
