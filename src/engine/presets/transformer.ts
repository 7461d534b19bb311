/**
 * The `transformer` preset: a GPT-style stack of attention and MLP blocks as a plain
 * {@link NetworkConfig} for {@link propagateNetwork}.
 *
 * Layout (d = dModel, L = layers, m = mlpRatio):
 * - input: token ids `[seq]` → `embedding(vocab, d)` when `vocab` is given, else real N(0, 1)
 *   vectors `[seq, d]`; no positional embedding (the engine has none yet);
 * - each block: `residual{attention}` then `residual{linear m·d, gelu, linear d}`, with LayerNorm
 *   placed by `norm`: 'pre' inside each residual before its branch (GPT-2, Radford et al. 2019,
 *   "Language Models are Unsupervised Multitask Learners") plus a final LayerNorm after the last
 *   block; 'post' after each residual sum (Vaswani et al. 2017, "Attention Is All You Need");
 *   'none' nowhere;
 * - readout: `linear(vocab, bias: false)` when `vocab` is given (GPT-2's untied equivalent).
 * `residualScale` is every residual's α (x + α·branch(x)).
 *
 * Initializations (`init`):
 * - 'torch': PyTorch's defaults everywhere (nn.Embedding N(0, 1), nn.MultiheadAttention,
 *   nn.Linear U(±1/√fan_in) with its bias, LayerNorm ones/zeros).
 * - 'gpt2': every Linear and Embedding weight N(0, 0.02²) (in_proj_weight too; the 0.02 of GPT-1,
 *   Radford et al. 2018, "Improving Language Understanding by Generative Pre-Training", kept by
 *   GPT-2), every bias 0, and the residual projections (attention's out_proj and the MLP's second
 *   linear) scaled by 1/√N for N = 2L residual layers, N(0, (0.02/√(2L))²) (Radford et al. 2019,
 *   "Language Models are Unsupervised Multitask Learners", §2.3).
 * - 'mup': μP after Yang et al. 2022 ("Tensor Programs V: Tuning Large Neural Networks via
 *   Zero-Shot Hyperparameter Transfer", Table 3 and its transformer notes). The table we
 *   implement: embedding N(0, 1) (input weights: fan_in is the vocabulary, not the width, so
 *   their variance does not shrink with d); hidden weights N(0, 1/fan_in): in_proj_weight and
 *   out_proj N(0, 1/d), first MLP linear N(0, 1/d), second N(0, 1/(m·d)); all biases 0; the
 *   readout zero (the paper's recommended zero initialization of the output layer, the limit of
 *   its 1/fan_in² variance); attention logits scaled by 1/d_head (`scale: 'linear'`). Learning
 *   rate scalings are training's business, not the initializer's.
 *
 * @module
 */
import type { InitSpec } from '../init';
import { EngineInputError, finiteNumber, oneOf, positiveInt } from '../validate';
import type { LayerSpec, NetworkConfig } from '../network/types';

/** Options of {@link transformer}. */
export interface TransformerOptions {
  /** Blocks L (each an attention and an MLP residual). */
  readonly layers: number;
  readonly dModel: number;
  readonly heads: number;
  /** Sequence length (steps). */
  readonly seq: number;
  /** Token vocabulary: adds the embedding and the readout; omitted = real `[seq, dModel]` input. */
  readonly vocab?: number;
  readonly norm: 'pre' | 'post' | 'none';
  readonly init: 'torch' | 'gpt2' | 'mup';
  /** α of every residual; default 1. */
  readonly residualScale?: number;
  /** Default 8. */
  readonly batch?: number;
  /** MLP hidden width / dModel; default 4. */
  readonly mlpRatio?: number;
  /** Causal attention mask; default true. */
  readonly causal?: boolean;
  /** Default 0. */
  readonly seed?: number;
}

const normal = (std: number): InitSpec => ({ name: 'normal', mean: 0, std });
const ZEROS: InitSpec = { name: 'zeros' };

