/**
 * conv2d, pool and batchnorm against PyTorch 1.13 (fixtures written by scripts/fixtures/conv.py):
 * parameter names, shapes, counts and default bounds; forward outputs and autograd gradients for
 * fixed weights and inputs; the convnet preset's parameters against the same network in torch.
 *
 * Tolerance for numerics: |engine − torch| ≤ 1e-5·(|torch| + rms(torch)) entrywise (float32
 * rounding of sums in different orders).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createKernels } from '../../src/engine/backend';
import { computeFans } from '../../src/engine/fans';
import { buildNetwork } from '../../src/engine/network/build';
import { backwardNetwork, forwardNetwork, leaves, runContext } from '../../src/engine/network/run';
import type { LayerSpec } from '../../src/engine/network/types';
import { convnet, propagateNetwork } from '../../src/engine';

const load = (name: string) =>
  JSON.parse(readFileSync(`tests/fixtures/network/${name}`, 'utf8')) as Record<string, never>;

const f32 = (a: readonly number[]) => Float32Array.from(a);

/** Worst |a − b| / (|b| + rms(b)) over the entries. */
function worst(a: Float32Array, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  const rms = Math.sqrt(b.reduce((s, v) => s + v * v, 0) / b.length);
  let w = 0;
  for (let i = 0; i < b.length; i++)
    w = Math.max(w, Math.abs(a[i]! - b[i]!) / (Math.abs(b[i]!) + rms));
  return w;
}

/** One layer's forward output and gradients for given parameters, input and ∂L/∂y. */
function runLayer(
  layer: LayerSpec,
  inShape: number[],
  batch: number,
  params: Float32Array[],
  x: Float32Array,
  gy: Float32Array,
) {
  const plan = buildNetwork({ input: { shape: inShape, batch }, seed: 0, layers: [layer] });
  const k = createKernels();
  const p = new Map([['0', params]]);
  const { y, tape } = forwardNetwork(plan, p, x, runContext(k, batch, true));
  const { grads, gx } = backwardNetwork(plan, p, tape, gy, runContext(k, batch, true));
  return { plan, y, gx: gx!, grads: grads.get('0')! };
}

const TOL = 1e-5;

interface ConvConfig {
  inp: number;
  out: number;
  kernel: number;
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
  h?: number;
  w?: number;
}
const convSpec = (c: ConvConfig): LayerSpec => ({
  type: 'conv2d',
  out: c.out,
  kernel: c.kernel,
  ...(c.stride === undefined ? {} : { stride: c.stride }),
  ...(c.padding === undefined ? {} : { padding: c.padding }),
  ...(c.dilation === undefined ? {} : { dilation: c.dilation }),
  ...(c.groups === undefined ? {} : { groups: c.groups }),
  ...(c.bias === undefined ? {} : { bias: c.bias }),
});

describe('conv2d against nn.Conv2d', () => {
  const fx = load('conv2d.json') as unknown as {
    parameters: {
      config: ConvConfig;
      parameters: { name: string; shape: number[]; count: number }[];
      count: number;
      fanIn: number;
      fanOut: number;
      weightBound: number;
      biasBound: number;
    }[];
    numerics: {
      config: ConvConfig & { h: number; w: number };
      batch: number;
      outShape: number[];
      x: number[];
      weight: number[];
      bias: number[] | null;
      y: number[];
      gy: number[];
      gx: number[];
      gWeight: number[];
      gBias: number[] | null;
    }[];
  };

  it.each(fx.parameters.map((p) => [JSON.stringify(p.config), p] as const))(
    'parameters, fans and default bounds: %s',
    (_name, p) => {
      const c = p.config;
      const plan = buildNetwork({
        input: { shape: [c.inp, 16, 16], batch: 2 },
        seed: 5,
        layers: [convSpec(c)],
      });
      const leaf = leaves(plan)[0]!;
      expect(leaf.params.map((d) => ({ name: d.name, shape: d.shape }))).toEqual(
        p.parameters.map((d) => ({ name: d.name, shape: d.shape })),
      );
      expect(plan.parameterCount).toBe(p.count);
      expect(computeFans(leaf.params[0]!.shape)).toEqual({ fanIn: p.fanIn, fanOut: p.fanOut });
      expect(1 / Math.sqrt(p.fanIn)).toBeCloseTo(p.weightBound, 12);
      const r = propagateNetwork({
        input: { shape: [c.inp, 16, 16], batch: 1 },
        seed: 5,
        summaries: 'moments',
        layers: [convSpec(c)],
      });
      const w = r.layers[0]!.parameters![0]!.value;
      expect(Math.max(w.max, -w.min)).toBeLessThanOrEqual(p.weightBound);
      // With ≥ 100 draws of U(±bound) the largest |w| is within 10 % of the bound.
      if (p.parameters[0]!.count >= 100) {
        expect(Math.max(w.max, -w.min)).toBeGreaterThan(0.9 * p.weightBound);
      }
      if (c.bias !== false) {
        const b = r.layers[0]!.parameters![1]!.value;
        expect(Math.max(b.max, -b.min)).toBeLessThanOrEqual(p.biasBound);
      }
    },
  );

  it.each(fx.numerics.map((n) => [JSON.stringify(n.config), n] as const))(
    'forward and gradients: %s',
    (_name, n) => {
      const c = n.config;
      const params = [f32(n.weight), ...(n.bias === null ? [] : [f32(n.bias)])];
      const r = runLayer(convSpec(c), [c.inp, c.h, c.w], n.batch, params, f32(n.x), f32(n.gy));
      expect(r.plan.outShape).toEqual(n.outShape);
      expect(worst(r.y, n.y)).toBeLessThan(TOL);
      expect(worst(r.gx, n.gx)).toBeLessThan(TOL);
      expect(worst(r.grads[0]!, n.gWeight)).toBeLessThan(TOL);
      if (n.gBias !== null) expect(worst(r.grads[1]!, n.gBias)).toBeLessThan(TOL);
    },
  );
});

