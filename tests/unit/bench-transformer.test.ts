/**
 * The transformer benchmark's tfjs-wasm network (scripts/bench/transformer.ts) computes what the
 * engine computes: on a tiny preset with the engine's own drawn weights, inputs and readout, the
 * loss and two gradient summaries agree within float32 rounding. No timing is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernels } from '../../src/engine/backend';
import { propagateNetwork } from '../../src/engine';
import { transformer } from '../../src/engine/presets/transformer';
import { setupTfjs } from '../../scripts/bench/tfjs';
import {
  TINY_TRANSFORMER,
  disposeTfjsTransformer,
  drawTransformer,
  engineTransformerPass,
  tfjsTransformer,
  tfjsTransformerPass,
  type TfjsTransformer,
} from '../../scripts/bench/transformer';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-30, Math.abs(b));

describe('transformer benchmark: tfjs-wasm against the engine', () => {
  const drawn = drawTransformer(TINY_TRANSFORMER);
  let model: TfjsTransformer;
  beforeAll(async () => {
    await setupTfjs();
    model = tfjsTransformer(drawn);
  });
  afterAll(() => disposeTfjsTransformer(model));

  it('gives the loss and gradients of the engine on the same weights and inputs', () => {
    const engine = engineTransformerPass(drawn, createKernels());
    const tfjs = tfjsTransformerPass(model, true);
    expect(rel(tfjs.loss, engine.loss)).toBeLessThan(1e-4);
    expect(rel(tfjs.gradInputSquare, engine.gradInputSquare)).toBeLessThan(1e-4);
    expect(rel(tfjs.firstWeightGrad, engine.firstWeightGrad)).toBeLessThan(1e-4);
    expect(engine.firstWeightGrad).toBeGreaterThan(0);
    // the same statistics were taken of the same tensors, node for node
    expect(rel(tfjs.check, engine.check)).toBeLessThan(1e-4);
  });

  it('draws what propagateNetwork draws (same loss)', () => {
    const config = { ...transformer(TINY_TRANSFORMER), backward: true, loss: 'readout' } as const;
    const whole = propagateNetwork({ ...config, summaries: 'moments' });
    expect(rel(engineTransformerPass(drawn, createKernels()).loss, whole.loss!)).toBeLessThan(1e-6);
  });
});
