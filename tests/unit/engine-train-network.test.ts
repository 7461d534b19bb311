/**
 * Training any network described as data, on the same core as propagation: the dense stack given as
 * a description trains exactly like the dense fields (same numbers), residual descriptions train,
 * and an output that does not fit the task is refused with a clear message.
 */
import { describe, expect, it } from 'vitest';
import { EngineInputError } from '../../src/engine/validate';
import { initialGradients, train, type TrainConfig } from '../../src/engine/train';
import { lstm } from '../../src/engine/presets/recurrent';
import { transformer } from '../../src/engine/presets/transformer';

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

describe('train a recurrent network on the delay task', () => {
  const task = { name: 'delay', steps: 8, delay: 1, features: 2, samples: 128 } as const;
  const layers = (init: 'torch' | 'orthogonal', forgetBias?: number) =>
    lstm({
      steps: 8,
      features: 2,
      hidden: 24,
      readout: 2,
      recurrentInit: init,
      ...(forgetBias === undefined ? {} : { forgetBias }),
    }).layers;

  it('an LSTM learns to recall the input one step back (masked MSE falls below a third of its start)', () => {
    const r = train({
      task,
      layers: layers('torch', 1),
      optimizer: { name: 'adam', lr: 0.01 },
      batch: 32,
      steps: 200,
      every: 50,
      seed: 3,
    });
    expect(r.firstNonFinite).toBeNull();
    expect(r.records.at(-1)!.loss).toBeLessThan(r.records[0]!.loss / 3);
    expect(r.dataset.shape).toEqual([8, 2]);
  });

  it('the masked steps do not count: the loss at init is about ½·E‖x‖² over the kept steps', () => {
    // Outputs near 0 at init: loss ≈ ½·features·(kept steps) = ½·2·7 = 7 per sample (within 25 %).
    const r = train({
      task,
      layers: layers('torch'),
      optimizer: { name: 'sgd', lr: 1e-9 },
      batch: 128,
      steps: 1,
      seed: 3,
    });
    expect(r.records[0]!.loss).toBeGreaterThan(7 * 0.75);
    expect(r.records[0]!.loss).toBeLessThan(7 * 1.25);
  });

  it('refuses the dense stack for a sequence task, saying what to give', () => {
    expect(() => train({ ...base, task })).toThrow(
      /layers must be a network description for the 'delay' task/,
    );
  });
});

describe('train a transformer on the next-token task', () => {
  const task = { name: 'next_token', vocab: 12, seq: 8, samples: 256, branching: 2 } as const;

  it('a one-block pre-norm GPT-2-initialized transformer gets most of the way from ln 12 to ln 2', () => {
    const net = transformer({
      layers: 1,
      dModel: 32,
      heads: 2,
      seq: 8,
      vocab: 12,
      norm: 'pre',
      init: 'gpt2',
    });
    const r = train({
      task,
      layers: net.layers,
      optimizer: { name: 'adam', lr: 0.01 },
      batch: 32,
      steps: 150,
      every: 50,
      seed: 2,
    });
    expect(r.firstNonFinite).toBeNull();
    // At init the logits are tiny (readout N(0, 0.02²)): the loss is ln 12 ≈ 2.485 within 2 %.
    expect(Math.abs(r.records[0]!.loss / Math.log(12) - 1)).toBeLessThan(0.02);
    // After 150 steps within 0.35 nats of the chain's entropy rate ln 2 ≈ 0.693.
    expect(r.final.loss).toBeLessThan(Math.log(2) + 0.35);
    expect(r.dataset.tokens).toBe(12);
    expect(r.weightPaths.length).toBeGreaterThan(4);
  });

  it('refuses the dense stack for it, naming the preset to use', () => {
    expect(() => train({ ...base, task })).toThrow(/the transformer preset's layers/);
  });
});
