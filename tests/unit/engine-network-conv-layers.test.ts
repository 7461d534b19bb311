/**
 * conv2d, pool and batchnorm: backward against central differences (gradCheck: float32 forward,
 * float64 loss, ε = 1e-2 unless stated, worst relative error < 2e-2 as the core's tests), shapes,
 * and the errors that name the layer's path, field, value and what is allowed.
 */
import { describe, expect, it } from 'vitest';
import { convnet, propagateNetwork, EngineInputError } from '../../src/engine';
import type { LayerSpec, NetworkConfig } from '../../src/engine/network/types';
import { gradCheck, worstRelativeError } from './helpers/gradcheck';

const net = (shape: number[], batch: number, layers: LayerSpec[], seed = 4): NetworkConfig => ({
  input: { shape, batch },
  seed,
  layers,
});

describe('conv2d backward against central differences', () => {
  const cases: [string, number[], LayerSpec][] = [
    ['3×3, no padding', [3, 6, 5], { type: 'conv2d', out: 4, kernel: 3 }],
    [
      'stride 2, padding 1',
      [3, 7, 6],
      { type: 'conv2d', out: 4, kernel: 3, stride: 2, padding: 1 },
    ],
    [
      'dilation 2, padding 2',
      [2, 7, 7],
      { type: 'conv2d', out: 3, kernel: 3, dilation: 2, padding: 2 },
    ],
    ['groups 2', [4, 5, 5], { type: 'conv2d', out: 6, kernel: 3, groups: 2, padding: 1 }],
    [
      'depthwise (groups = in)',
      [4, 6, 6],
      { type: 'conv2d', out: 8, kernel: 3, groups: 4, padding: 1 },
    ],
    ['bias false, 2×2 kernel', [3, 5, 4], { type: 'conv2d', out: 5, kernel: 2, bias: false }],
  ];
  it.each(cases)('%s', (_name, shape, layer) => {
    const rows = gradCheck(
      net(shape, 3, [
        layer,
        { type: 'activation', name: 'tanh' },
        { type: 'flatten' },
        { type: 'linear', out: 3 },
      ]),
      { samples: 8 },
    );
    // weight, (bias), linear weight and bias, and the input: every tensor probed.
    expect(new Set(rows.map((r) => r.where)).size).toBe(
      layer.type === 'conv2d' && layer.bias === false ? 4 : 5,
    );
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });

  it("gives PyTorch's output sizes: ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1", () => {
    const r = propagateNetwork(
      net([3, 9, 8], 1, [
        { type: 'conv2d', out: 4, kernel: 3, stride: 2, padding: 1 },
        { type: 'conv2d', out: 2, kernel: 3, dilation: 2, padding: 1 },
      ]),
    );
    // (9 + 2 − 2 − 1)/2 + 1 = 5 and ⌊7/2⌋ + 1 = 4; then 5 + 2 − 4 − 1 + 1 = 3 and 4 + 2 − 4 = 2.
    expect(r.layers.map((l) => l.shape)).toEqual([
      [4, 5, 4],
      [2, 3, 2],
    ]);
    expect(r.layers[1]!.parameters!.map((p) => p.shape)).toEqual([[2, 4, 3, 3], [2]]);
  });
});

