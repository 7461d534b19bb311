/**
 * Training any network described as data, on the same core as propagation: the dense stack given as
 * a description trains exactly like the dense fields (same numbers), residual descriptions train,
 * and an output that does not fit the task is refused with a clear message.
 */
import { describe, expect, it } from 'vitest';
import { EngineInputError } from '../../src/engine/validate';
import { initialGradients, train, type TrainConfig } from '../../src/engine/train';

const base: TrainConfig = {
  task: { name: 'spirals', classes: 2, samples: 64 },
  depth: 3,
  width: 16,
  activation: 'tanh',
  weightInit: { name: 'xavier_normal' },
  optimizer: { name: 'adam', lr: 0.01 },
  batch: 32,
  steps: 40,
  every: 10,
  seed: 5,
};

describe('train on a description', () => {
  it('the dense stack given as layers gives the dense fields’ numbers when drawn in module order', () => {
    const layers = [
      {
        type: 'linear',
        out: 16,
        weightInit: { name: 'xavier_normal' },
        biasInit: { name: 'zeros' },
      },
      { type: 'activation', name: 'tanh' },
      {
        type: 'linear',
        out: 16,
        weightInit: { name: 'xavier_normal' },
        biasInit: { name: 'zeros' },
      },
      { type: 'activation', name: 'tanh' },
      {
        type: 'linear',
        out: 16,
        weightInit: { name: 'xavier_normal' },
        biasInit: { name: 'zeros' },
      },
      { type: 'activation', name: 'tanh' },
      {
        type: 'linear',
        out: 2,
        weightInit: { name: 'xavier_normal' },
        biasInit: { name: 'zeros' },
      },
    ] as const;
    const { depth: _d, width: _w, activation: _a, weightInit: _i, ...rest } = base;
    const described = train({ ...rest, layers });
    const dense = train(base);
    // Zero biases draw nothing, so module order and weights-then-biases order draw the same weights.
    expect(described.records).toEqual(dense.records);
    expect(described.weightPaths).toEqual(['0', '2', '4', '6']);
    expect(described.activationPaths).toEqual(['1', '3', '5']);
  });

  it('a residual network trains: the loss falls by half in 150 steps', () => {
    const { depth: _d, width: _w, activation: _a, weightInit: _i, ...rest } = base;
    const r = train({
      ...rest,
      steps: 150,
      every: 50,
      layers: [
        { type: 'linear', out: 32 },
        { type: 'activation', name: 'relu' },
        {
          type: 'residual',
          body: [
            { type: 'linear', out: 32 },
            { type: 'activation', name: 'relu' },
          ],
        },
        {
          type: 'residual',
          body: [
            { type: 'linear', out: 32 },
            { type: 'activation', name: 'relu' },
          ],
        },
        { type: 'linear', out: 2 },
      ],
    });
    expect(r.firstNonFinite).toBeNull();
    expect(r.records.at(-1)!.loss).toBeLessThan(0.5 * r.records[0]!.loss);
    expect(r.records[0]!.gradNorm).toHaveLength(4);
    expect(r.records[0]!.unitSpread).toHaveLength(3);
  });

  it('gradients of a description come back by layer path', () => {
    const { depth: _d, width: _w, activation: _a, weightInit: _i, ...rest } = base;
    const g = initialGradients({
      ...rest,
      layers: [
        { type: 'linear', out: 8 },
        { type: 'activation', name: 'gelu' },
        { type: 'linear', out: 2 },
      ],
    });
    expect([...g.gradients.keys()]).toEqual(['0', '1', '2']);
    expect(g.gradients.get('0')!.map((t) => t.length)).toEqual([16, 8]);
    expect(g.widths).toEqual([]);
  });

  it('refuses an output that does not fit the task, saying what would', () => {
    const { depth: _d, width: _w, activation: _a, weightInit: _i, ...rest } = base;
    const run = () => train({ ...rest, layers: [{ type: 'linear', out: 3 }] });
    expect(run).toThrow(EngineInputError);
    expect(run).toThrow(
      /layers must be an output whose last axis holds the task's 2 classes.*received 'a network whose output has shape \[3\]'/,
    );
  });
});
