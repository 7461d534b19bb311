/**
 * The residual-stream theory (src/engine/theory/residual-stream.ts) against simulation: residual
 * MLP stacks (pre-norm, post-norm, none; α = 1 and 1/√(2L)) and the transformer preset, at widths
 * 64, 256, 1024 with fixed seeds. Bounds shrink with width: the stream's mean square within
 * c_f/√d of the prediction and the gradient's (relative to the output's) within c_g/√d, with
 * c_f, c_g stated per block below. Plus the closed forms the module notes derive.
 */
import { describe, expect, it } from 'vitest';
import { propagateNetwork } from '../../src/engine';
import type { LayerSpec, NetworkConfig } from '../../src/engine/network/types';
import { transformer } from '../../src/engine/presets/transformer';
import { residualStreamTheory } from '../../src/engine/theory/residual-stream';
import { attentionWeightMoments } from '../../src/engine/theory/attention-moments';
import { initSecondMoment } from '../../src/engine/theory/init-moments';

/** Worst relative errors of the stream and gradient predictions over the top-level layers. */
function errors(config: NetworkConfig): { stream: number; grad: number } {
  const th = residualStreamTheory(config);
  const r = propagateNetwork({ ...config, backward: true, summaries: 'moments' });
  const top = r.layers.filter((l) => !l.path.includes('.'));
  const gTop = top[top.length - 1]!.gradOutput!.meanSquare;
  let stream = 0;
  let grad = 0;
  th.forEach((t, i) => {
    const s = top[i]!;
    expect(s.path).toBe(t.path);
    if (t.stream > 0) stream = Math.max(stream, Math.abs(s.output.meanSquare / t.stream - 1));
    if (gTop > 0 && t.grad > 0) {
      grad = Math.max(grad, Math.abs(s.gradOutput!.meanSquare / gTop / t.grad - 1));
    }
  });
  return { stream, grad };
}

const stack = (d: number, norm: string, L: number, alpha: number, act: string): NetworkConfig => {
  const mlp: LayerSpec[] = [
    { type: 'linear', out: d },
    { type: 'activation', name: act },
    { type: 'linear', out: d },
  ];
  const layers: LayerSpec[] = [];
  for (let l = 0; l < L; l++) {
    if (norm === 'pre') {
      layers.push({ type: 'residual', scale: alpha, body: [{ type: 'layernorm' }, ...mlp] });
    } else if (norm === 'post') {
      layers.push({ type: 'residual', scale: alpha, body: mlp }, { type: 'layernorm' });
    } else layers.push({ type: 'residual', scale: alpha, body: mlp });
  }
  if (norm === 'pre') layers.push({ type: 'layernorm' });
  return { input: { shape: [d], batch: 64 }, seed: 1, layers };
};

const WIDTHS = [64, 256, 1024];

describe('residual MLP stacks (8 blocks, batch 64): stream within 1.5/√d, gradient within 4/√d', () => {
  for (const norm of ['pre', 'post', 'none'])
    for (const alpha of [1, 1 / 4])
      for (const act of ['tanh', 'relu']) {
        it(`${norm}-norm, α = ${alpha}, ${act}`, () => {
          for (const d of WIDTHS) {
            const e = errors(stack(d, norm, 8, alpha, act));
            expect(e.stream, `stream, width ${d}`).toBeLessThan(1.5 / Math.sqrt(d));
            expect(e.grad, `gradient, width ${d}`).toBeLessThan(4 / Math.sqrt(d));
          }
        }, 60_000);
      }
});

describe('the transformer preset (2 blocks, seq 8, batch 8, torch init): stream within 0.6/√d, gradient within 4/√d', () => {
  const cases = [
    { norm: 'pre', causal: true },
    { norm: 'post', causal: true },
    { norm: 'none', causal: false },
  ] as const;
  for (const { norm, causal } of cases) {
    it(`${norm}-norm, causal ${causal}`, () => {
      for (const d of WIDTHS) {
        const e = errors(
          transformer({
            layers: 2,
            dModel: d,
            heads: 4,
            seq: 16,
            vocab: 500,
            norm,
            init: 'torch',
            batch: 4,
            causal,
          }),
        );
        expect(e.stream, `stream, width ${d}`).toBeLessThan(0.6 / Math.sqrt(d));
        expect(e.grad, `gradient, width ${d}`).toBeLessThan(4 / Math.sqrt(d));
      }
    }, 120_000);
  }

  // The logits' gradient path is an approximation (its error, of relative order λ², does not
  // shrink with width): the gradient bound is 0.1 + 1/√d; without that path the error is 0.2–0.6.
  it('one attention layer (λ ≈ 1/4): stream within 2/√d, input gradient within 0.1 + 1/√d', () => {
    for (const causal of [false, true]) {
      for (const d of WIDTHS) {
        const e = errors({
          input: { shape: [16, d], batch: 8 },
          seed: 5,
          layers: [
            { type: 'linear', out: d, weightInit: { name: 'normal', std: 1 / Math.sqrt(d) } },
            {
              type: 'attention',
              heads: 4,
              causal,
              outInit: { name: 'normal', std: 1 / Math.sqrt(d) },
            },
          ],
        });
        expect(e.stream, `stream, width ${d}`).toBeLessThan(2 / Math.sqrt(d));
        expect(e.grad, `gradient, width ${d}, causal ${causal}`).toBeLessThan(
          0.1 + 1 / Math.sqrt(d),
        );
      }
    }
  }, 60_000);

  it('GPT-2 init at width 256 (λ ≈ 0.01): stream within 6 %, gradient within 10 %', () => {
    for (const norm of ['pre', 'post'] as const) {
      const e = errors(
        transformer({
          layers: 3,
          dModel: 256,
          heads: 4,
          seq: 16,
          vocab: 500,
          norm,
          init: 'gpt2',
          batch: 4,
          causal: true,
        }),
      );
      expect(e.stream).toBeLessThan(0.06);
      expect(e.grad).toBeLessThan(0.1);
    }
  }, 60_000);

  it('μP init (zero readout): the stream within 0.6/√d', () => {
    for (const d of [64, 256]) {
      const e = errors(
        transformer({
          layers: 2,
          dModel: d,
          heads: 4,
          seq: 8,
          vocab: 500,
          norm: 'pre',
          init: 'mup',
          batch: 4,
        }),
      );
      expect(e.stream).toBeLessThan(0.6 / Math.sqrt(d));
    }
  }, 60_000);
});

