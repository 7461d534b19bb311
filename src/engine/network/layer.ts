/**
 * What every layer type implements: its parameters (declared in PyTorch's creation order, drawn by
 * the runner), its forward pass and its backward pass, all over plain row-major Float32Arrays of
 * batch × size(shape). One implementation per layer type, used by propagation and by training.
 *
 * A layer holds no state between calls: whatever its backward pass needs from the forward pass
 * travels in the `cache` it returns.
 *
 * @module
 */
import { initTensor, type InitContext, type InitSpec } from '../init';
import type { Kernels } from '../kernels';
import { createRng } from '../rng';
import { EngineInputError } from '../validate';
import type { LayerSpec } from './types';

/** A per-sample shape: `[features]`, `[channels, height, width]`, `[steps, features]` or `[steps]`. */
export type Shape = readonly number[];

/** One parameter tensor a layer declares; the runner draws it, in declaration order. */
export interface ParamDecl {
  /** PyTorch's name, e.g. 'weight', 'bias', 'in_proj_weight', 'weight_hh_l0'. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: InitSpec;
  readonly context?: InitContext;
  /** Applied in place after the draw (e.g. an LSTM's forget-gate bias); the stream is unchanged. */
  readonly after?: (data: Float32Array) => void;
  /** The tensor reported as the layer's `weight`. */
  readonly main?: boolean;
  /**
   * What PyTorch's module constructor draws for this tensor when the description chose another
   * `init` (absent when `init` is the constructor's own). Replaying PyTorch's stream (draw order
   * 'torch') draws this first, with every other constructor draw, and `init` afterwards.
   */
  readonly torchDefault?: InitSpec;
}

/** What a forward or backward call may use: the dense kernels and the batch. */
export interface RunContext {
  readonly kernels: Kernels;
  readonly batch: number;
  /** Whether a backward pass follows (layers keep what it needs in their cache only then). */
  readonly backward: boolean;
}

/** Extra per-layer statistics a layer reports as plain arrays (the runner summarises them). */
export interface LayerExtras {
  /** Recurrent: the hidden state at every step, each batch × hidden. */
  readonly steps?: readonly Float32Array[];
  /** Attention: mean entropy of the attention weights (nats). */
  readonly attentionEntropy?: number;
}

export interface ForwardResult {
  readonly y: Float32Array;
  readonly cache?: unknown;
  readonly extras?: LayerExtras;
}

export interface BackwardResult {
  /** ∂L/∂x, or null where the input carries no gradient (token ids). */
  readonly gx: Float32Array | null;
  /** ∂L/∂θ for each declared parameter, in declaration order. */
  readonly grads: readonly Float32Array[];
  /** Recurrent: ∂L/∂h_t at every step, each batch × hidden. */
  readonly stepGrads?: readonly Float32Array[];
  /** Anything else a layer's own caller reads (e.g. the fused dense layer's moments). */
  readonly detail?: unknown;
}

/** A layer with parameters and a forward/backward pass. */
export interface Leaf {
  readonly kind: 'leaf';
  readonly path: string;
  readonly type: LayerSpec['type'];
  readonly inShape: Shape;
  readonly outShape: Shape;
  readonly params: readonly ParamDecl[];
  /** Embedding: the vocabulary; the layer then reads token ids and must come first (build checks). */
  readonly tokenVocab?: number;
  /** Saturation rule for the output's statistics (the activation's, else none). */
  readonly saturation?: 'tanh' | 'sigmoid' | 'none';
  /**
   * Whether `backward` takes a residual's scale itself (gy then stands for scale·gy, folded into
   * the layer's own arithmetic); otherwise the runner scales gy first and passes 1.
   */
  readonly takesScale?: boolean;
  /** Float32 entries the layer allocates for a batch (outputs, caches, workspace), for the budget. */
  cost(batch: number): number;
  forward(x: Float32Array, params: readonly Float32Array[], ctx: RunContext): ForwardResult;
  backward(
    gy: Float32Array,
    x: Float32Array,
    y: Float32Array,
    cache: unknown,
    params: readonly Float32Array[],
    ctx: RunContext,
    scale?: number,
  ): BackwardResult;
}

