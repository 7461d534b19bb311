/**
 * The public description of a network as data, and what {@link propagateNetwork} returns.
 *
 * Shapes are per sample (the batch is separate): `[features]`, `[channels, height, width]`, or
 * `[steps, features]` for sequences (and `[steps]` for token ids). Values travel between layers as
 * one row-major Float32Array of batch × size(shape), sample-major, in PyTorch's layouts (NCHW for
 * images, batch-first (N, T, F) for sequences).
 *
 * @module
 */
import type { Activation } from '../activations';
import type { InitSpec } from '../init';
import type { HistogramBins, Summary } from '../stats';

/** How the inputs are drawn: a distribution of real values, or uniform token ids. */
export type NetworkInputInit =
  | {
      /** 'normal' (default), 'uniform' (U(mean ± √3·std)) or 'rademacher' (mean ± std). */
      readonly distribution?: 'normal' | 'uniform' | 'rademacher';
      readonly mean?: number;
      readonly std?: number;
    }
  /** Token ids drawn uniformly from 0 … vocab − 1 (the shape is then `[steps]`). */
  | { readonly tokens: number };

/** The input: its per-sample shape, the batch and how it is drawn. */
export interface NetworkInput {
  readonly shape: readonly number[];
  /** Samples propagated together (or give `batch` on the config). */
  readonly batch?: number;
  /** Default N(0, 1). */
  readonly init?: NetworkInputInit;
}

/** nn.Linear on the last axis: y = x·Wᵀ + b, W of shape (out, in). */
export interface LinearLayer {
  readonly type: 'linear';
  readonly out: number;
  /** Default PyTorch's kaiming_uniform(a = √5), i.e. U(±1/√fan_in). */
  readonly weightInit?: InitSpec;
  /** Default PyTorch's U(±1/√fan_in). */
  readonly biasInit?: InitSpec;
  /** Default true. */
  readonly bias?: boolean;
}

/** nn.Conv2d on `[channels, height, width]`, weight (out, in/groups, k, k). */
export interface Conv2dLayer {
  readonly type: 'conv2d';
  readonly out: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly padding?: number;
  readonly dilation?: number;
  readonly groups?: number;
  readonly weightInit?: InitSpec;
  readonly biasInit?: InitSpec;
  readonly bias?: boolean;
}

/** An elementwise activation (any name `propagate` accepts). */
export interface ActivationLayer {
  readonly type: 'activation';
  /** A built-in name, or an {@link Activation} such as a reader's compiled formula. */
  readonly name: string | Activation;
  /** leaky_relu's slope, elu's α. */
  readonly param?: number;
}

/** nn.LayerNorm / RMSNorm over the last axis, nn.BatchNorm*d in training mode (batch statistics). */
export interface NormLayer {
  readonly type: 'layernorm' | 'rmsnorm' | 'batchnorm';
  /** Default 1e-5 (layernorm, batchnorm) or 2⁻²³ = float32's machine epsilon (rmsnorm, as nn.RMSNorm's eps=None). */
  readonly eps?: number;
  /** Learnable γ (ones) and β (zeros, not for rmsnorm); default true. */
  readonly affine?: boolean;
  /** Initial γ; default 1 (0 gives the zero-γ trick). */
  readonly gamma?: number;
}

/** nn.Embedding: token ids `[steps]` → `[steps, dim]`. */
export interface EmbeddingLayer {
  readonly type: 'embedding';
  readonly vocab: number;
  readonly dim: number;
  /** Default N(0, 1), PyTorch's. */
  readonly init?: InitSpec;
}

/** Multi-head self-attention on `[steps, dModel]`, parameters as nn.MultiheadAttention's. */
export interface AttentionLayer {
  readonly type: 'attention';
  readonly heads: number;
  readonly causal?: boolean;
  /** Logits divided by √d_head ('sqrt', default) or by d_head ('linear', μP). */
  readonly scale?: 'sqrt' | 'linear';
  /** in_proj_weight's init; default xavier_uniform as PyTorch. */
  readonly inInit?: InitSpec;
  /** out_proj.weight's init; default PyTorch's Linear default. */
  readonly outInit?: InitSpec;
  /** Default true (in_proj_bias and out_proj.bias, initialized to zero). */
  readonly bias?: boolean;
}

/** x + scale·body(x); the body must give back x's shape. */
export interface ResidualLayer {
  readonly type: 'residual';
  readonly body: readonly LayerSpec[];
  /** α; default 1. */
  readonly scale?: number;
}

/**
 * An RNN, LSTM or GRU layer over `[steps, features]`, batch-first, returning every step's hidden
 * state. 'tanh' and 'relu' are nn.RNN's two nonlinearities.
 */
