/**
 * coordinateCheck as one call: its shape, that it measures the very network `train` trains (step 0
 * against the drawn parameters, frozen layers against zero change), any description (a residual
 * network from a function of the width), seed averaging, a run that breaks, and its errors.
 */
import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '../../src/engine/network/types';
import { mupLayers } from '../../src/engine/presets/mup';
import { initialGradients } from '../../src/engine/train';
import { coordinateCheck } from '../../src/engine/train/coordinate-check';
import { EngineInputError } from '../../src/engine/validate';

const task = { name: 'teacher', inputs: 4, samples: 24 } as const;
const sgd = { name: 'sgd', lr: 0.05, momentum: 0.9 } as const;

describe('coordinateCheck', () => {
  it('returns sizes by layer path, [width][step] with step 0 at init, and no change at step 0', () => {
    const r = coordinateCheck({
      network: { mlp: { depth: 2, activation: 'relu' }, parametrization: 'mup' },
      widths: [16, 32, 64],
      task,
      optimizer: sgd,
      steps: 4,
      seed: 2,
    });
    expect(r.widths).toEqual([16, 32, 64]);
    expect(r.steps).toEqual([0, 1, 2, 3, 4]);
    expect(r.probe).toBe(24);
    expect(r.firstNonFinite).toEqual([null, null, null]);
    expect(r.layers.map((l) => [l.path, l.type, l.kind])).toEqual([
      ['0', 'linear', 'input'],
      ['1', 'activation', 'input'],
      ['2', 'linear', 'hidden'],
      ['3', 'activation', 'hidden'],
      ['4', 'linear', 'output'],
    ]);
    for (const l of r.layers) {
      for (const m of [l.l1, l.rms, l.deltaL1, l.deltaRms]) {
        expect(m).toHaveLength(3);
        for (const w of m) expect(w).toHaveLength(5);
      }
      for (let w = 0; w < 3; w++) {
        expect(l.deltaRms[w]![0]).toBe(0);
        expect(l.deltaRms[w]![1]).toBeGreaterThan(0);
        // mean |y| ≤ RMS (Jensen)
        for (let t = 0; t <= 4; t++)
          expect(l.l1[w]![t]!).toBeLessThanOrEqual(l.rms[w]![t]! * (1 + 1e-12));
      }
    }
  });

  it('step 0 measures the parameters train draws: mean |x·Wᵀ + b| of the first layer by hand', () => {
    const layers: LayerSpec[] = [
      { type: 'linear', out: 8 },
      { type: 'activation', name: 'tanh' },
      { type: 'linear', out: 1 },
    ];
    const r = coordinateCheck({
      network: () => layers,
      widths: [8],
      task,
      optimizer: sgd,
      steps: 1,
      probe: 10,
      seed: 7,
    });
    const g = initialGradients({ task, layers, optimizer: sgd, batch: 24, steps: 1, seed: 7 });
    const [w, b] = g.parameters.get('0')!;
    let s = 0;
    for (let n = 0; n < 10; n++) {
      for (let o = 0; o < 8; o++) {
        let y = b![o]!;
        for (let i = 0; i < 4; i++) y += g.dataset.x[n * 4 + i]! * w![o * 4 + i]!;
        s += Math.abs(Math.fround(y));
      }
    }
    expect(r.probe).toBe(10);
    expect(r.layers[0]!.l1[0]![0]).toBeCloseTo(s / 80, 5);
  });

  it('a function of the width with lrMultipliers gives the numbers of the named MLP', () => {
    const named = coordinateCheck({
      network: { mlp: { depth: 2, activation: 'tanh' }, parametrization: 'mup' },
      widths: [16, 48],
      task,
      optimizer: { name: 'adam', lr: 0.01 },
      steps: 2,
      seed: 1,
    });
    const fn = coordinateCheck({
      network: (width) => {
        const n = mupLayers({
          depth: 2,
          width,
          inputs: 4,
          outputs: 1,
          activation: 'tanh',
          optimizer: 'adam',
          baseWidth: 16,
        });
        return { layers: n.layers, lrMultipliers: n.lrMultipliers };
      },
      widths: [16, 48],
      task,
      optimizer: { name: 'adam', lr: 0.01 },
      steps: 2,
      seed: 1,
    });
    expect(fn.layers.map(({ kind: _k, ...rest }) => rest)).toEqual(
      named.layers.map(({ kind: _k, ...rest }) => rest),
    );
  });

  it('checks any description: a residual network, its body by path; a frozen network does not move', () => {
    const net = (width: number): LayerSpec[] => [
      { type: 'linear', out: width },
      {
        type: 'residual',
        body: [
          { type: 'activation', name: 'relu' },
          { type: 'linear', out: width },
        ],
      },
      { type: 'linear', out: 1 },
    ];
    const r = coordinateCheck({
      network: net,
      widths: [8, 16],
      task,
      optimizer: sgd,
      steps: 2,
      seed: 3,
    });
    expect(r.layers.map((l) => `${l.path}:${l.type}`)).toEqual([
      '0:linear',
      '1.body.0:activation',
      '1.body.1:linear',
      '1:residual',
      '2:linear',
    ]);
    const frozen = coordinateCheck({
      network: (w) => ({ layers: net(w), lrMultipliers: { '0': 0, '1.body.1': 0, '2': 0 } }),
      widths: [8, 16],
      task,
      optimizer: sgd,
      steps: 2,
      seed: 3,
    });
    for (const l of frozen.layers) for (const w of l.deltaL1) expect(w).toEqual([0, 0, 0]);
  });

  it('averages over seeds: seeds 2 is the mean of the runs at seed and seed + 1', () => {
    const o = {
      network: { mlp: { depth: 1, activation: 'tanh' }, parametrization: 'sp' },
      widths: [16],
      task,
      optimizer: sgd,
      steps: 1,
    } as const;
    const a = coordinateCheck({ ...o, seed: 4 });
    const b = coordinateCheck({ ...o, seed: 5 });
    const both = coordinateCheck({ ...o, seed: 4, seeds: 2 });
    expect(both.layers[2]!.rms[0]![1]).toBeCloseTo(
      (a.layers[2]!.rms[0]![1]! + b.layers[2]!.rms[0]![1]!) / 2,
      12,
    );
  });

  it('a run that breaks reports its step; later steps are NaN', () => {
    const r = coordinateCheck({
      network: { mlp: { depth: 2, activation: 'relu' }, parametrization: 'sp' },
      widths: [16, 32],
      task,
      optimizer: { name: 'sgd', lr: 1e30, momentum: 0 },
      steps: 4,
      seed: 1,
    });
    const t = r.firstNonFinite[1]!;
    expect(t).toBeGreaterThanOrEqual(1);
    expect(r.layers[0]!.rms[1]![t]).toBeNaN();
    expect(Number.isFinite(r.layers[0]!.rms[1]![0])).toBe(true);
  });

  it('names bad options', () => {
    const o = {
      network: { mlp: { depth: 1, activation: 'tanh' }, parametrization: 'mup' },
      task,
      optimizer: sgd,
      steps: 1,
      seed: 1,
    } as const;
    expect(() => coordinateCheck({ ...o, widths: [32, 16] })).toThrow(
      /widths\[1\] must be a width above widths\[0\] = 32/,
    );
    expect(() => coordinateCheck({ ...o, widths: [16], steps: 0 })).toThrow(EngineInputError);
    expect(() =>
      coordinateCheck({
        ...o,
        widths: [16],
        network: { mlp: { depth: 1, activation: 'tanh' }, parametrization: 'ntk' as 'sp' },
      }),
    ).toThrow(/network\.parametrization/);
    expect(() =>
      coordinateCheck({
        ...o,
        widths: [8, 16],
        network: (w) =>
          w === 8
            ? [{ type: 'linear', out: 1 }]
            : [
                { type: 'linear', out: w },
                { type: 'linear', out: 1 },
              ],
      }),
    ).toThrow(/same layer paths at every width/);
  });
});