describe('pool against F.avg_pool2d / F.max_pool2d', () => {
  const fx = load('conv-pool.json') as unknown as {
    cases: {
      kind: 'avg' | 'max';
      kernel: number;
      stride: number;
      ties: boolean;
      batch: number;
      inShape: number[];
      outShape: number[];
      x: number[];
      y: number[];
      gy: number[];
      gx: number[];
    }[];
  };
  it.each(
    fx.cases.map(
      (c) => [`${c.kind} k${c.kernel} s${c.stride}${c.ties ? ' ties' : ''}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const r = runLayer(
      { type: 'pool', kind: c.kind, kernel: c.kernel, stride: c.stride },
      c.inShape,
      c.batch,
      [],
      f32(c.x),
      f32(c.gy),
    );
    expect(r.plan.outShape).toEqual(c.outShape);
    expect(worst(r.y, c.y)).toBeLessThan(TOL);
    // With ties, PyTorch sends the gradient to the first maximum of the window: exact equality.
    expect(worst(r.gx, c.gx)).toBeLessThan(TOL);
  });
});

describe('batchnorm against nn.BatchNorm1d / 2d in training mode', () => {
  const fx = load('conv-batchnorm.json') as unknown as {
    cases: {
      module: string;
      batch: number;
      inShape: number[];
      defaults: {
        parameters: { name: string; shape: number[] }[];
        eps: number;
        weight: number[];
        bias: number[];
      };
      x: number[];
      weight: number[];
      bias: number[];
      y: number[];
      gy: number[];
      gx: number[];
      gWeight: number[];
      gBias: number[];
    }[];
  };
  it.each(fx.cases.map((c) => [`${c.module} on [${c.inShape.join(', ')}]`, c] as const))(
    '%s: defaults, forward and gradients',
    (_name, c) => {
      expect(c.defaults.eps).toBe(1e-5);
      const r0 = propagateNetwork({
        input: { shape: c.inShape, batch: c.batch },
        seed: 1,
        layers: [{ type: 'batchnorm' }],
      });
      expect(r0.layers[0]!.parameters!.map((p) => ({ name: p.name, shape: p.shape }))).toEqual(
        c.defaults.parameters.map((p) => ({ name: p.name, shape: p.shape })),
      );
      const [w, b] = r0.layers[0]!.parameters!;
      expect([w!.value.min, w!.value.max]).toEqual([1, 1]);
      expect([b!.value.min, b!.value.max]).toEqual([0, 0]);
      expect(c.defaults.weight.every((v) => v === 1) && c.defaults.bias.every((v) => v === 0)).toBe(
        true,
      );
      const r = runLayer(
        { type: 'batchnorm' },
        c.inShape,
        c.batch,
        [f32(c.weight), f32(c.bias)],
        f32(c.x),
        f32(c.gy),
      );
      expect(worst(r.y, c.y)).toBeLessThan(TOL);
      expect(worst(r.gx, c.gx)).toBeLessThan(TOL);
      expect(worst(r.grads[0]!, c.gWeight)).toBeLessThan(TOL);
      expect(worst(r.grads[1]!, c.gBias)).toBeLessThan(TOL);
    },
  );
});

describe('the convnet preset against the same network built in torch', () => {
  const fx = load('conv-preset.json') as unknown as {
    presets: {
      options: Parameters<typeof convnet>[0];
      outShape: number[];
      parameters: number[][];
      count: number;
    }[];
  };
  it.each(fx.presets.map((p) => [JSON.stringify(p.options), p] as const))('%s', (_name, p) => {
    const plan = buildNetwork(convnet(p.options));
    expect(leaves(plan).flatMap((l) => l.params.map((d) => [...d.shape]))).toEqual(p.parameters);
    expect(plan.parameterCount).toBe(p.count);
    expect(plan.outShape).toEqual(p.outShape);
  });
});
