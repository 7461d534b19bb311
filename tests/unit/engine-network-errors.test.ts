/**
 * Bad descriptions get an error that names the layer's path, the field, the value and what is
 * allowed (issue 18 §1): unknown types, shapes that do not chain, a sequence for a conv, an image
 * for an RNN, and a memory budget overrun, checked before anything is allocated.
 */
import { describe, expect, it } from 'vitest';
import { EngineInputError, propagateNetwork, type NetworkConfig } from '../../src/engine';

const run = (c: Partial<NetworkConfig> & Pick<NetworkConfig, 'layers'>) => () =>
  propagateNetwork({ input: { shape: [8, 16], batch: 2 }, seed: 0, ...c } as NetworkConfig);

describe('network description errors', () => {
  it('an unknown type, deep inside a residual body', () => {
    const f = run({
      layers: [
        { type: 'residual', body: [{ type: 'linear', out: 16 }, { type: 'convolution' } as never] },
      ],
    });
    expect(f).toThrow(EngineInputError);
    expect(f).toThrow(
      /^layers\.0\.body\.1\.type must be one of 'linear', .*'conv2d'.*; received 'convolution'$/,
    );
  });

  it('a sequence for a conv', () => {
    expect(run({ layers: [{ type: 'conv2d', out: 4, kernel: 3 }] })).toThrow(
      /^layers\.0 must be a \[channels, height, width\] shape for conv2d; received 'input of shape \[8, 16\]'$/,
    );
  });

  it('an image for an RNN', () => {
    expect(
      run({
        input: { shape: [3, 8, 8], batch: 2 },
        layers: [{ type: 'recurrent', cell: 'lstm', hidden: 4 }],
      }),
    ).toThrow(
      /^layers\.0 must be a sequence of shape \[steps, features\] for recurrent; received 'input of shape \[3, 8, 8\]'$/,
    );
  });

  it('shapes that do not chain: a conv after flatten, a residual whose body changes the width', () => {
    expect(
      run({
        input: { shape: [3, 8, 8], batch: 2 },
        layers: [{ type: 'flatten' }, { type: 'conv2d', out: 4, kernel: 3 }],
      }),
    ).toThrow(/^layers\.1 must be .* for conv2d; received 'input of shape \[192\]'$/);
    expect(run({ layers: [{ type: 'residual', body: [{ type: 'linear', out: 5 }] }] })).toThrow(
      /^layers\.0\.body must be a body that gives back its input's shape \[8, 16\]; received 'a body ending in shape \[8, 5\]'$/,
    );
  });

  it('a bad field value names the field', () => {
    expect(
      run({
        input: { shape: [3, 8, 8], batch: 2 },
        layers: [{ type: 'conv2d', out: 4, kernel: 0 }],
      }),
    ).toThrow(/^layers\.0\.kernel must be/);
    expect(run({ layers: [{ type: 'recurrent', cell: 'elman' as never, hidden: 4 }] })).toThrow(
      /^layers\.0\.cell must be one of 'tanh'/,
    );
    expect(run({ layers: [{ type: 'recurrent', cell: 'gru', hidden: 4, forgetBias: 1 }] })).toThrow(
      /^layers\.0\.forgetBias/,
    );
  });

  it('a memory budget overrun is refused before anything is allocated, saying the budget', () => {
    const f = run({
      input: { shape: [64, 64, 64], batch: 256 },
      layers: Array.from({ length: 40 }, () => ({
        type: 'conv2d' as const,
        out: 64,
        kernel: 3,
        padding: 1,
      })),
    });
    expect(f).toThrow(/^layers must be at most 134,217,728 entries \(512 MiB\)/);
  });
});

describe('token inputs', () => {
  it('need an embedding first', () => {
    expect(() =>
      propagateNetwork({
        input: { shape: [6], batch: 2, init: { tokens: 10 } },
        seed: 0,
        layers: [{ type: 'linear', out: 4 }],
      }),
    ).toThrow(
      /^layers\.0 must be an embedding, the only layer that reads token ids .*; received 'a linear layer reading token ids'$/,
    );
    expect(
      propagateNetwork({
        input: { shape: [6], batch: 2, init: { tokens: 10 } },
        seed: 0,
        layers: [{ type: 'embedding', vocab: 10, dim: 4 }],
      }).layers[0]!.shape,
    ).toEqual([6, 4]);
  });
});
