/**
 * μP for MLPs as data (Table 3 of Tensor Programs V): the initializations and per-layer learning
 * rates `mupLayers` gives, their drawn variances, and μP = SP at the base width.
 */
import { describe, expect, it } from 'vitest';
import { mupLayers } from '../../src/engine/presets/mup';
import { initialGradients, train } from '../../src/engine/train';
import { EngineInputError } from '../../src/engine/validate';

const opts = { depth: 3, width: 256, inputs: 8, outputs: 2, activation: 'tanh' } as const;
const std = (l: unknown): number => (l as { weightInit: { std: number } }).weightInit.std;

describe('mupLayers', () => {
  it('μP init: input and hidden N(0, 1/fan_in), output N(0, b/n²), zero biases; kinds by path', () => {
    const { layers, kinds } = mupLayers({ ...opts, optimizer: 'adam', baseWidth: 16 });
    expect(layers.map((l) => l.type)).toEqual([
      'linear', 'activation', 'linear', 'activation', 'linear', 'activation', 'linear',
    ]); // prettier-ignore
    expect(std(layers[0])).toBeCloseTo(1 / Math.sqrt(8), 12);
    expect(std(layers[2])).toBeCloseTo(1 / 16, 12);
    expect(std(layers[6])).toBeCloseTo(Math.sqrt(16) / 256, 12);
    expect((layers[6] as { biasInit: unknown }).biasInit).toEqual({ name: 'zeros' });
    expect(kinds).toEqual({
      0: 'input', 1: 'input', 2: 'hidden', 3: 'hidden', 4: 'hidden', 5: 'hidden', 6: 'output',
    }); // prettier-ignore
    const zero = mupLayers({ ...opts, optimizer: 'adam', readout: 'zero' });
    expect((zero.layers[6] as { weightInit: unknown }).weightInit).toEqual({ name: 'zeros' });
  });

  it('Table 3’s learning rates with m = n/b: SGD input ×m, hidden biases ×m, output ×1/m; Adam hidden and output ×1/m', () => {
    const m = 256 / 16;
    expect(mupLayers({ ...opts, optimizer: 'sgd', baseWidth: 16 }).lrMultipliers).toEqual({
      '0': m,
      '2.bias': m,
      '4.bias': m,
      '6.weight': 1 / m,
    });
    expect(mupLayers({ ...opts, optimizer: 'adam', baseWidth: 16 }).lrMultipliers).toEqual({
      '2.weight': 1 / m,
      '4.weight': 1 / m,
      '6.weight': 1 / m,
    });
    const sp = mupLayers({ ...opts, optimizer: 'adam', parametrization: 'sp' });
    expect(sp.lrMultipliers).toEqual({});
    expect(std(sp.layers[6])).toBeCloseTo(1 / 16, 12);
  });

  it('the drawn output weights have variance b/n² (±4/√count relative)', () => {
    for (const width of [64, 512]) {
      const net = mupLayers({ ...opts, width, optimizer: 'sgd', baseWidth: 32 });
      const g = initialGradients({
        task: { name: 'spirals', samples: 8 },
        layers: net.layers,
        optimizer: { name: 'sgd', lr: 0.1 },
        batch: 8,
        steps: 1,
        seed: 9,
      });
      const w = g.parameters.get('6')![0]!;
      let s = 0;
      for (const v of w) s += v * v;
      const want = 32 / width ** 2;
      expect(Math.abs(s / w.length / want - 1)).toBeLessThan(4 * Math.sqrt(2 / w.length));
    }
  });

  it('at the base width μP trains exactly as SP', () => {
    for (const optimizer of ['sgd', 'adam'] as const) {
      const run = (parametrization: 'sp' | 'mup') => {
        const net = mupLayers({ ...opts, width: 32, optimizer, parametrization, baseWidth: 32 });
        return train({
          task: { name: 'spirals', samples: 32 },
          layers: net.layers,
          lrMultipliers: net.lrMultipliers,
          optimizer: optimizer === 'sgd' ? { name: 'sgd', lr: 0.05 } : { name: 'adam', lr: 0.01 },
          batch: 16,
          steps: 20,
          every: 5,
          seed: 2,
        });
      };
      expect(run('mup').records).toEqual(run('sp').records);
    }
  });

  it('names bad options', () => {
    expect(() => mupLayers({ ...opts, optimizer: 'rmsprop' as 'sgd' })).toThrow(EngineInputError);
    expect(() => mupLayers({ ...opts, optimizer: 'sgd', baseWidth: 0 })).toThrow(/baseWidth/);
    expect(() => mupLayers({ ...opts, activation: 'nope', optimizer: 'sgd' })).toThrow(
      /activation/,
    );
  });
});