export interface RecurrentLayer {
  readonly type: 'recurrent';
  readonly cell: 'tanh' | 'relu' | 'lstm' | 'gru';
  readonly hidden: number;
  /** weight_ih's init; default U(±1/√hidden) as PyTorch. */
  readonly weightInit?: InitSpec;
  /** weight_hh's init; default U(±1/√hidden) as PyTorch. */
  readonly recurrentInit?: InitSpec;
  /** Biases' init; default U(±1/√hidden). */
  readonly biasInit?: InitSpec;
  /** LSTM only: the forget gate's bias_ih slice set to this value after the draw (bias_hh's to 0). */
  readonly forgetBias?: number;
  readonly bias?: boolean;
}

/** nn.Flatten: any shape → `[size]`. */
export interface FlattenLayer {
  readonly type: 'flatten';
}

/** nn.AvgPool2d / nn.MaxPool2d with stride = kernel on `[channels, height, width]`. */
export interface PoolLayer {
  readonly type: 'pool';
  readonly kind: 'avg' | 'max';
  readonly kernel: number;
  /** Default = kernel. */
  readonly stride?: number;
}

/** Any layer of a network description. */
export type LayerSpec =
  | LinearLayer
  | Conv2dLayer
  | ActivationLayer
  | NormLayer
  | EmbeddingLayer
  | AttentionLayer
  | ResidualLayer
  | RecurrentLayer
  | FlattenLayer
  | PoolLayer;

/** Everything {@link propagateNetwork} needs. */
export interface NetworkConfig {
  readonly input: NetworkInput;
  readonly layers: readonly LayerSpec[];
  /** Seed of the single random stream: parameters in layer order (PyTorch's creation order), then inputs. */
  readonly seed: number;
  /** Samples; alternatively `input.batch`. */
  readonly batch?: number;
  /** Also run the backward pass; default false. */
  readonly backward?: boolean;
  /**
   * Loss for the backward pass, divided by the batch: 'readout' (default; a random N(0, 1) readout
   * of the flattened output, independent of the network), 'sum', 'mse' (N(0, 1) targets), or
   * 'cross_entropy' (the output's last axis as logits over classes, uniform random labels, one per
   * row of the last axis).
   */
  readonly loss?: 'readout' | 'sum' | 'mse' | 'cross_entropy';
  /** 'full' (default: histograms and quantiles) or 'moments'. */
  readonly summaries?: 'full' | 'moments';
  /**
   * The random stream: 'initbook' (default, the engine's own) or 'torch', PyTorch's CPU stream
   * after `torch.manual_seed(seed)`: the parameters are then drawn as PyTorch builds the modules
   * and re-initializes them (`drawParameters(…, 'torch')`), and the inputs as `torch.randn` (or
   * `torch.randint` for token ids) after them, so each tensor is PyTorch's, bit for bit.
   */
  readonly stream?: 'initbook' | 'torch';
  /** With `stream: 'torch'`: the PyTorch CPU build to reproduce, 'avx2' (default) or 'default'. */
  readonly normalKernel?: 'avx2' | 'default';
  readonly histogramBins?: HistogramBins;
  readonly quantiles?: readonly number[];
}

/** One parameter tensor of a layer, with its statistics. */
export interface ParameterResult {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Summary;
  readonly grad?: Summary;
  /** ‖∂L/∂θ‖_F / ‖θ‖_F (Infinity for a zero tensor with a gradient). */
  readonly ratio?: number;
}

/** Per-step statistics of a recurrent layer (index = time step). */
export interface RecurrentSteps {
  readonly hidden: Summary[];
  /** ∂L/∂h_t: the total gradient reaching step t's hidden state (present with `backward`). */
  readonly gradHidden?: Summary[];
}

/** One layer of the description, in order; a residual's body follows it, with paths "3.body.0" …. */
export interface NetworkLayerResult {
  /** "3", "3.body.1": indices into the description. */
  readonly path: string;
  readonly type: LayerSpec['type'];
  /** Per-sample output shape. */
  readonly shape: readonly number[];
  readonly output: Summary;
  readonly gradOutput?: Summary;
  /** The layer's main weight (e.g. `weight`, `in_proj_weight`, `weight_hh`); absent without parameters. */
  readonly weight?: Summary;
  readonly gradWeight?: Summary;
  readonly gradWeightRatio?: number;
  /** Every parameter, in PyTorch's creation order. */
  readonly parameters?: readonly ParameterResult[];
  readonly steps?: RecurrentSteps;
  /** Attention: mean entropy (nats) of the attention weights over batch, heads and queries. */
  readonly attentionEntropy?: number;
}

/** Result of {@link propagateNetwork}. */
export interface NetworkResult {
  readonly input: Summary;
  readonly inputShape: readonly number[];
  readonly layers: NetworkLayerResult[];
  /** Parameters in total. */
  readonly parameterCount: number;
  readonly loss?: number;
  /** Non-finite entries over every layer's output. */
  readonly nonFinite: number;
}
