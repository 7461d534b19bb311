/**
 * A network described as data, built on PyTorch's stream (`stream: 'torch'`), has PyTorch's exact
 * weights: the engine's own layers (conv2d, recurrent LSTM, attention, linear) draw what
 * `torch.manual_seed(0); nn.Conv2d(64, 128, 3)` etc. draw (checked through `drawTorchModule`,
 * itself checked against torch 1.13 in every value by engine-torch-modules.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  drawTorchModule,
  propagateNetwork,
  type NetworkConfig,
  type TorchModuleSpec,
} from '../../src/engine';
import { buildNetwork } from '../../src/engine/network/build';
import { drawParameters } from '../../src/engine/network/run';
import fs from 'node:fs';
import { drawInputValues } from '../../src/engine/network/input';
import { sizeOf } from '../../src/engine/network/layer';
import { drawLossData } from '../../src/engine/network/loss';
import { createRng } from '../../src/engine/rng';
import { summarize } from '../../src/engine/stats';

const cases: [string, NetworkConfig, TorchModuleSpec][] = [
  [
    'nn.Conv2d(64, 128, 3)',
    {
      input: { shape: [64, 5, 5], batch: 1 },
      seed: 0,
      layers: [{ type: 'conv2d', out: 128, kernel: 3 }],
    },
    { module: 'Conv2d', in: 64, out: 128, kernel: 3 },
  ],
  [
    'nn.LSTM(256, 512)',
    {
      input: { shape: [2, 256], batch: 1 },
      seed: 0,
      layers: [{ type: 'recurrent', cell: 'lstm', hidden: 512 }],
    },
    { module: 'LSTM', input: 256, hidden: 512 },
  ],
  [
    'nn.MultiheadAttention(512, 8)',
    { input: { shape: [3, 512], batch: 1 }, seed: 0, layers: [{ type: 'attention', heads: 8 }] },
    { module: 'MultiheadAttention', embed: 512, heads: 8 },
  ],
  [
    'nn.Linear(64, 32)',
    { input: { shape: [64], batch: 1 }, seed: 0, layers: [{ type: 'linear', out: 32 }] },
    { module: 'Linear', in: 64, out: 32 },
  ],
];

describe("stream: 'torch' gives PyTorch's weights", () => {
  for (const [label, config, module] of cases) {
    it(label, () => {
      const plan = buildNetwork(config);
      const ours = drawParameters(plan, createRng(0, { stream: 'torch' }), 'torch').get('0')!;
      const theirs = drawTorchModule(module, 0);
      const names = plan.nodes[0]!.kind === 'leaf' ? plan.nodes[0]!.params.map((p) => p.name) : [];
      names.forEach((name, i) => {
        const key =
          module.module === 'LSTM' || module.module === 'MultiheadAttention' ? name : name;
        expect(Array.from(ours[i]!), `${label} ${name}`).toEqual(Array.from(theirs.get(key)!));
      });
      // propagateNetwork reports those weights: its weight summary is theirs.
      const r = propagateNetwork({ ...config, stream: 'torch' });
      const main = r.layers[0]!.parameters!.find(
        (p) => p.name === r.layers[0]!.parameters![0]!.name,
      )!;
      const t = theirs.get(main.name)!;
      expect(main.value.meanSquare).toBe(
        summarize(t, main.shape[0]!, t.length / main.shape[0]!, {}).meanSquare,
      );
    });
  }

  it('a re-initialized description draws the constructor defaults first (GPT-2 style), as PyTorch does', () => {
    const base = { input: { shape: [64], batch: 1 }, seed: 0, stream: 'torch' as const };
    const plan = buildNetwork({
      ...base,
      layers: [{ type: 'linear', out: 32, weightInit: { name: 'normal', std: 0.02 } }],
    });
    const [w] = drawParameters(plan, createRng(0, { stream: 'torch' }), 'torch').get('0')!;
    // torch.manual_seed(0); m = nn.Linear(64, 32); nn.init.normal_(m.weight, std=0.02):
    const r = createRng(0, { stream: 'torch' });
    r.uniformArray(new Float32Array(64 * 32)); // weight's kaiming_uniform_
    r.uniformArray(new Float32Array(32)); // bias's uniform_
    const want = r.normalArray(new Float32Array(64 * 32), 0, 0.02);
    expect(Array.from(w!)).toEqual(Array.from(want));
  });

  it('refuses an unknown stream', () => {
    expect(() =>
      propagateNetwork({
        input: { shape: [4], batch: 1 },
        seed: 0,
        layers: [{ type: 'linear', out: 2 }],
        stream: 'numpy' as never,
      }),
    ).toThrow(/^stream must be one of 'initbook', 'torch'/);
  });

  it('the whole sequence is PyTorch’s: the module, then torch.randn inputs (or randint ids), then the readout', () => {
    const fx = JSON.parse(
      fs.readFileSync('tests/fixtures/torch/network-sequence.json', 'utf8'),
    ) as {
      cases: { name: string; x?: number[]; readout?: number[]; ids?: number[] }[];
    };
    const configs: NetworkConfig[] = [
      { input: { shape: [64], batch: 8 }, seed: 0, layers: [{ type: 'linear', out: 32 }] },
      {
        input: { shape: [5, 16], batch: 4 },
        seed: 0,
        layers: [{ type: 'recurrent', cell: 'lstm', hidden: 8 }],
      },
      {
        input: { shape: [6], batch: 3, init: { tokens: 10 } },
        seed: 0,
        layers: [{ type: 'embedding', vocab: 10, dim: 4 }],
      },
    ];
    const bitsOf = (a: Float32Array): number[] =>
      Array.from(new Int32Array(a.buffer, a.byteOffset, a.length));
    configs.forEach((config, i) => {
      const c = fx.cases[i]!;
      // The draws propagateNetwork makes, in its order (network/propagate-network.ts).
      const plan = buildNetwork({ ...config, stream: 'torch' });
      const rng = createRng(0, { stream: 'torch' });
      drawParameters(plan, rng, 'torch');
      const x = drawInputValues(rng, plan.input, plan.batch * sizeOf(plan.input.shape));
      if (c.ids) expect(Array.from(x), c.name).toEqual(c.ids);
      if (c.x) expect(bitsOf(x), c.name).toEqual(c.x);
      if (c.readout) {
        const size = sizeOf(plan.outShape);
        const v = drawLossData('readout', rng, plan.batch, size, plan.outShape.at(-1)!);
        expect(bitsOf(v), c.name).toEqual(c.readout);
      }
    });
  });
});
