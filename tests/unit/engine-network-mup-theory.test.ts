/**
 * The predicted width exponents of the first step's coordinate change (theory/mup.ts) against the
 * coordinate check (train/coordinate-check.ts): on a 3-hidden-layer MLP trained on the teacher task
 * (32 samples, full batch, seed 1), widths 64 … 1024, the least-squares slope of log Δ (RMS and mean
 * |·| of y₁ − y₀ on the batch) against log width, for every layer, must be within ±0.25 of the
 * prediction: SP + SGD (−½, ½, 1), SP + Adam (0, 1, 3/2), μP + SGD and + Adam (0, 0, 0). The
 * learning rates are small (first-order regime), the seeds fixed.
 */
import { describe, expect, it } from 'vitest';
import { logLogSlope, mupCoordinateExponents } from '../../src/engine/theory/mup';
import { coordinateCheck } from '../../src/engine/train/coordinate-check';

const widths = [64, 128, 256, 512, 1024];
const TOL = 0.25;
const optimizers = {
  sgd: { name: 'sgd', lr: 0.01, momentum: 0 },
  adam: { name: 'adam', lr: 1e-4 },
} as const;

describe('μP theory against the coordinate check', () => {
  for (const parametrization of ['sp', 'mup'] as const) {
    for (const opt of ['sgd', 'adam'] as const) {
      it(`${parametrization} + ${opt}: slopes of the step-1 change within ±${TOL} of the prediction`, () => {
        const predicted = mupCoordinateExponents({ parametrization, optimizer: opt });
        const r = coordinateCheck({
          network: { mlp: { depth: 3, activation: 'tanh' }, parametrization },
          widths,
          task: { name: 'teacher', samples: 32 },
          optimizer: optimizers[opt],
          steps: 1,
          seed: 1,
        });
        expect(r.layers.map((l) => l.kind)).toEqual([
          'input', 'input', 'hidden', 'hidden', 'hidden', 'hidden', 'output',
        ]); // prettier-ignore
        for (const l of r.layers) {
          const want = predicted[l.kind!].change!;
          for (const measure of [l.deltaRms, l.deltaL1]) {
            const slope = logLogSlope(
              widths,
              measure.map((w) => w[1]!),
            );
            expect(
              Math.abs(slope - want),
              `layer ${l.path} (${l.kind}): slope ${slope}`,
            ).toBeLessThan(TOL);
          }
        }
      });
    }
  }

  it('μP with a zero readout: step 1 leaves input and hidden layers exactly unchanged, moves the output by Θ(1)', () => {
    const predicted = mupCoordinateExponents({
      parametrization: 'mup',
      optimizer: 'adam',
      readout: 'zero',
    });
    expect(predicted.hidden.change).toBeNull();
    const r = coordinateCheck({
      network: { mlp: { depth: 2, activation: 'tanh', readout: 'zero' }, parametrization: 'mup' },
      widths: [64, 256, 1024],
      task: { name: 'teacher', samples: 32 },
      optimizer: optimizers.adam,
      steps: 2,
      seed: 3,
    });
    for (const l of r.layers.slice(0, -1)) for (const w of l.deltaRms) expect(w[1]).toBe(0);
    const out = r.layers.at(-1)!;
    expect(out.l1.map((w) => w[0])).toEqual([0, 0, 0]);
    expect(
      Math.abs(
        logLogSlope(
          [64, 256, 1024],
          out.deltaRms.map((w) => w[1]!),
        ),
      ),
    ).toBeLessThan(TOL);
    // From step 2 the hidden layers move, by a width-independent amount.
    const hidden = r.layers[2]!;
    expect(
      Math.abs(
        logLogSlope(
          [64, 256, 1024],
          hidden.deltaRms.map((w) => w[2]!),
        ),
      ),
    ).toBeLessThan(TOL);
  });

  it('after 3 Adam steps μP’s sizes stay flat in width while SP’s hidden layers grow', () => {
    const run = (parametrization: 'sp' | 'mup') =>
      coordinateCheck({
        network: { mlp: { depth: 2, activation: 'relu' }, parametrization },
        widths: [64, 256, 1024],
        task: { name: 'spirals', samples: 16 },
        optimizer: { name: 'adam', lr: 0.01 },
        steps: 3,
        seed: 5,
      });
    const mup = run('mup');
    const sp = run('sp');
    for (const l of mup.layers) {
      expect(
        Math.abs(
          logLogSlope(
            [64, 256, 1024],
            l.deltaRms.map((w) => w[3]!),
          ),
        ),
      ).toBeLessThan(TOL);
    }
    expect(
      logLogSlope(
        [64, 256, 1024],
        sp.layers[2]!.deltaRms.map((w) => w[3]!),
      ),
    ).toBeGreaterThan(0.6);
    expect(
      logLogSlope(
        [64, 256, 1024],
        sp.layers[2]!.rms.map((w) => w[3]!),
      ),
    ).toBeGreaterThan(0.4);
  });

  it('the exponent table', () => {
    const c = (p: 'sp' | 'mup', o: 'sgd' | 'adam') => {
      const e = mupCoordinateExponents({ parametrization: p, optimizer: o });
      return [e.input.change, e.hidden.change, e.output.change];
    };
    expect(c('sp', 'sgd')).toEqual([-0.5, 0.5, 1]);
    expect(c('sp', 'adam')).toEqual([0, 1, 1.5]);
    expect(c('mup', 'sgd')).toEqual([0, 0, 0]);
    expect(c('mup', 'adam')).toEqual([0, 0, 0]);
    expect(mupCoordinateExponents({ parametrization: 'mup', optimizer: 'sgd' }).output).toEqual({
      init: -0.5,
      change: 0,
      after: 0,
    });
    expect(() =>
      mupCoordinateExponents({ parametrization: 'ntk' as 'sp', optimizer: 'sgd' }),
    ).toThrow(/parametrization/);
  });
});
