/**
 * Activation functions φ and their derivatives φ′, as scalars and as loops over Float32Arrays.
 *
 * Every activation is a plain {@link Activation} record, so a user-compiled function (a later
 * feature) fits the same slot: {@link defineActivation} builds the array loops from `f` and `df`.
 * Derivatives at a kink follow PyTorch's autograd (relu′(0) = 0, leaky_relu′(0) = slope,
 * elu′(0) = α·e⁰ = α). GELU uses the exact erf form, with erf/erfc from `special.ts` (fdlibm).
 *
 * @module
 */

import { erfc } from './special';
import { EngineInputError, finiteNumber } from './validate';

/** One activation function φ with its derivative φ′. */
export interface Activation {
  /** Registry name, e.g. `'relu'`, or the user's name for a custom activation. */
  readonly name: string;
  /** The parameter in use (leaky_relu's slope, elu's α); absent when there is none. */
  readonly param?: number;
  /** φ(x). */
  readonly f: (x: number) => number;
  /** φ′(x), the derivative autograd would use (one-sided at kinks, as in PyTorch). */
  readonly df: (x: number) => number;
  /** Points where φ or φ′ is not smooth; quadrature splits the real line there. */
  readonly kinks: readonly number[];
  /** Whether PyTorch's `torch.nn.init.calculate_gain` accepts this name. */
  readonly torchGain: boolean;
  /** Saturating range for statistics: `'tanh'`, `'sigmoid'` or none. */
  readonly saturation: 'tanh' | 'sigmoid' | 'none';
  /** dst[i] = φ(src[i]) for i < n; `dst` may be `src` (in place). */
  readonly apply: (src: Float32Array, dst: Float32Array, n: number) => void;
  /** dst[i] = φ′(src[i]) for i < n; `dst` may be `src` (in place). */
  readonly applyDerivative: (src: Float32Array, dst: Float32Array, n: number) => void;
}

/** Names of the built-in activations, in the order the chapters introduce them. */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'leaky_relu',
  'tanh',
  'sigmoid',
  'selu',
  'elu',
  'gelu',
  'silu',
  'softplus',
] as const;

/** A built-in activation name. */
export type ActivationName = (typeof ACTIVATIONS)[number];

/** SELU constants, as in PyTorch (Klambauer et al. 2017). */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
/** SELU scale λ, as in PyTorch. */
export const SELU_SCALE = 1.0507009873554804934193349852946;

const SQRT1_2PI = 0.3989422804014327; // 1/√(2π)
/** Standard normal CDF Φ(x) = erfc(−x/√2)/2, accurate in the far left tail. */
export function normalCdf(x: number): number {
  return erfc(-x * Math.SQRT1_2) / 2;
}

/** Numerically stable logistic σ(x) = 1/(1 + e^(−x)). */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Builds an {@link Activation} from scalar `f` and `df`; the array loops call them per element.
 * This is the entry point for custom activations.
 */
export function defineActivation(spec: {
  name: string;
  f: (x: number) => number;
  df: (x: number) => number;
  kinks?: readonly number[];
  param?: number;
  torchGain?: boolean;
  saturation?: 'tanh' | 'sigmoid' | 'none';
}): Activation {
  const { f, df } = spec;
  const base = {
    name: spec.name,
    f,
    df,
    kinks: spec.kinks ?? [],
    torchGain: spec.torchGain ?? false,
    saturation: spec.saturation ?? 'none',
    apply(src: Float32Array, dst: Float32Array, n: number) {
      for (let i = 0; i < n; i++) dst[i] = f(src[i]!);
    },
    applyDerivative(src: Float32Array, dst: Float32Array, n: number) {
      for (let i = 0; i < n; i++) dst[i] = df(src[i]!);
    },
  };
  return spec.param === undefined ? base : { ...base, param: spec.param };
}