/** The weights of one kind of layer, by `init` (undefined = PyTorch's default). */
interface Table {
  readonly embedding?: InitSpec;
  readonly inProj?: InitSpec;
  readonly outProj?: InitSpec;
  readonly fc1?: InitSpec;
  readonly fc2?: InitSpec;
  readonly readout?: InitSpec;
  readonly bias?: InitSpec;
}

function table(init: TransformerOptions['init'], L: number, d: number, m: number): Table {
  if (init === 'gpt2') {
    const res = normal(0.02 / Math.sqrt(2 * L));
    const w = normal(0.02);
    return { embedding: w, inProj: w, outProj: res, fc1: w, fc2: res, readout: w, bias: ZEROS };
  }
  if (init === 'mup') {
    const hidden = normal(1 / Math.sqrt(d));
    return {
      embedding: normal(1),
      inProj: hidden,
      outProj: hidden,
      fc1: hidden,
      fc2: normal(1 / Math.sqrt(m * d)),
      readout: ZEROS,
      bias: ZEROS,
    };
  }
  return {};
}

const linear = (out: number, w?: InitSpec, b?: InitSpec, bias = true): LayerSpec => ({
  type: 'linear',
  out,
  ...(w === undefined ? {} : { weightInit: w }),
  ...(b === undefined || !bias ? {} : { biasInit: b }),
  ...(bias ? {} : { bias: false }),
});

/**
 * A transformer as a network description (see the module notes for layout and initializations).
 * @throws EngineInputError for a bad option (dModel not divisible by heads is reported by the
 *   attention layer when the network is built)
 */
export function transformer(o: TransformerOptions): NetworkConfig {
  const L = positiveInt('layers', o.layers, 1024);
  const d = positiveInt('dModel', o.dModel, 1 << 16);
  const heads = positiveInt('heads', o.heads, d);
  const seq = positiveInt('seq', o.seq, 1 << 16);
  const vocab = o.vocab === undefined ? undefined : positiveInt('vocab', o.vocab, 1 << 24);
  const norm = oneOf('norm', o.norm, ['pre', 'post', 'none']);
  const init = oneOf('init', o.init, ['torch', 'gpt2', 'mup']);
  const alpha = finiteNumber('residualScale', o.residualScale ?? 1);
  const m = positiveInt('mlpRatio', o.mlpRatio ?? 4, 64);
  const causal = o.causal ?? true;
  if (typeof causal !== 'boolean') throw new EngineInputError('causal', causal, 'true or false');
  const t = table(init, L, d, m);
  const attention: LayerSpec = {
    type: 'attention',
    heads,
    causal,
    scale: init === 'mup' ? 'linear' : 'sqrt',
    ...(t.inProj === undefined ? {} : { inInit: t.inProj }),
    ...(t.outProj === undefined ? {} : { outInit: t.outProj }),
  };
  const mlp: LayerSpec[] = [
    linear(m * d, t.fc1, t.bias),
    { type: 'activation', name: 'gelu' },
    linear(d, t.fc2, t.bias),
  ];
  const ln: LayerSpec = { type: 'layernorm' };
  const residual = (body: LayerSpec[]): LayerSpec => ({ type: 'residual', scale: alpha, body });
  const layers: LayerSpec[] = [];
  if (vocab !== undefined) {
    layers.push({
      type: 'embedding',
      vocab,
      dim: d,
      ...(t.embedding === undefined ? {} : { init: t.embedding }),
    });
  }
  for (let l = 0; l < L; l++) {
    if (norm === 'pre') layers.push(residual([ln, attention]), residual([ln, ...mlp]));
    else if (norm === 'post') layers.push(residual([attention]), ln, residual(mlp), ln);
    else layers.push(residual([attention]), residual(mlp));
  }
  if (norm === 'pre') layers.push(ln);
  if (vocab !== undefined) layers.push(linear(vocab, t.readout, undefined, false));
  return {
    input:
      vocab === undefined
        ? { shape: [seq, d], batch: o.batch ?? 8 }
        : { shape: [seq], batch: o.batch ?? 8, init: { tokens: vocab } },
    layers,
    seed: o.seed ?? 0,
  };
}