describe('closed forms of the module notes', () => {
  // Linear branches (no activation, no bias): F(q) = B(q) = c·q with c = d·w·d·w.
  const linearStack = (norm: string, L: number, alpha: number): NetworkConfig => {
    const d = 100;
    const w: LayerSpec = {
      type: 'linear',
      out: d,
      bias: false,
      weightInit: { name: 'normal', std: 0.1 },
    };
    const layers: LayerSpec[] = [];
    for (let l = 0; l < L; l++) {
      if (norm === 'pre')
        layers.push({
          type: 'residual',
          scale: alpha,
          body: [{ type: 'layernorm', eps: 1e-12 }, w],
        });
      else if (norm === 'post')
        layers.push(
          { type: 'residual', scale: alpha, body: [w] },
          { type: 'layernorm', eps: 1e-12 },
        );
      else layers.push({ type: 'residual', scale: alpha, body: [w] });
    }
    return { input: { shape: [d], batch: 2 }, seed: 0, layers };
  };
  // c = d·w = 100·0.01 = 1 per linear layer.

  it('pre-norm: q_l = q_0 + l·α²·c, linear in depth; α = 1/√L keeps q_L = q_0 + c; G·q constant', () => {
    const L = 12;
    const p = residualStreamTheory(linearStack('pre', L, 1));
    p.forEach((x, l) => expect(x.stream).toBeCloseTo(1 + (l + 1), 6));
    const scaled = residualStreamTheory(linearStack('pre', L, 1 / Math.sqrt(L)));
    expect(scaled[L - 1]!.stream).toBeCloseTo(2, 6);
    // Backward: G_{l−1} = G_l·(1 + α²·c·(d − 2)/(d·q_{l−1})), so G·q is constant up to the
    // LayerNorm's (d − 2)/d: within 2L/d here.
    const kept = 98 / 100;
    for (let l = L - 1; l >= 1; l--) {
      expect(p[l - 1]!.grad / p[l]!.grad).toBeCloseTo(1 + kept / p[l - 1]!.stream, 9);
    }
    const gq = p.slice(0, L).map((x) => x.grad * x.stream);
    for (const v of gq) expect(Math.abs(v / gq[L - 1]! - 1)).toBeLessThan((2 * L) / 100);
  });

  it('post-norm: the stream is reset to 1; the gradient is geometric, r = (d − 2)/d here', () => {
    const p = residualStreamTheory(linearStack('post', 6, 1));
    const lns = p.filter((x) => x.type === 'layernorm');
    lns.forEach((x) => expect(x.stream).toBeCloseTo(1, 9));
    for (let i = 0; i + 1 < lns.length; i++)
      expect(lns[i]!.grad / lns[i + 1]!.grad).toBeCloseTo(0.98, 9);
  });

  it('no norm: q_L = q_0·(1 + α²c)^L, bounded by e^c when α² = 1/L', () => {
    const L = 10;
    expect(residualStreamTheory(linearStack('none', L, 1))[L - 1]!.stream).toBeCloseTo(2 ** L, 6);
    const s = residualStreamTheory(linearStack('none', L, 1 / Math.sqrt(L)))[L - 1]!.stream;
    expect(s).toBeCloseTo((1 + 1 / L) ** L, 9);
    expect(s).toBeLessThan(Math.E);
    expect(residualStreamTheory(linearStack('none', L, 1))[0]!.grad).toBeCloseTo(2 ** (L - 1), 6);
  });

  it('attention concentration: uniform weights give π = 1/n; logits spread raise it', () => {
    const flat = new Float64Array(16).fill(0);
    for (let t = 0; t < 4; t++) flat[t * 4 + t] = 1;
    const w0 = attentionWeightMoments(flat, 4, true, 0, 1);
    expect(Array.from(w0.pi)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    const w1 = attentionWeightMoments(flat, 4, false, 0.5, 1);
    expect(w1.lambda[0]).toBeCloseTo(0.25, 12);
    expect(w1.pi[0]).toBeCloseTo(Math.exp(0.25) / (Math.exp(0.25) + 3), 12);
  });

  it('init second moments', () => {
    expect(initSecondMoment({ name: 'torch_default' }, [5, 40])).toBeCloseTo(1 / 120, 15);
    expect(initSecondMoment({ name: 'xavier_uniform' }, [30, 10])).toBeCloseTo(2 / 40, 15);
    expect(initSecondMoment({ name: 'normal', mean: 1, std: 2 }, [3])).toBe(5);
    expect(initSecondMoment({ name: 'kaiming_normal', nonlinearity: 'relu' }, [4, 50])).toBeCloseTo(
      2 / 50,
      12,
    );
    expect(() => initSecondMoment({ name: 'orthogonal' }, [4, 4])).toThrow(/for the theory/);
  });
});