describe('pool', () => {
  it.each([
    ['avg 2×2', { type: 'pool', kind: 'avg', kernel: 2 }, 1e-2],
    ['avg 3×3 stride 2 (overlapping)', { type: 'pool', kind: 'avg', kernel: 3, stride: 2 }, 1e-2],
    ['max 2×2', { type: 'pool', kind: 'max', kernel: 2 }, 1e-3],
    ['max 3×3 stride 1 (overlapping)', { type: 'pool', kind: 'max', kernel: 3, stride: 1 }, 1e-3],
  ] as [string, LayerSpec, number][])(
    '%s: backward against central differences',
    (_n, pool, eps) => {
      // Normal inputs make ties improbable; max uses ε = 1e-3 so a probe does not move the argmax.
      const rows = gradCheck(
        net([2, 7, 6], 3, [
          { type: 'conv2d', out: 3, kernel: 1 },
          pool,
          { type: 'flatten' },
          { type: 'linear', out: 2 },
        ]),
        { samples: 10, eps },
      );
      expect(worstRelativeError(rows)).toBeLessThan(2e-2);
    },
  );

  it('averages and takes maxima as defined (stride defaults to the kernel, floor rounding)', () => {
    const r = propagateNetwork(
      net([1, 5, 5], 1, [
        { type: 'pool', kind: 'max', kernel: 2 },
        { type: 'pool', kind: 'avg', kernel: 2 },
      ]),
    );
    expect(r.layers.map((l) => l.shape)).toEqual([
      [1, 2, 2],
      [1, 1, 1],
    ]);
    // The average of the four maxima is their mean.
    expect(r.layers[1]!.output.mean).toBeCloseTo(r.layers[0]!.output.mean, 6);
  });
});

describe('batchnorm', () => {
  it.each([
    ['BatchNorm1d on [features]', [5], 6],
    ['BatchNorm1d on [C, L]', [3, 4], 3],
    ['BatchNorm2d on [C, H, W]', [2, 3, 3], 2],
  ] as [string, number[], number][])(
    '%s: backward against central differences',
    (_n, shape, batch) => {
      const rows = gradCheck(
        net(shape, batch, [
          { type: 'batchnorm', gamma: 1.5 },
          { type: 'activation', name: 'tanh' },
          { type: 'flatten' },
          { type: 'linear', out: 3 },
        ]),
        { samples: 10 },
      );
      expect(worstRelativeError(rows)).toBeLessThan(2e-2);
    },
  );

  it('normalizes every channel over batch·H·W to mean 0 and biased variance 1/(1 + ε/σ²)', () => {
    const r = propagateNetwork({
      input: { shape: [3, 4, 4], batch: 5, init: { mean: 2, std: 3 } },
      seed: 8,
      summaries: 'moments',
      layers: [{ type: 'batchnorm' }],
    });
    const o = r.layers[0]!.output;
    expect(Math.abs(o.mean)).toBeLessThan(1e-6);
    // σ² ≈ 9, so E[y²] = σ²/(σ² + 1e-5) = 1 − 1.1e-6 up to float32 rounding.
    expect(Math.abs(o.meanSquare - 1)).toBeLessThan(1e-5);
    expect(r.parameterCount).toBe(6);
  });

  it('affine false has no parameters; gamma sets the weight', () => {
    const a = propagateNetwork(net([4], 8, [{ type: 'batchnorm', affine: false }]));
    expect(a.parameterCount).toBe(0);
    const g = propagateNetwork(net([4], 8, [{ type: 'batchnorm', gamma: 0 }]));
    expect(g.layers[0]!.output.meanSquare).toBe(0);
  });
});

