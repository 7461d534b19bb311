/**
 * The propagate runs whose "Copy as PyTorch" scripts are checked against torch 1.13: every
 * initializer of the catalogue, every built-in activation, the three losses, residual blocks of
 * one and two layers (with zero-init branch ends), bias rules, input distributions, uneven widths
 * and both CPU builds' normal_ kernels.
 */
import { ACTIVATIONS } from '../../../src/engine/activations';
import { INIT_CATALOGUE } from '../../../src/engine/init-catalogue';
import type { PropagateConfig } from '../../../src/engine/propagate';
import type { StackScript, StackStat } from '../../../src/pytorch/stack-script';

const MS = (of: StackStat['of']): StackStat => ({ label: `E[${of}²]`, of, stat: 'meanSquare' });
const FORWARD: StackStat[] = [
  MS('pre'),
  MS('post'),
  { label: 'std', of: 'pre', stat: 'std' },
  { label: 'spread', of: 'post', stat: 'unitSpread' },
  { label: 'mean', of: 'post', stat: 'mean' },
  { label: 'zero', of: 'post', stat: 'fractionZero' },
  { label: 'saturated', of: 'post', stat: 'fractionSaturated' },
];
const ALL: StackStat[] = [...FORWARD, MS('gradPre'), MS('gradPost')];

const base: PropagateConfig = {
  depth: 5,
  width: 48,
  batch: 24,
  activation: 'tanh',
  weightInit: { name: 'xavier_normal' },
  seed: 7,
  summaries: 'moments',
  stream: 'torch',
};

export const CASES: readonly (StackScript & { readonly name: string })[] = [
  {
    name: 'every-init',
    title: 'every initializer',
    settings: 'test',
    runs: INIT_CATALOGUE.map((e) => ({
      label: e.id,
      config: { ...base, activation: 'relu', weightInit: e.spec({ gain: 1.3, value: 0.01 }) },
    })),
    stats: FORWARD,
  },
  ...ACTIVATIONS.map((name) => ({
    name: `activation-${name}`,
    title: name,
    settings: 'test',
    runs: [
      {
        label: name,
        config: {
          ...base,
          activation: name,
          ...(name === 'leaky_relu' || name === 'elu' ? { activationParam: 0.2 } : {}),
          backward: true,
          loss: 'readout' as const,
          biasInit: { name: 'normal' as const, std: 0.1 },
        },
      },
    ],
    stats: ALL,
  })),
  ...(
    [
      [
        'sum-uniform-inputs',
        { loss: 'sum', input: { distribution: 'uniform', mean: 0.5, std: 2 } },
      ],
      ['mse-rademacher-inputs', { loss: 'mse', input: { distribution: 'rademacher', std: 1.5 } }],
      [
        'readout-torch-default-bias',
        {
          loss: 'readout',
          weightInit: { name: 'torch_default' },
          biasInit: { name: 'torch_default' },
        },
      ],
      ['residual-branch-1', { depth: 7, loss: 'readout', residual: { alpha: 0.7 } }],
      [
        'residual-branch-2-zero',
        { depth: 7, loss: 'readout', residual: { alpha: 1, branch: 2, zeroInitLast: true } },
      ],
      [
        'residual-branch-2-seeds',
        { depth: 6, loss: 'readout', residual: { alpha: 0.5, branch: 2 } },
      ],
    ] as const
  ).map(([name, over]) => ({
    name,
    title: name,
    settings: 'test',
    runs: [
      { label: `${name}, seed 7`, config: { ...base, backward: true, ...over } as PropagateConfig },
      {
        label: `${name}, seed 8, batch 16`,
        config: { ...base, backward: true, ...over, seed: 8, batch: 16 } as PropagateConfig,
      },
    ],
    stats: ALL,
  })),
  {
    name: 'uneven-widths-default-kernel',
    title: 'uneven widths',
    settings: 'test',
    runs: [
      {
        label: 'he, default kernel',
        config: {
          ...base,
          depth: 4,
          width: [40, 20, 12, 30],
          input: { width: 70 },
          weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
          activation: 'relu',
          normalKernel: 'default',
          biasInit: { name: 'normal', std: 0.2 },
        },
      },
      {
        label: 'jax he uniform',
        config: {
          ...base,
          activation: 'relu',
          normalKernel: 'default',
          biasInit: { name: 'normal', std: 0.2 },
          depth: 4,
          width: [40, 20, 12, 30],
          input: { width: 70 },
          weightInit: {
            name: 'variance_scaling',
            scale: 2,
            mode: 'fan_avg',
            distribution: 'uniform',
          },
        },
      },
    ],
    stats: FORWARD,
    layers: [1, 3, 4],
  },
];
