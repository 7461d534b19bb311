/**
 * The recurrent layer against PyTorch 1.13 (fixtures from scripts/fixtures/recurrent.py): parameter
 * names, shapes and order; the default U(±1/√hidden); and, with PyTorch's own small weights and
 * inputs loaded, the float32 output and the autograd gradients of every parameter and the input.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { propagateNetwork } from '../../src/engine';
import { createKernels } from '../../src/engine/backend';
import { buildNetwork } from '../../src/engine/network/build';
import {
  backwardNetwork,
  drawParameters,
  forwardNetwork,
  runContext,
} from '../../src/engine/network/run';
import { createRng } from '../../src/engine/rng';
import type { NetworkConfig, RecurrentLayer } from '../../src/engine/network/types';

const load = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/network/${name}`, import.meta.url), 'utf8'));

interface Described {
  name: string;
  shape: number[];
  count: number;
}
const params = load('recurrent-params.json') as {
  cells: Record<
    string,
    { features: number; hidden: number; bias: boolean; parameters: Described[]; count: number }
  >;
  defaults: {
    hidden: number;
    features: number;
    bound: number;
    parameters: { name: string; max_abs: number; mean_square: number; count: number }[];
  };
};
interface Case {
  cell: RecurrentLayer['cell'];
  forgetBias: number | null;
  bias: boolean;
  batch: number;
  steps: number;
  features: number;
  hidden: number;
  params: Record<string, number[]>;
  order: string[];
  x: number[];
  readout: number[];
  output: number[];
  gradInput: number[];
  grads: Record<string, number[]>;
}
const numerics = load('recurrent-numerics.json') as { cases: Case[] };

const layerOf = (cell: string, hidden: number, bias: boolean): RecurrentLayer => ({
  type: 'recurrent',
  cell: cell.replace('_nobias', '') as RecurrentLayer['cell'],
  hidden,
  bias,
});

/** max |a − b| / (max |b| + floor): one relative scale per tensor. */
function relErr(a: ArrayLike<number>, b: readonly number[], floor = 1e-6): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  let scale = floor;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / scale;
}

describe('recurrent layer: PyTorch parameter layout and defaults', () => {
  it.each(Object.entries(params.cells))(
    '%s: names, shapes and order as PyTorch registers them',
    (key, c) => {
      const r = propagateNetwork({
        input: { shape: [5, c.features], batch: 1 },
        seed: 0,
        layers: [layerOf(key, c.hidden, c.bias)],
      });
      const got = r.layers[0]!.parameters!.map((p) => ({
        name: p.name,
        shape: [...p.shape],
        count: p.shape.reduce((a, b) => a * b, 1),
      }));
      expect(got).toEqual(c.parameters);
      expect(r.parameterCount).toBe(c.count);
    },
  );

  it('draws all four tensors from U(±1/√hidden), as nn.LSTM(32, 64) does', () => {
    const d = params.defaults;
    const r = propagateNetwork({
      input: { shape: [2, d.features], batch: 1 },
      seed: 4,
      layers: [{ type: 'recurrent', cell: 'lstm', hidden: d.hidden }],
    });
    const ours = r.layers[0]!.parameters!;
    expect(ours.map((p) => p.name)).toEqual(d.parameters.map((p) => p.name));
    d.parameters.forEach((t, i) => {
      const v = ours[i]!.value;
      expect(Math.max(v.max, -v.min)).toBeLessThanOrEqual(d.bound);
      expect(t.max_abs).toBeLessThanOrEqual(d.bound);
      // Both are draws of U(±b), mean square b²/3; with n entries its relative sd is
      // √(4/5)/√n (≤ 0.08 for the 256-entry biases): 4 sd between the two draws.
      const tol = 4 * Math.sqrt(2 * 0.8) * Math.sqrt(1 / t.count);
      expect(Math.abs(v.meanSquare / t.mean_square - 1)).toBeLessThan(tol);
      expect(Math.abs(v.meanSquare / (d.bound ** 2 / 3) - 1)).toBeLessThan(tol);
    });
  });
});

describe('recurrent layer: output and gradients against PyTorch autograd', () => {
  it.each(numerics.cases.map((c) => [`${c.cell} forget=${c.forgetBias} bias=${c.bias}`, c]))(
    '%s',
    (_name, cc) => {
      const c = cc as Case;
      const layer: Record<string, unknown> = { type: 'recurrent', cell: c.cell, hidden: c.hidden };
      if (!c.bias) layer['bias'] = false;
      const config = {
        input: { shape: [c.steps, c.features], batch: c.batch },
        seed: 0,
        layers: [layer],
      } as unknown as NetworkConfig;
      const plan = buildNetwork(config);
      const p = new Map([['0', c.order.map((n) => Float32Array.from(c.params[n]!))]]);
      const k = createKernels();
      const ctx = runContext(k, c.batch, true);
      const { y, tape } = forwardNetwork(plan, p, Float32Array.from(c.x), ctx);
      // float32 on both sides (PyTorch sums in float32, we in float64): 1e-5 of each tensor's scale.
      expect(relErr(y, c.output)).toBeLessThan(1e-5);
      const { grads, gx } = backwardNetwork(plan, p, tape, Float32Array.from(c.readout), ctx);
      expect(relErr(gx!, c.gradInput)).toBeLessThan(1e-5);
      const g = grads.get('0')!;
      c.order.forEach((n, i) => {
        expect(relErr(g[i]!, c.grads[n]!), n).toBeLessThan(1e-5);
      });
    },
  );

  it('forgetBias sets the forget slices after the default draw, leaving the stream unchanged', () => {
    const H = 6;
    const draw = (layer: RecurrentLayer) =>
      drawParameters(
        buildNetwork({ input: { shape: [3, 2], batch: 1 }, seed: 0, layers: [layer] }),
        createRng(5),
      ).get('0')!;
    const a = draw({ type: 'recurrent', cell: 'lstm', hidden: H });
    const b = draw({ type: 'recurrent', cell: 'lstm', hidden: H, forgetBias: 1 });
    // Same weights (the draw is unchanged).
    expect(b[0]).toEqual(a[0]);
    expect(b[1]).toEqual(a[1]);
    // Gate order i, f, g, o: only [H, 2H) changes, to 1 in bias_ih and 0 in bias_hh.
    for (let j = 0; j < 4 * H; j++) {
      const forget = j >= H && j < 2 * H;
      expect(b[2]![j]).toBe(forget ? 1 : a[2]![j]);
      expect(b[3]![j]).toBe(forget ? 0 : a[3]![j]);
    }
  });
});