/** x + scale·body(x). */
export interface Residual {
  readonly kind: 'residual';
  readonly path: string;
  readonly type: 'residual';
  readonly inShape: Shape;
  readonly outShape: Shape;
  readonly scale: number;
  readonly body: readonly Node[];
}

export type Node = Leaf | Residual;

/** Builds the nodes of a list of layer descriptions, chaining shapes (for residual bodies). */
export type BuildList = (specs: unknown, inShape: Shape, path: string) => Node[];

/** Turns one layer description into a node, or throws a {@link layerError}. */
export type Builder = (
  spec: Record<string, unknown>,
  inShape: Shape,
  path: string,
  list: BuildList,
) => Node;

/** Number of entries of a shape. */
export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/**
 * An input error that names the layer's path and field: `layers.3.body.1.kernel must be …`.
 * @param path - the layer's path ("3.body.1"); the field is appended when given
 */
export function layerError(
  path: string,
  field: string | null,
  received: unknown,
  allowed: string,
): EngineInputError {
  const at = field === null ? `layers.${path}` : `layers.${path}.${field}`;
  return new EngineInputError(at, received, allowed);
}

/** A positive integer field of a layer (at most `max`). */
export function intField(
  spec: Record<string, unknown>,
  path: string,
  field: string,
  fallback?: number,
  min = 1,
  max = 2 ** 24,
): number {
  const v = spec[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw layerError(path, field, spec[field], `an integer from ${min} to ${max}`);
  }
  return v;
}

/** A finite number field of a layer. */
export function numberField(
  spec: Record<string, unknown>,
  path: string,
  field: string,
  fallback: number,
): number {
  const v = spec[field] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw layerError(path, field, spec[field], 'a finite number');
  }
  return v;
}

/** A boolean field of a layer. */
export function boolField(
  spec: Record<string, unknown>,
  path: string,
  field: string,
  fallback: boolean,
): boolean {
  const v = spec[field] ?? fallback;
  if (typeof v !== 'boolean') throw layerError(path, field, spec[field], 'true or false');
  return v;
}

/** One of a list of strings. */
export function choiceField<const T extends string>(
  spec: Record<string, unknown>,
  path: string,
  field: string,
  allowed: readonly T[],
  fallback?: T,
): T {
  const v = spec[field] ?? fallback;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw layerError(path, field, spec[field], `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return v as T;
}

/** Requires the input shape to have `rank` axes (the sentence says what the layer expects). */
export function expectRank(
  path: string,
  type: string,
  inShape: Shape,
  ranks: readonly number[],
  expected: string,
): void {
  if (!ranks.includes(inShape.length)) {
    throw layerError(
      path,
      null,
      `input of shape [${inShape.join(', ')}]`,
      `${expected} for ${type}`,
    );
  }
}

/**
 * An initializer field, dry-run on a small tensor of the same rank so that a bad spec is reported
 * with the layer's path before anything is drawn.
 */
export function initField(
  spec: Record<string, unknown>,
  path: string,
  field: string,
  fallback: InitSpec,
  shape: readonly number[],
  context?: InitContext,
): InitSpec {
  const v = (spec[field] ?? fallback) as InitSpec;
  if (typeof v !== 'object' || v === null) {
    throw layerError(path, field, spec[field], 'an InitSpec such as { name: "normal", std: 0.02 }');
  }
  try {
    initTensor(
      shape.map((d) => Math.min(d, 2)),
      v,
      createRng(0),
      context,
    );
  } catch (e) {
    if (!(e instanceof EngineInputError)) throw e;
    const inner = e.param === 'init' ? '' : `.${e.param}`;
    throw layerError(path, `${field}${inner}`, e.received, e.allowed);
  }
  return v;
}

/**
 * {@link initField} as the fields of a {@link ParamDecl}: `init`, plus `torchDefault` (the
 * fallback, which is what PyTorch's constructor draws) when the description chose another.
 */
export function initFields(
  spec: Record<string, unknown>,
  path: string,
  field: string,
  fallback: InitSpec,
  shape: readonly number[],
  context?: InitContext,
): { readonly init: InitSpec; readonly torchDefault?: InitSpec } {
  const init = initField(spec, path, field, fallback, shape, context);
  return spec[field] === undefined ? { init } : { init, torchDefault: fallback };
}
