import { describe, expect, it } from 'vitest';
import { propagateNetwork, EngineInputError } from '../../src/engine';
import { gradCheck, worstRelativeError } from './helpers/gradcheck';

describe('propagateNetwork: the core (linear, activation, flatten, residual)', () => {
  const mlp = {
    input: { shape: [16], batch: 8 },
    seed: 3,
    layers: [
      { type: 'linear', out: 12 },
      { type: 'activation', name: 'tanh' },
      {
        type: 'residual',
        scale: 0.5,
        body: [
          { type: 'linear', out: 12 },
          { type: 'activation', name: 'tanh' },
        ],
      },
      { type: 'linear', out: 5 },
    ],
  } as const;

  it('lists every layer in description order, a residual before its body', () => {
    const r = propagateNetwork(mlp);
    expect(r.layers.map((l) => l.path)).toEqual(['0', '1', '2', '2.body.0', '2.body.1', '3']);
    expect(r.layers.map((l) => l.shape)).toEqual([[12], [12], [12], [12], [12], [5]]);
    expect(r.parameterCount).toBe(16 * 12 + 12 + 12 * 12 + 12 + 12 * 5 + 5);
    expect(r.layers[0]!.parameters!.map((p) => p.name)).toEqual(['weight', 'bias']);
  });

  it("draws PyTorch's Linear default: U(±1/√fan_in), variance 1/(3·fan_in)", () => {
    const r = propagateNetwork({
      input: { shape: [400], batch: 2 },
      seed: 1,
      layers: [{ type: 'linear', out: 500 }],
    });
    const w = r.layers[0]!.weight!;
    expect(w.max).toBeLessThan(1 / 20);
    expect(w.min).toBeGreaterThanOrEqual(-1 / 20);
    // 200 000 draws: the mean square is within 1 % of 1/1200.
    expect(Math.abs(w.meanSquare * 1200 - 1)).toBeLessThan(0.01);
  });

  it('is pure: the same config gives the same numbers', () => {
    const a = propagateNetwork({ ...mlp, backward: true });
    const b = propagateNetwork({ ...mlp, backward: true });
    expect(b).toEqual(a);
  });

  it('backward matches central differences (tanh, residual, readout loss)', () => {
    const rows = gradCheck(mlp);
    expect(rows.length).toBeGreaterThan(30);
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });

  it('backward matches central differences with a cross-entropy loss over a sequence', () => {
    const rows = gradCheck({
      input: { shape: [3, 6], batch: 4 },
      seed: 9,
      loss: 'cross_entropy',
      layers: [
        { type: 'linear', out: 8 },
        { type: 'activation', name: 'gelu' },
        { type: 'flatten' },
        { type: 'linear', out: 7 },
      ],
    });
    expect(worstRelativeError(rows)).toBeLessThan(2e-2);
  });

  it('a residual scale of 0 passes the stream through unchanged', () => {
    const r = propagateNetwork({
      input: { shape: [10], batch: 50 },
      seed: 2,
      layers: [{ type: 'residual', scale: 0, body: [{ type: 'linear', out: 10 }] }],
    });
    expect(r.layers[0]!.output.meanSquare).toBeCloseTo(r.input.meanSquare, 12);
  });

  it('names the path, field, value and what is allowed', () => {
    const bad = (layers: unknown[], msg: RegExp) =>
      expect(() =>
        propagateNetwork({ input: { shape: [4], batch: 2 }, seed: 0, layers } as never),
      ).toThrow(msg);
    bad([{ type: 'lineer', out: 3 }], /layers\.0\.type must be one of 'linear'.*received 'lineer'/);
    bad(
      [
        { type: 'linear', out: 3 },
        { type: 'residual', body: [{ type: 'linear', out: 0 }] },
      ],
      /layers\.1\.body\.0\.out must be an integer from 1/,
    );
    bad(
      [{ type: 'residual', body: [{ type: 'linear', out: 5 }] }],
      /layers\.0\.body must be a body that gives back its input's shape \[4\]/,
    );
    bad(
      [{ type: 'linear', out: 3, weightInit: { name: 'normal', std: -1 } }],
      /layers\.0\.weightInit\.std/,
    );
    bad([{ type: 'activation', name: 'swoosh' }], /layers\.0\.name/);
    expect(() =>
      propagateNetwork({
        input: { shape: [4096], batch: 4096 },
        seed: 0,
        layers: Array(20).fill({ type: 'linear', out: 4096 }),
      }),
    ).toThrow(EngineInputError);
    expect(() =>
      propagateNetwork({
        input: { shape: [4096], batch: 4096 },
        seed: 0,
        layers: Array(20).fill({ type: 'linear', out: 4096 }),
      }),
    ).toThrow(/at most 134,217,728 entries/);
  });
});
