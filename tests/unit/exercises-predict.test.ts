import { describe, expect, it } from 'vitest';
import { judgePrediction, parsePrediction } from '../../src/exercises/closeness';
import {
  PREDICTIONS,
  figureLink,
  getPrediction,
  predictionParams,
} from '../../src/exercises/predictions';
import { readResult } from '../../src/exercises/reading';
import { figureModel } from '../../src/figures/models';
import { runToEnd } from '../../src/figures/types';
import type { VarianceData } from '../../src/figures/variance-by-depth/model';

describe('parsePrediction', () => {
  it('reads decimals, exponents, powers, grouped digits and the typographic minus', () => {
    const read = (text: string) => parsePrediction(text, 'difference');
    expect(read('0.25')).toEqual({ ok: true, value: 0.25 });
    expect(read(' 1.6e-9 ')).toEqual({ ok: true, value: 1.6e-9 });
    expect(read('2^-29')).toEqual({ ok: true, value: 2 ** -29 });
    expect(read('10^(−9)')).toEqual({ ok: true, value: 1e-9 });
    expect(read('1,000')).toEqual({ ok: true, value: 1000 });
    expect(read('−3')).toEqual({ ok: true, value: -3 });
  });

  it('says what is wrong with text that is not one number, never NaN', () => {
    for (const text of ['', '   ', 'abc', '1e400', 'NaN', 'Infinity', '1/0', '2^2000', '1..2']) {
      const parsed = parsePrediction(text, 'difference');
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(10);
    }
    const long = parsePrediction('1'.repeat(500), 'ratio');
    expect(long).toEqual({ ok: false, message: 'That is 500 characters; type one number.' });
    const negative = parsePrediction('-1', 'ratio');
    expect(negative.ok).toBe(false);
    if (!negative.ok) expect(negative.message).toContain('above 0');
  });
});

describe('judgePrediction', () => {
  it('judges a ratio by the factor between prediction and measurement', () => {
    expect(judgePrediction(1e-9, 1.6e-9, 'ratio')).toEqual({
      grade: 'close',
      text: 'You predicted 1e-9; the network gave 1.6e-9, off by a factor 1.6 (too low): close.',
    });
    expect(judgePrediction(1, 1.02, 'ratio').text).toContain('within 5 %: spot on.');
    expect(judgePrediction(1e-6, 1.6e-9, 'ratio')).toMatchObject({ grade: 'far' });
    expect(judgePrediction(1e-8, 1.6e-9, 'ratio').grade).toBe('near'); // 6.25 ≤ 2³
  });

  it('judges a difference by the gap, and a run that left the finite numbers as far', () => {
    expect(judgePrediction(0.5, 0.52, 'difference', 0.05)).toMatchObject({ grade: 'close' });
    expect(judgePrediction(0.9, 0.5, 'difference', 0.05).text).toContain('0.4 too high.');
    expect(judgePrediction(1, Infinity, 'ratio').grade).toBe('far');
  });
});

describe('the prompts', () => {
  it('each reads a number from its experiment, near the mean-field prediction', () => {
    for (const prediction of PREDICTIONS) {
      const model = figureModel(prediction.reading.figure);
      const data = runToEnd(model.compute(predictionParams(prediction) as never)) as VarianceData;
      const measured = readResult(prediction.reading, data);
      const layer =
        prediction.reading.layer === 'last'
          ? Math.max(...data.points.map((p) => p.layer))
          : prediction.reading.layer;
      const theory = data.points.find(
        (p) => p.init === prediction.reading.init && p.layer === layer,
      )!.theory;
      // Width 256, batch 64, seeded: within 40 % of the theory even 50 layers deep.
      expect(Math.abs(Math.log(measured / theory)), prediction.id).toBeLessThan(Math.log(1.4));
    }
  });

  it('Xavier with ReLU halves the second moment per layer: layer 20 near 2⁻¹⁹', () => {
    const prediction = getPrediction('relu-xavier-20');
    const model = figureModel('variance-by-depth');
    const data = runToEnd(model.compute(predictionParams(prediction) as never));
    const measured = readResult(prediction.reading, data);
    expect(measured / 2 ** -19).toBeGreaterThan(0.5);
    expect(measured / 2 ** -19).toBeLessThan(2);
  });

  it('links to the figure with the prompt’s settings, and names unknown ids', () => {
    expect(figureLink(getPrediction('relu-xavier-20'))).toBe(
      '?vbd.inits=xavier_normal&vbd.depth=20#figure-variance-by-depth',
    );
    expect(() => getPrediction('nope')).toThrow(/Unknown prediction "nope"; known: relu-xavier-20/);
  });

  it('a reading of a layer the result lacks throws', () => {
    expect(() =>
      readResult({ figure: 'variance-by-depth', init: 'xavier_normal', layer: 7 }, { points: [] }),
    ).toThrow('No layer 7 for xavier_normal');
  });
});
