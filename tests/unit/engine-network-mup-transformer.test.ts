/**
 * μP beyond MLPs: Table 3's learning rates for any description (`mupMultipliers`), checked
 * against the MLP table of `mupLayers`, and a coordinate check of a transformer in one call: the
 * readout's change after a few Adam steps stays flat in width under μP (init 'mup' with its
 * multipliers) and grows under the standard parametrization (GPT-2's fixed 0.02).
 */
import { describe, expect, it } from 'vitest';
import { coordinateCheck, logLogSlope, mupLayers, transformer } from '../../src/engine';
import { mupMultipliers, mupTensorKinds } from '../../src/engine/presets/mup-multipliers';

describe('mupMultipliers', () => {
  for (const optimizer of ['sgd', 'adam'] as const) {
    it(`gives mupLayers' factors for an MLP (${optimizer})`, () => {
      const net = mupLayers({
        depth: 3,
        width: 256,
        inputs: 8,
        outputs: 2,
        activation: 'relu',
        optimizer,
        baseWidth: 64,
      });
      const config = { input: { shape: [8], batch: 1 }, layers: net.layers, seed: 0 };
      const ours = mupMultipliers(config, { optimizer, widthRatio: 4 });
      // mupLayers keys a whole layer by its path; expand those to the layer's tensors.
      const expanded: Record<string, number> = {};
      for (const key of Object.keys(ours)) {
        const path = key.slice(0, key.lastIndexOf('.'));
        expanded[key] = net.lrMultipliers[key] ?? net.lrMultipliers[path] ?? 1;
      }
      expect(ours).toEqual(expanded);
    });
  }

  it('sorts a transformer’s tensors: embedding input, projections hidden, readout output, gains vector-like', () => {
    const kinds = mupTensorKinds(
      transformer({ layers: 1, dModel: 32, heads: 2, seq: 4, vocab: 10, norm: 'pre', init: 'mup' }),
    );
    expect(kinds.get('0.weight')).toBe('input');
    expect(kinds.get('1.body.1.in_proj_weight')).toBe('hidden');
    expect(kinds.get('1.body.1.out_proj.weight')).toBe('hidden');
    expect(kinds.get('2.body.1.weight')).toBe('hidden');
    expect(kinds.get('1.body.0.weight')).toBe('vector');
    expect(kinds.get('4.weight')).toBe('output');
  });
});

describe('a transformer coordinate check', () => {
  const run = (parametrization: 'sp' | 'mup') =>
    coordinateCheck({
      network: (width) => {
        const config = transformer({
          layers: 1,
          dModel: width,
          heads: 2,
          seq: 8,
          vocab: 16,
          norm: 'pre',
          init: parametrization === 'mup' ? 'mup' : 'gpt2',
        });
        return parametrization === 'mup'
          ? {
              layers: config.layers,
              lrMultipliers: mupMultipliers(config, { optimizer: 'adam', widthRatio: width / 32 }),
            }
          : config.layers;
      },
      widths: [32, 64, 128, 256],
      task: { name: 'next_token', vocab: 16, seq: 8, samples: 16 },
      optimizer: { name: 'adam', lr: 1e-3 },
      steps: 2,
      seed: 1,
    });

  it('the readout’s change is flat in width under μP and grows under SP (slopes of log-log fits)', () => {
    const slope = (r: ReturnType<typeof run>) => {
      const readout = r.layers.at(-1)!;
      return logLogSlope(
        r.widths,
        readout.deltaRms.map((s) => s[2]!),
      );
    };
    const mup = slope(run('mup'));
    const sp = slope(run('sp'));
    // Predicted: 0 under μP; under SP with Adam the logits' change grows with width (3/2 for an
    // MLP's readout, see mupCoordinateExponents). Tolerance ±0.3 around 0; SP at least 0.5 above.
    expect(Math.abs(mup)).toBeLessThan(0.3);
    expect(sp - mup).toBeGreaterThan(0.5);
  });
});
