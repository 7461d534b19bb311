/**
 * A `propagate` run split across workers: each computes one block of rows of the batch
 * ({@link propagatePart}: the same seeded draws, then only its rows) and the blocks merge into what
 * one run would have given ({@link mergePropagateParts}). Pure functions: which worker runs which
 * part is the worker's business (`src/worker/split.ts`).
 *
 * @module
 */
import { createKernels } from '../backend';
import type { DenseCache, DenseDetail } from '../network/layers/dense';
import { lossAndGradient } from '../network/loss';
import { sumSquares, weightRatio } from '../network/norms';
import { backwardSteps, forwardSteps, runContext } from '../network/run';
import type { RawMoments } from '../raw-moments';
import { mergeMoments, rowMoments, rowsWithFinite, type RowMoments } from '../row-moments';
import { summarize, summaryFromMoments } from '../stats';
import { EngineInputError, inRange, positiveInt } from '../validate';
import {
  checkBudget,
  validate,
  type LayerResult,
  type Plan,
  type PropagateConfig,
  type PropagateProgress,
  type PropagateResult,
} from './config';
import { buildStack, drawStack, withProgress } from './stack';

/** Part `index` (0-based) of a batch split into `of` contiguous blocks of rows, near-equal in size. */
export interface BatchPart {
  readonly index: number;
  readonly of: number;
}

/** One layer of a {@link PropagatePart}: mergeable moments, and the part's own dW and db sums. */
export interface LayerPart {
  readonly pre: RowMoments;
  readonly post: RowMoments;
  readonly weightMeanSquare: number;
  /** ‖W_l‖²_F (the same in every part). */
  readonly weightSquares: number;
  readonly gradPre?: RowMoments;
  readonly gradPost?: RowMoments;
  /** Σ over this part's rows of gPreᵀ·h^{l−1} (n_l × n_{l−1}): the parts add up to ∂L/∂W_l. */
  readonly gradWeight?: Float32Array;
  /** Σ over this part's rows of gPre (n_l): the parts add up to ∂L/∂b_l. */
  readonly gradBias?: Float32Array;
}

/** What one part of a split batch computes: {@link propagatePart}'s result, for {@link mergePropagateParts}. */
export interface PropagatePart {
  readonly part: BatchPart;
  /** Its rows of the batch, [start, end). */
  readonly rows: readonly [number, number];
  readonly input: RowMoments;
  readonly layers: LayerPart[];
  /** This part's share of the loss (every loss divides by the whole batch). */
  readonly loss?: number;
}

/** Rows [start, end) of `part` in a batch of `batch`: start = ⌊batch·index/of⌋. */
export function batchRows(batch: number, part: BatchPart): [number, number] {
  return [
    Math.floor((batch * part.index) / part.of),
    Math.floor((batch * (part.index + 1)) / part.of),
  ];
}

function checkPart(p: Plan, part: BatchPart): BatchPart {
  if (typeof part !== 'object' || part === null) {
    throw new EngineInputError('part', part, '{ index, of } with 0 ≤ index < of');
  }
  const of = positiveInt('part.of', part.of, p.batch);
  const index = Math.trunc(inRange('part.index', part.index, 0, of - 1));
  if (index !== part.index) throw new EngineInputError('part.index', part.index, 'an integer');
  if (p.options.detail !== 'moments') {
    throw new EngineInputError(
      'summaries',
      p.options.detail,
      "'moments' (a split batch merges moments; quantiles need every value in one place)",
    );
  }
  return { index, of };
}

/**
 * Propagates one block of rows of the batch {@link propagate} would use: the same seeded weights,
 * biases, inputs and targets (every part draws them all, so no weights cross a worker boundary),
 * then only rows {@link batchRows}. Needs `summaries: 'moments'`. Merge the parts with
 * {@link mergePropagateParts}. Yields progress like {@link propagateSteps}; validation throws at once.
 * @throws EngineInputError for an invalid config or part
 */
export function propagatePartSteps(
  config: PropagateConfig,
  part: BatchPart,
): Generator<PropagateProgress, PropagatePart, unknown> {
  const plan = validate(config);
  const checked = checkPart(plan, part);
  checkBudget(plan);
  return runPart(plan, checked);
}

/** {@link propagatePartSteps} run to its end. */
export function propagatePart(config: PropagateConfig, part: BatchPart): PropagatePart {
  const steps = propagatePartSteps(config, part);
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}

type Rule = 'tanh' | 'sigmoid' | 'none';

