/**
 * The `mlp` preset and the linear layer against PyTorch and against `propagate`: the preset's
 * description gives propagate's numbers (exactly on the TypeScript kernels, within float32
 * rounding of the fused WebAssembly layer), its parameters are nn.Sequential's, and nn.Linear's
 * default init and arithmetic are PyTorch's (fixtures from scripts/fixtures/mlp.py).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mlp, propagate, propagateNetwork, type PropagateConfig } from '../../src/engine';
import { createKernels } from '../../src/engine/backend';
import { buildNetwork } from '../../src/engine/network/build';
import { backwardNetwork, forwardNetwork, runContext } from '../../src/engine/network/run';

const fx = JSON.parse(fs.readFileSync('tests/fixtures/network/mlp.json', 'utf8'));

/** |a − b| ≤ tol·(|b| + scale) entry by entry. */
function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < b.length; i++) {
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (Math.abs(b[i]!) + scale));
  }
}

describe('nn.Linear', () => {
  it('forward and backward on a sequence match PyTorch with its weights', () => {
    const n = fx.numerics;
    const plan = buildNetwork({
      input: { shape: n.input_shape, batch: n.batch },
      layers: [{ type: 'linear', out: n.out }],
      seed: 0,
      backward: true,
    });
    const params = new Map([['0', [Float32Array.from(n.weight), Float32Array.from(n.bias)]]]);
    const ctx = runContext(createKernels(), n.batch, true);
    const f = forwardNetwork(plan, params, Float32Array.from(n.x), ctx);
    close(f.y, n.y);
    const g = backwardNetwork(plan, params, f.tape, Float32Array.from(n.grad_y), ctx);
    close(g.gx!, n.grad_x);
    close(g.grads.get('0')![0]!, n.grad_weight);
    close(g.grads.get('0')![1]!, n.grad_bias);
  });

  it("default init: U(±1/√fan_in) for weight and bias, mean square 1/(3·fan_in) as PyTorch's", () => {
    const d = fx.defaults;
    const r = propagateNetwork({
      input: { shape: [d.fan_in], batch: 1 },
      layers: [{ type: 'linear', out: d.out }],
      seed: 4,
    });
    const [w, b] = r.layers[0]!.parameters!;
    const bound = 1 / Math.sqrt(d.fan_in);
    expect(Math.max(-w!.value.min, w!.value.max)).toBeLessThanOrEqual(bound);
    expect(d.weight.max_abs).toBeLessThanOrEqual(bound);
    // 200 000 weights: mean squares within 1.5 % of each other and of 1/(3·fan_in).
    expect(w!.value.meanSquare / d.weight.mean_square).toBeCloseTo(1, 1);
    expect(Math.abs(w!.value.meanSquare * 3 * d.fan_in - 1)).toBeLessThan(0.015);
    // 500 biases: within 20 %.
    expect(Math.abs(b!.value.meanSquare / d.bias.mean_square - 1)).toBeLessThan(0.2);
  });
});

describe('the mlp preset', () => {
  it("has nn.Sequential(Linear, Tanh, …)'s parameters", () => {
    for (const p of fx.presets) {
      const widths = p.widths as number[];
      const d = mlp({
        depth: widths.length - 1,
        width: widths.slice(1),
        input: { width: widths[0]! },
        batch: 2,
        activation: 'tanh',
        weightInit: { name: 'torch_default' },
        biasInit: { name: 'torch_default' },
        seed: 1,
      });
      const r = propagateNetwork(d);
      expect(r.parameterCount).toBe(p.count);
      const ours = r.layers.flatMap((l, i) =>
        (l.parameters ?? []).map((q) => ({
          name: `${i}.${q.name}`,
          shape: q.shape,
          count: q.value.count,
        })),
      );
      expect(ours).toEqual(p.params);
    }
  });

  const base: PropagateConfig = {
    depth: 6,
    width: 24,
    batch: 16,
    activation: 'tanh',
    weightInit: { name: 'xavier_normal' },
    seed: 9,
    backward: true,
    loss: 'readout',
  };
  for (const [label, extra] of [
    ['plain', {}],
    ['residual, one-layer branches, α = 0.6', { residual: { alpha: 0.6 } }],
    ['residual, two-layer branches', { residual: { alpha: 1, branch: 2 as const } }],
  ] as const) {
    it(`gives propagate's numbers: ${label}`, () => {
      const c = { ...base, ...extra };
      const a = propagate(c);
      const b = propagateNetwork(mlp(c));
      // Each propagate layer l: its pre-activation is the linear layer's output, its output the
      // activation's (or the residual's, when l ends a block).
      const linears = b.layers.filter((l) => l.type === 'linear');
      expect(linears).toHaveLength(6);
      a.layers.forEach((la, i) => {
        const lin = linears[i]!;
        expect(lin.output.meanSquare).toBeCloseTo(la.pre.meanSquare, 5);
        expect(lin.weight!.meanSquare).toBeCloseTo(la.weightMeanSquare, 7);
        expect(lin.gradWeight!.meanSquare / la.gradWeight!.meanSquare).toBeCloseTo(1, 4);
      });
      expect(b.loss!).toBeCloseTo(a.loss!, 5);
      // The network's output: its last top-level layer (a residual is listed before its body).
      const top = b.layers.filter((l) => !l.path.includes('.'));
      expect(top.at(-1)!.output.meanSquare).toBeCloseTo(a.layers.at(-1)!.post.meanSquare, 5);
    });
  }
});
