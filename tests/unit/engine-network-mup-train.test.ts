/**
 * The training core's additions for μP: per-parameter learning-rate multipliers (optimizer and
 * `train`'s `lrMultipliers`), exact when unused, and the step observer the coordinate check reads.
 */
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../src/engine/optim';
import { train, type TrainConfig } from '../../src/engine/train';
import { trainObserved } from '../../src/engine/train/loop';
import { EngineInputError } from '../../src/engine/validate';

const base: TrainConfig = {
  task: { name: 'spirals', classes: 2, samples: 64 },
  depth: 2,
  width: 16,
  activation: 'tanh',
  weightInit: { name: 'xavier_normal' },
  optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 },
  batch: 32,
  steps: 30,
  every: 5,
  seed: 4,
};

describe('optimizer learning-rate multipliers', () => {
  it('scale each array’s step: SGD moves lr·m·g, Adam’s first step lr·m', () => {
    const sgd = createOptimizer({ name: 'sgd', lr: 0.5, momentum: 0 }, [2, 2], [1, 0.25]);
    const a = new Float32Array([1, 1]);
    const b = new Float32Array([1, 1]);
    sgd.update(0, a, new Float32Array([1, -1]), 1);
    sgd.update(1, b, new Float32Array([1, -1]), 1);
    expect(Array.from(a)).toEqual([0.5, 1.5]);
    expect(Array.from(b)).toEqual([0.875, 1.125]);
    const adam = createOptimizer({ name: 'adam', lr: 0.1 }, [1, 1], [1, 3]);
    const p = new Float32Array([0]);
    const q = new Float32Array([0]);
    adam.update(0, p, new Float32Array([2]), 1);
    adam.update(1, q, new Float32Array([2]), 1);
    expect(q[0]! / p[0]!).toBeCloseTo(3, 5);
  });

  it('refuses a scale list of the wrong length or a negative factor', () => {
    expect(() => createOptimizer({ name: 'sgd', lr: 1 }, [2, 2], [1])).toThrow(/lrScale/);
    expect(() => createOptimizer({ name: 'sgd', lr: 1 }, [2], [-1])).toThrow(/lrScale\[0\]/);
  });
});

describe('train with lrMultipliers', () => {
  it('factors of 1 give the numbers of no factors, bit for bit (SGD and Adam)', () => {
    for (const optimizer of [base.optimizer, { name: 'adam', lr: 0.01 } as const]) {
      const plain = train({ ...base, optimizer });
      const ones = train({ ...base, optimizer, lrMultipliers: { '0': 1, '2.weight': 1, '4': 1 } });
      expect(ones.records).toEqual(plain.records);
      expect(ones.final).toEqual(plain.final);
    }
  });

  it('a factor of 2 on every layer is SGD at twice the rate (exactly: powers of two)', () => {
    const doubled = train({ ...base, lrMultipliers: { '0': 2, '2': 2, '4': 2 } });
    const fast = train({ ...base, optimizer: { name: 'sgd', lr: 0.02, momentum: 0.9 } });
    expect(doubled.records).toEqual(fast.records);
  });

  it('a factor of 0 freezes that tensor alone; a tensor key wins over its layer’s', () => {
    const r = train({ ...base, lrMultipliers: { '2': 0, '4': 0, '4.bias': 1 } });
    for (const rec of r.records) {
      expect(rec.updateRatio[1]).toBe(0);
      expect(rec.updateRatio[2]).toBe(0);
      expect(rec.updateRatio[0]).toBeGreaterThan(0);
    }
    const moved = train({ ...base, lrMultipliers: { '2': 0, '4': 0 } });
    // The output bias learning (4.bias: 1) changes the losses.
    expect(moved.records.map((x) => x.loss)).not.toEqual(r.records.map((x) => x.loss));
  });

  it('names an unknown layer or tensor key and a bad factor', () => {
    expect(() => train({ ...base, lrMultipliers: { '1': 2 } })).toThrow(EngineInputError);
    expect(() => train({ ...base, lrMultipliers: { '1': 2 } })).toThrow(
      /lrMultipliers\.1 must be the path of a layer with parameters \("0", "2", "4"\)/,
    );
    expect(() => train({ ...base, lrMultipliers: { '0.gamma': 2 } })).toThrow(
      /lrMultipliers\.0\.gamma/,
    );
    expect(() => train({ ...base, lrMultipliers: { '0': -1 } })).toThrow(
      /lrMultipliers\.0 must be a finite number ≥ 0/,
    );
  });
});

describe('the step observer', () => {
  it('sees step 0 then every step, and changes nothing in the run', () => {
    const seen: number[] = [];
    const observed = trainObserved(base, (step, forward, data) => {
      seen.push(step);
      let layers = 0;
      forward(data.x.subarray(0, 2 * 4), 4, (_node, y) => {
        layers += 1;
        expect(y.length).toBeGreaterThan(0);
      });
      expect(layers).toBe(5);
    });
    expect(seen).toEqual(Array.from({ length: 31 }, (_, i) => i));
    expect(observed.records).toEqual(train(base).records);
  });
});
