/**
 * The declarative initializer types (what `initTensor` accepts), in a module of their own so that
 * the recipes and the public functions share them without importing each other.
 *
 * @module
 */
import type { Nonlinearity } from './fans';

/** Which fan Kaiming initialization preserves: forward activations or backward gradients. */
export type FanMode = 'fan_in' | 'fan_out';
/** Fan used by variance scaling; `fan_avg` is (fanIn + fanOut) / 2. */
export type VarianceScalingMode = FanMode | 'fan_avg';
/**
 * Variance-scaling distribution. `'normal'` is an alias of `'untruncated_normal'`, as in
 * `jax.nn.initializers.variance_scaling` and Keras' backward-compatible reading.
 */
export type VarianceScalingDistribution =
  'truncated_normal' | 'untruncated_normal' | 'normal' | 'uniform';

/**
 * A declarative initializer, named as in torch.nn.init (plus JAX/Keras variance scaling).
 * Defaults are PyTorch's; see each member.
 */
export type InitSpec =
  /** U(a, b); defaults a = 0, b = 1. */
  | { name: 'uniform'; a?: number | undefined; b?: number | undefined }
  /** N(mean, std²); defaults 0, 1. */
  | { name: 'normal'; mean?: number | undefined; std?: number | undefined }
  /** N(mean, std²) truncated to the absolute bounds [a, b]; defaults 0, 1, −2, 2. */
  | {
      name: 'trunc_normal';
      mean?: number | undefined;
      std?: number | undefined;
      a?: number | undefined;
      b?: number | undefined;
    }
  /** Every entry equal to `value`. */
  | { name: 'constant'; value: number }
  | { name: 'zeros' }
  | { name: 'ones' }
  /** Identity matrix pattern (2-D shapes only). */
  | { name: 'eye' }
  /** Dirac delta for 3/4/5-D conv weights; `groups` (default 1) must divide shape[0]. */
  | { name: 'dirac'; groups?: number | undefined }
  /** U(±√3·std) with std = gain·√(2 / (fanIn + fanOut)); gain default 1. */
  | { name: 'xavier_uniform'; gain?: number | undefined }
  /** N(0, std²) with std = gain·√(2 / (fanIn + fanOut)); gain default 1. */
  | { name: 'xavier_normal'; gain?: number | undefined }
  /** U(±√3·std), std = calculateGain(nonlinearity, a)/√fan; defaults a = 0, 'fan_in', 'leaky_relu'. */
  | KaimingSpec<'kaiming_uniform'>
  /** N(0, std²), std = calculateGain(nonlinearity, a)/√fan; same defaults as kaiming_uniform. */
  | KaimingSpec<'kaiming_normal'>
  /** Random (semi-)orthogonal matrix over shape[0] × (numel / shape[0]), times gain (default 1). */
  | { name: 'orthogonal'; gain?: number | undefined }
  /** 2-D only: N(0, std²) (std default 0.01), then ⌈sparsity·rows⌉ zeros in every column. */
  | { name: 'sparse'; sparsity: number; std?: number | undefined }
  /**
   * nn.Linear / nn.Conv*d defaults: U(±1/√fanIn). For a weight this is kaiming_uniform with
   * a = √5; for a 1-D bias, fanIn (of the layer's weight) must be given in `context.fanIn`.
   */
  | { name: 'torch_default' }
  /** JAX/Keras VarianceScaling; defaults scale 1, 'fan_in', 'truncated_normal'. */
  | {
      name: 'variance_scaling';
      scale?: number | undefined;
      mode?: VarianceScalingMode | undefined;
      distribution?: VarianceScalingDistribution | undefined;
    }
  /** Flax's default: variance_scaling(1, 'fan_in', 'truncated_normal'). */
  | { name: 'lecun_normal' };

/** The Kaiming (He) initializers' fields. */
export interface KaimingSpec<N extends 'kaiming_uniform' | 'kaiming_normal'> {
  name: N;
  /** Negative slope of the leaky ReLU that follows (only used with 'leaky_relu'); default 0. */
  a?: number | undefined;
  /** Default 'fan_in'. */
  mode?: FanMode | undefined;
  /** Default 'leaky_relu' (with a = 0 that is ReLU's gain √2). */
  nonlinearity?: Nonlinearity | undefined;
}

/** Any initializer name. */
export type InitName = InitSpec['name'];

/** Extra facts an initializer may need beyond the shape. */
export interface InitContext {
  /** Fan-in of the layer's weight; required by `torch_default` for a 1-D (bias) shape. */
  fanIn?: number | undefined;
}

/**
 * The distribution (or pattern) an {@link InitSpec} draws a tensor of `shape` from, every
 * parameter checked and every scale worked out: what `fillInit` (init-recipes.ts) samples, and what
 * `initVariance` (init-variance.ts) reads the predicted variance from, so both come from this one
 * piece of arithmetic.
 */
export type InitLaw =
  /** U(low, high), every entry independent; `variance` (high − low)²/12, as the rule states it. */
  | {
      readonly kind: 'uniform';
      readonly low: number;
      readonly high: number;
      readonly variance: number;
    }
  /** N(mean, std²), every entry independent; `variance` std², as the rule states it. */
  | {
      readonly kind: 'normal';
      readonly mean: number;
      readonly std: number;
      readonly variance: number;
    }
  /** N(mean, std²) cut to the absolute bounds [low, high], independent; `variance` after the cut. */
  | {
      readonly kind: 'truncated';
      readonly mean: number;
      readonly std: number;
      readonly low: number;
      readonly high: number;
      readonly variance: number;
    }
  /** Every entry `value`. */
  | { readonly kind: 'constant'; readonly value: number }
  /** The identity pattern of a rows × cols matrix. */
  | { readonly kind: 'eye'; readonly rows: number; readonly cols: number }
  /** PyTorch's Dirac delta of a conv weight, in `groups` groups. */
  | { readonly kind: 'dirac'; readonly groups: number }
  /** A random (semi-)orthogonal rows × cols matrix, times gain. */
  | {
      readonly kind: 'orthogonal';
      readonly rows: number;
      readonly cols: number;
      readonly gain: number;
    }
  /** N(0, std²), then `zeros` entries of every column of a rows × cols matrix set to 0. */
  | {
      readonly kind: 'sparse';
      readonly std: number;
      readonly rows: number;
      readonly cols: number;
      readonly zeros: number;
    };
