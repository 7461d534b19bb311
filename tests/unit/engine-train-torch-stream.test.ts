/**
 * Training on PyTorch's stream (TrainConfig.stream = 'torch'): the options are checked, the run's
 * sub-streams are torch generators seeded by torchForkSeed, the parameters are drawn in
 * nn.Linear's constructor order and then re-initialized, and each epoch is a torch.randperm.
 * tests/unit/figure-training-pytorch.test.ts compares whole runs with PyTorch itself.
 */
import { describe, expect, it } from 'vitest';
import {
  EngineInputError,
  initTensor,
  initialGradients,
  makeTask,
  train,
} from '../../src/engine/index';
import { createRng } from '../../src/engine/rng';
import { torchRandperm } from '../../src/engine/torch/torch-rng';
import type { TrainConfig } from '../../src/engine/train';

const base: TrainConfig = {
  task: { name: 'spirals', samples: 40 },
  depth: 2,
  width: 8,
  activation: 'tanh',
  weightInit: { name: 'xavier_normal' },
  optimizer: { name: 'sgd', lr: 0.05 },
  batch: 16,
  steps: 12,
  seed: 3,
};

function engineError(config: TrainConfig): EngineInputError {
  try {
    train(config);
  } catch (e) {
    if (e instanceof EngineInputError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('training on the torch stream', () => {
  it('rejects an unknown stream, an unknown kernel, a kernel without the torch stream and a fractional seed', () => {
    const bad = (c: Partial<TrainConfig>) => engineError({ ...base, ...c } as TrainConfig);
    expect(bad({ stream: 'numpy' as never }).param).toBe('stream');
    expect(bad({ stream: 'torch', normalKernel: 'neon' as never }).param).toBe('normalKernel');
    expect(bad({ normalKernel: 'avx2' }).message).toContain("unset unless stream is 'torch'");
    expect(bad({ stream: 'torch', seed: 1.5 }).param).toBe('seed');
  });

  it("the initbook stream stays the default: the same run with and without stream: 'initbook'", () => {
    const a = train(base);
    const b = train({ ...base, stream: 'initbook' });
    expect(b.records).toEqual(a.records);
    expect(train({ ...base, stream: 'torch' }).records[0]!.loss).not.toBe(a.records[0]!.loss);
  });

  it('draws data, weights and the first batch from the forked torch generators, in PyTorch order', () => {
    const config: TrainConfig = { ...base, stream: 'torch' };
    const g = initialGradients(config);
    const root = createRng(3, { stream: 'torch' });
    expect(g.dataset.x).toEqual(makeTask(config.task, root.fork(1)).x);
    // nn.Linear(2, 8): kaiming_uniform_(a=√5) weight, U(±1/√2) bias, then nn.Linear(8, 8), …;
    // then xavier_normal_ redraws each weight and zeros_ each bias.
    const w = root.fork(2);
    const shapes = [
      [8, 2],
      [8, 8],
      [2, 8],
    ];
    for (const [out, inp] of shapes) {
      initTensor([out!, inp!], { name: 'torch_default' }, w);
      initTensor([out!], { name: 'torch_default' }, w, { fanIn: inp! });
    }
    shapes.forEach(([out, inp], l) => {
      expect(g.params.W[l + 1]).toEqual(initTensor([out!, inp!], { name: 'xavier_normal' }, w));
      expect([...g.params.b[l + 1]!]).toEqual(new Array(out).fill(0));
    });
    const perm = torchRandperm(root.fork(3), 80);
    expect(g.indices).toEqual([...perm.subarray(0, 16)]);
  });
});