describe('errors name the path, field, value and what is allowed', () => {
  const bad = (shape: number[], layers: unknown[], msg: RegExp, batch = 2) =>
    expect(() => propagateNetwork({ input: { shape, batch }, seed: 0, layers } as never)).toThrow(
      msg,
    );

  it('conv2d', () => {
    bad(
      [8, 16],
      [{ type: 'conv2d', out: 4, kernel: 3 }],
      /layers\.0 must be a \[channels, height, width\] shape for conv2d; received 'input of shape \[8, 16\]'/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4 }],
      /layers\.0\.kernel must be an integer from 1 to 1024; received undefined/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4, kernel: 3, stride: 0 }],
      /layers\.0\.stride must be an integer from 1/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4, kernel: 3, padding: -1 }],
      /layers\.0\.padding must be an integer from 0/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4, kernel: 3, dilation: 1.5 }],
      /layers\.0\.dilation must be an integer/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4, kernel: 3, groups: 2 }],
      /layers\.0\.groups must be a divisor of the input's 3 channels; received 2/,
    );
    bad(
      [4, 8, 8],
      [{ type: 'conv2d', out: 6, kernel: 3, groups: 4 }],
      /layers\.0\.groups must be a divisor of out \(6\); received 4/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4, kernel: 3, bias: 'no' }],
      /layers\.0\.bias must be true or false/,
    );
    bad(
      [3, 8, 8],
      [{ type: 'conv2d', out: 4, kernel: 3, weightInit: { name: 'normal', std: -1 } }],
      /layers\.0\.weightInit\.std/,
    );
    bad(
      [3, 4, 4],
      [
        { type: 'linear', out: 4 },
        { type: 'residual', body: [{ type: 'conv2d', out: 3, kernel: 3, dilation: 2 }] },
      ],
      /layers\.1\.body\.0\.kernel must be a kernel whose dilated extent .* received 'kernel 3 \(dilation 2, padding 0, stride 1\) on a 4×4 input, giving 0×0'/,
    );
  });

  it('pool and batchnorm', () => {
    bad(
      [6, 6],
      [{ type: 'pool', kind: 'max', kernel: 2 }],
      /layers\.0 must be a \[channels, height, width\] shape for pool/,
    );
    bad(
      [2, 6, 6],
      [{ type: 'pool', kind: 'median', kernel: 2 }],
      /layers\.0\.kind must be one of 'avg', 'max'; received 'median'/,
    );
    bad(
      [2, 6, 6],
      [{ type: 'pool', kind: 'avg', kernel: 7 }],
      /layers\.0\.kernel must be at most the input's height and width \(6×6\); received 7/,
    );
    bad(
      [2, 6, 6],
      [{ type: 'pool', kind: 'avg', kernel: 2, stride: 0 }],
      /layers\.0\.stride must be an integer from 1/,
    );
    bad(
      [4],
      [{ type: 'batchnorm', eps: 0 }],
      /layers\.0\.eps must be a finite number > 0; received 0/,
    );
    bad([4], [{ type: 'batchnorm', affine: 1 }], /layers\.0\.affine must be true or false/);
    bad([4], [{ type: 'batchnorm' }], /layers\.0 must be more than one value per channel/, 1);
    expect(() => propagateNetwork(net([4], 1, [{ type: 'batchnorm' }]))).toThrow(EngineInputError);
  });
});

describe('the convnet preset', () => {
  it('is data: plain by default, He et al.’s 30 conv layers with ReLU', () => {
    const c = convnet();
    expect(c.input).toEqual({ shape: [3, 32, 32], batch: 8 });
    expect(c.layers.filter((l) => l.type === 'conv2d')).toHaveLength(30);
    expect(c.layers.filter((l) => l.type === 'activation')).toHaveLength(30);
    expect(c.layers[0]).toEqual({
      type: 'conv2d',
      out: 16,
      kernel: 3,
      padding: 1,
      weightInit: { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'relu' },
      biasInit: { name: 'zeros' },
    });
    expect(convnet({ init: 'torch' }).layers[0]).toEqual({
      type: 'conv2d',
      out: 16,
      kernel: 3,
      padding: 1,
    });
  });

  it('residual with batchnorm and a head: backward against central differences', () => {
    const config = convnet({
      depth: 3,
      channels: 4,
      imageSize: 4,
      batch: 3,
      residual: true,
      batchnorm: true,
      classes: 3,
      seed: 2,
    });
    expect(config.layers.map((l) => l.type)).toEqual([
      'conv2d',
      'batchnorm',
      'activation',
      'residual',
      'activation',
      'pool',
      'flatten',
      'linear',
    ]);
    // ε = 1e-3: probes of 1e-2 move pre-activations across ReLU kinks (batchnorm over 3·16 values
    // rescales them to unit variance), where central differences are wrong by design.
    const rows = gradCheck(config, { samples: 6, eps: 1e-3 });
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });

  it('rejects an even depth for residual stacks and bad options', () => {
    expect(() => convnet({ residual: true, depth: 4 })).toThrow(
      /depth must be an odd depth \(a stem conv and two per block\); received 4/,
    );
    expect(() => convnet({ init: 'lecun' as never })).toThrow(/init must be one of/);
    expect(() => convnet({ channels: 0 })).toThrow(/channels must be/);
  });
});
