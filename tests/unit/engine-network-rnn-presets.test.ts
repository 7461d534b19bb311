/**
 * The rnn/lstm presets (shapes and parameter counts against the same networks built in PyTorch
 * 1.13, their recurrent initializations and errors) and the delay task.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { delayTask, lstm, propagateNetwork, rnn } from '../../src/engine';
import { buildNetwork } from '../../src/engine/network/build';
import { drawParameters } from '../../src/engine/network/run';
import { createRng } from '../../src/engine/rng';

interface PresetFixture {
  cell: 'tanh' | 'relu' | 'lstm';
  features: number;
  hidden: number;
  layers: number;
  readout: number | null;
  count: number;
  parameters: { name: string; shape: number[]; count: number }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/network/recurrent-params.json', import.meta.url), 'utf8'),
) as { presets: PresetFixture[] };

describe('rnn and lstm presets against nn.RNN / nn.LSTM (num_layers) + nn.Linear', () => {
  it.each(fixture.presets.map((p) => [`${p.cell} ×${p.layers} readout ${p.readout}`, p] as const))(
    '%s',
    (_name, p) => {
      const o = {
        steps: 7,
        features: p.features,
        hidden: p.hidden,
        layers: p.layers,
        batch: 2,
        ...(p.readout === null ? {} : { readout: p.readout }),
      };
      const config = p.cell === 'lstm' ? lstm(o) : rnn({ ...o, nonlinearity: p.cell });
      const r = propagateNetwork(config);
      expect(r.parameterCount).toBe(p.count);
      // Our stacked layers are single-layer modules named _l0; PyTorch numbers them _l<i>.
      const ours = r.layers.flatMap((l, i) =>
        (l.parameters ?? []).map((q) => ({
          name: l.type === 'linear' ? `readout.${q.name}` : q.name.replace('_l0', `_l${i}`),
          shape: [...q.shape],
          count: q.shape.reduce((a, b) => a * b, 1),
        })),
      );
      expect(ours).toEqual(p.parameters);
      const last = r.layers[r.layers.length - 1]!;
      expect(last.shape).toEqual([7, p.readout ?? p.hidden]);
    },
  );
});

describe('preset recurrent initializations', () => {
  const H = 32;
  const weights = (config: ReturnType<typeof rnn>) => {
    const plan = buildNetwork(config);
    return drawParameters(plan, createRng(config.seed)).get('0')!;
  };

  it("'identity' gives W_hh = I and zero biases (IRNN with nonlinearity 'relu')", () => {
    const c = rnn({
      steps: 3,
      features: 2,
      hidden: H,
      recurrentInit: 'identity',
      nonlinearity: 'relu',
    });
    expect(c.layers[0]).toMatchObject({ cell: 'relu' });
    const [, whh, bih, bhh] = weights(c);
    for (let i = 0; i < H; i++)
      for (let j = 0; j < H; j++) expect(whh![i * H + j]).toBe(i === j ? 1 : 0);
    expect(bih!.every((v) => v === 0) && bhh!.every((v) => v === 0)).toBe(true);
  });

  it("'orthogonal' with a gain gives WᵀW = gain²·I", () => {
    const [, w] = weights(
      rnn({ steps: 3, features: 2, hidden: H, recurrentInit: 'orthogonal', gain: 1.5 }),
    );
    for (let i = 0; i < H; i++)
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let k = 0; k < H; k++) s += w![k * H + i]! * w![k * H + j]!;
        expect(s).toBeCloseTo(i === j ? 2.25 : 0, 5);
      }
  });

  it("'gaussian' draws N(0, σ²/hidden); 'torch' U(±1/√hidden)", () => {
    const n = 256;
    const g = weights(
      rnn({ steps: 2, features: 2, hidden: n, recurrentInit: 'gaussian', sigma: 1.2 }),
    )[1]!;
    let s = 0;
    for (const v of g) s += v * v;
    // 65 536 draws: mean square within 3 % of σ²/n (its relative sd is √(2/65536) ≈ 0.55 %).
    expect(Math.abs(s / g.length / (1.44 / n) - 1)).toBeLessThan(0.03);
    const t = weights(rnn({ steps: 2, features: 2, hidden: n }))[1]!;
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(1 / 16);
  });

  it('lstm forgetBias reaches every layer', () => {
    const c = lstm({ steps: 2, features: 3, hidden: 4, layers: 2, forgetBias: 1 });
    expect(c.layers.map((l) => (l as { forgetBias?: number }).forgetBias)).toEqual([1, 1]);
  });

  it('errors name the option, the value and what is allowed', () => {
    expect(() => lstm({ steps: 2, features: 3, hidden: 4, recurrentInit: 'identity' })).toThrow(
      /recurrentInit must be one of 'torch', 'orthogonal', 'gaussian'; received 'identity'/,
    );
    expect(() => rnn({ steps: 2, features: 3, hidden: 4, gain: 2 })).toThrow(
      /gain must be absent unless recurrentInit is 'orthogonal'; received 2/,
    );
    expect(() => rnn({ steps: 0, features: 3, hidden: 4 })).toThrow(/steps must be an integer/);
    expect(() => rnn({ steps: 2, features: 3, hidden: 4, nonlinearity: 'gelu' as never })).toThrow(
      /nonlinearity must be one of 'tanh', 'relu'/,
    );
  });
});

describe('delayTask', () => {
  it('targets are the inputs delayed by `delay` steps, masked before', () => {
    const d = delayTask({ steps: 6, delay: 2, features: 3, samples: 4, seed: 1 });
    expect(d.inputs).toHaveLength(4 * 6 * 3);
    expect(d.targets).toHaveLength(4 * 6 * 3);
    for (let s = 0; s < 4; s++)
      for (let t = 0; t < 6; t++) {
        expect(d.mask[s * 6 + t]).toBe(t >= 2 ? 1 : 0);
        for (let f = 0; f < 3; f++) {
          const target = d.targets[(s * 6 + t) * 3 + f];
          expect(target).toBe(t >= 2 ? d.inputs[(s * 6 + t - 2) * 3 + f] : 0);
        }
      }
    // The inputs are createRng(seed)'s normal stream in row-major order.
    expect(d.inputs).toEqual(createRng(1).normalArray(new Float32Array(72)));
    expect(delayTask({ steps: 6, delay: 2, features: 3, samples: 4, seed: 1 })).toEqual(d);
  });

  it('delay 0 copies the input; a delay ≥ steps is an error', () => {
    const d = delayTask({ steps: 3, delay: 0, features: 2, samples: 2, seed: 0 });
    expect(d.targets).toEqual(d.inputs);
    expect(() => delayTask({ steps: 3, delay: 3, features: 2, samples: 2, seed: 0 })).toThrow(
      /delay must be an integer from 0 to steps − 1 = 2; received 3/,
    );
  });
});