/** Scalar definitions; `p` is the activation parameter (already defaulted). */
function builtin(name: ActivationName, p: number): Activation {
  switch (name) {
    case 'linear':
      return defineActivation({ name, f: (x) => x, df: () => 1, torchGain: true });
    case 'relu':
      return defineActivation({
        name,
        // NaN stays NaN, as in PyTorch (a NaN must not be hidden as a zero).
        f: (x) => (x > 0 || Number.isNaN(x) ? x : 0),
        df: (x) => (x > 0 ? 1 : 0),
        kinks: [0],
        torchGain: true,
      });
    case 'leaky_relu':
      return defineActivation({
        name,
        param: p,
        f: (x) => (x > 0 ? x : p * x),
        df: (x) => (x > 0 ? 1 : p),
        kinks: [0],
        torchGain: true,
      });
    case 'tanh':
      return defineActivation({
        name,
        f: Math.tanh,
        df: (x) => {
          const t = Math.tanh(x);
          return 1 - t * t;
        },
        torchGain: true,
        saturation: 'tanh',
      });
    case 'sigmoid':
      return defineActivation({
        name,
        f: sigmoid,
        df: (x) => {
          const s = sigmoid(x);
          return s * (1 - s);
        },
        torchGain: true,
        saturation: 'sigmoid',
      });
    case 'selu':
    case 'elu': {
      // elu(x) = x for x > 0, α(eˣ − 1) otherwise; selu = λ·elu with PyTorch's α.
      const a = name === 'selu' ? SELU_ALPHA : p;
      const s = name === 'selu' ? SELU_SCALE : 1;
      return defineActivation({
        name,
        ...(name === 'elu' ? { param: p } : {}),
        f: (x) => (x > 0 ? s * x : s * a * Math.expm1(x)),
        df: (x) => (x > 0 ? s : s * a * Math.exp(x)),
        kinks: [0],
        torchGain: name === 'selu',
      });
    }
    case 'gelu':
      // Exact GELU: x·Φ(x); derivative Φ(x) + x·ϕ(x) with ϕ the normal density.
      return defineActivation({
        name,
        f: (x) => x * normalCdf(x),
        df: (x) => normalCdf(x) + x * SQRT1_2PI * Math.exp(-0.5 * x * x),
      });
    case 'silu':
      // x·σ(x); derivative σ(x)(1 + x(1 − σ(x))).
      return defineActivation({
        name,
        f: (x) => x * sigmoid(x),
        df: (x) => {
          const s = sigmoid(x);
          return s * (1 + x * (1 - s));
        },
      });
    case 'softplus':
      // log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)) never overflows; derivative σ(x).
      return defineActivation({
        name,
        f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
        df: sigmoid,
      });
  }
}

/** Specialised in-place loops for the hot activations (no per-element closure call). */
function withFastLoops(a: Activation): Activation {
  if (a.name === 'relu') {
    return {
      ...a,
      apply(src, dst, n) {
        for (let i = 0; i < n; i++) {
          const x = src[i]!;
          dst[i] = x > 0 || x !== x ? x : 0;
        }
      },
      applyDerivative(src, dst, n) {
        for (let i = 0; i < n; i++) dst[i] = src[i]! > 0 ? 1 : 0;
      },
    };
  }
  if (a.name === 'tanh') {
    return {
      ...a,
      apply(src, dst, n) {
        for (let i = 0; i < n; i++) dst[i] = Math.tanh(src[i]!);
      },
    };
  }
  if (a.name === 'linear') {
    return {
      ...a,
      apply(src, dst, n) {
        if (src !== dst) dst.set(src.subarray(0, n));
      },
      applyDerivative(_src, dst, n) {
        dst.fill(1, 0, n);
      },
    };
  }
  return a;
}

/** The records {@link activation} made: only these may be run by name by faster kernels. */
const BUILT_INS = new WeakSet<Activation>();

/**
 * Looks up a built-in activation.
 * @param name - one of {@link ACTIVATIONS}
 * @param param - leaky_relu's negative slope (default 0.01) or elu's α (default 1); ignored by
 *   the others
 * @throws EngineInputError for an unknown name or a non-finite parameter
 */
export function activation(name: string, param?: number): Activation {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new EngineInputError(
      'activation',
      name,
      `one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`,
    );
  }
  const n = name as ActivationName;
  let p = 0;
  if (n === 'leaky_relu' || n === 'elu') {
    p = param === undefined ? (n === 'elu' ? 1 : 0.01) : finiteNumber('activationParam', param);
  }
  const a = withFastLoops(builtin(n, p));
  BUILT_INS.add(a);
  return a;
}

/**
 * Whether `a` is a built-in activation as {@link activation} made it (not a reader's formula that
 * happens to share a name): faster kernels (WebAssembly) run only these by name.
 */
export function isBuiltInActivation(a: Activation): boolean {
  return BUILT_INS.has(a);
}

/**
 * An activation given by name (with its parameter) or as an {@link Activation} record, such as a
 * reader's compiled formula from {@link defineActivation}.
 * @throws EngineInputError for an unknown name, or a record without `f` and `df` functions
 */
export function resolveActivation(value: unknown, param?: number): Activation {
  if (typeof value === 'string') return activation(value, param);
  const a = value as Partial<Activation> | null;
  if (
    typeof a === 'object' &&
    a !== null &&
    typeof a.f === 'function' &&
    typeof a.df === 'function' &&
    typeof a.apply === 'function' &&
    Array.isArray(a.kinks)
  ) {
    return a as Activation;
  }
  throw new EngineInputError('activation', value, 'an activation name or an Activation record');
}