function* runPart(p: Plan, part: BatchPart): Generator<PropagateProgress, PropagatePart, unknown> {
  const { depth, widths: n, batch: B } = p;
  const [start, end] = batchRows(B, part);
  const rows = end - start;
  const stack = buildStack(p, false);
  const { params, input: all, lossData } = drawStack(p, stack);
  const x = all.slice(start * n[0]!, end * n[0]!);
  const ctx = runContext(createKernels(), rows, p.backward);
  const input = rowMoments(x, rows, n[0]!);
  const layers: Mutable[] = [];
  const { layerOf } = stack;
  const withRows = (m: RawMoments | null, v: Float32Array, cols: number, rule: Rule): RowMoments =>
    m ? { ...m, unitRows: rowsWithFinite(v, rows, cols) } : rowMoments(v, rows, cols, rule);
  const forward = forwardSteps(stack, params, x, ctx, (node, y, r) => {
    const l = layerOf.get(node.path)!;
    if (node.kind === 'residual') {
      layers[l - 1]!.post = rowMoments(y, rows, n[l]!, 'none');
      return;
    }
    const c = r!.cache as DenseCache;
    const W = params.get(node.path)![0]!;
    const weightSquares = sumSquares(W);
    const pre = withRows(c.preMoments, c.pre, n[l]!, 'none');
    layers[l - 1] = {
      pre,
      post: p.skipFrom[l] === null ? withRows(c.postMoments, y, n[l]!, p.act.saturation) : pre,
      weightMeanSquare: weightSquares / W.length,
      weightSquares,
    };
  });
  const { y, tape } = yield* withProgress('forward', forward, depth);
  const result = { part, rows: [start, end] as const, input, layers };
  if (!p.backward) return result;
  const data = p.loss === 'mse' ? lossData.subarray(start * n[depth]!, end * n[depth]!) : lossData;
  const { loss, top } = lossAndGradient(p.loss, y, data, B, n[depth]!, n[depth]!);
  const backward = backwardSteps(stack, params, tape, top, ctx, (node, g, r) => {
    if (node.kind !== 'leaf' || r === null) return;
    const l = layerOf.get(node.path)!;
    const d = r.detail as DenseDetail & { fused: false };
    const [gW, gB] = r.grads as [Float32Array, Float32Array];
    Object.assign(layers[l - 1]!, {
      gradPre: rowMoments(d.gPre, rows, n[l]!),
      gradPost: rowMoments(g, rows, n[l]!),
      gradWeight: gW,
      gradBias: gB,
    });
  });
  yield* withProgress('backward', backward, depth);
  return { ...result, loss };
}

type Mutable = { -readonly [K in keyof LayerPart]: LayerPart[K] };

/**
 * Merges the parts of a split batch into the result {@link propagate} gives for the same config:
 * counts, minima, maxima, zero and saturation fractions exactly; means, variances and mean squares
 * up to float64 rounding of the sums ({@link mergeMoments}); ∂L/∂W and ∂L/∂b as the float32 sum of
 * the parts' sums, so their statistics match up to float32 rounding. The parts may come in any order.
 * @throws EngineInputError when the parts do not make up one batch of this config
 */
export function mergePropagateParts(
  config: PropagateConfig,
  parts: readonly PropagatePart[],
): PropagateResult {
  const p = validate(config);
  const of = parts[0]?.part.of ?? 0;
  const sorted = [...parts].sort((a, b) => a.part.index - b.part.index);
  sorted.forEach((q, i) => {
    const [start, end] = batchRows(p.batch, { index: i, of });
    if (q.part.of !== of || q.part.index !== i || q.rows[0] !== start || q.rows[1] !== end) {
      throw new EngineInputError(
        'parts',
        parts.length,
        `parts 0 … ${of - 1} of one batch, each once`,
      );
    }
    if (q.layers.length !== p.depth) {
      throw new EngineInputError('parts', q.layers.length, `${p.depth} layers in every part`);
    }
  });
  if (of === 0 || sorted.length !== of) {
    throw new EngineInputError('parts', parts.length, 'every part of the split batch');
  }
  const { depth, widths: n, batch: B } = p;
  const merged = (pick: (q: PropagatePart) => RowMoments): RowMoments =>
    sorted.map(pick).reduce((a, b) => mergeMoments(a, b));
  const input = summaryFromMoments(
    merged((q) => q.input),
    B * n[0]!,
    'none',
  );
  let nonFinite = 0;
  const layers: LayerResult[] = [];
  for (let l = 1; l <= depth; l++) {
    const at = (q: PropagatePart): LayerPart => q.layers[l - 1]!;
    const s = p.skipFrom[l] ?? null;
    const size = B * n[l]!;
    const pre = summaryFromMoments(
      merged((q) => at(q).pre),
      size,
      'none',
    );
    const post = summaryFromMoments(
      merged((q) => at(q).post),
      size,
      s === null ? p.act.saturation : 'none',
    );
    nonFinite += pre.nonFinite + post.nonFinite;
    const first = at(sorted[0]!);
    let layer: LayerResult = {
      layer: l,
      fanIn: n[l - 1]!,
      width: n[l]!,
      skipFrom: s,
      pre,
      post,
      weightMeanSquare: first.weightMeanSquare,
    };
    if (p.backward) {
      const gW = sumParts(
        sorted.map((q) => at(q).gradWeight),
        n[l]! * n[l - 1]!,
      );
      const gB = sumParts(
        sorted.map((q) => at(q).gradBias),
        n[l]!,
      );
      layer = {
        ...layer,
        gradPre: summaryFromMoments(
          merged((q) => at(q).gradPre!),
          size,
          'none',
        ),
        gradPost: summaryFromMoments(
          merged((q) => at(q).gradPost!),
          size,
          'none',
        ),
        gradWeight: summarize(gW, n[l]!, n[l - 1]!, { detail: 'moments' }),
        gradBias: summarize(gB, 1, n[l]!, { detail: 'moments' }),
        gradWeightRatio: weightRatio(Math.sqrt(sumSquares(gW)), first.weightSquares),
      };
    }
    layers.push(layer);
  }
  const base = { layers, input, nonFinite, batchParts: of };
  if (!p.backward) return base;
  return { ...base, loss: sorted.reduce((sum, q) => sum + (q.loss ?? Number.NaN), 0) };
}

/** The float32 sum of the parts' arrays, in part order. */
function sumParts(arrays: readonly (Float32Array | undefined)[], length: number): Float32Array {
  const total = new Float32Array(length);
  for (const a of arrays) {
    if (a === undefined || a.length !== length) {
      throw new EngineInputError('parts', a?.length, `gradient sums of ${length} entries`);
    }
    for (let i = 0; i < length; i++) total[i] = total[i]! + a[i]!;
  }
  return total;
}
