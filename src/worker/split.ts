/**
 * Both cores: a `propagate` split across two workers. Every worker draws the same seeded weights,
 * so no weights travel; each computes half the batch ({@link propagatePart}), and the halves merge
 * into what one worker would have computed ({@link mergePropagateParts}). Plain messages only: no
 * SharedArrayBuffer, so no cross-origin isolation, and it works on any static host.
 *
 * A worker that has a second worker to hand installs it with {@link setBatchHelper}. Runs then use
 * {@link propagateSharedSteps} where they would use `propagateSteps`: when the helper is there and
 * the work pays for a message round trip ({@link splitPays}), the generator sends the second half
 * away, computes the first, then yields an {@link AwaitStep} whose promise the driver awaits and
 * passes back into `next()`. It first yields one already-settled probe: a driver that cannot wait
 * (a plain loop, as in the static build) passes nothing back, and the run stays in one piece.
 *
 * @module
 */
import {
  mergePropagateParts,
  propagatePartSteps,
  propagateSteps,
  type BatchPart,
  type PropagateConfig,
  type PropagatePart,
  type PropagateProgress,
  type PropagateResult,
} from '../engine/propagate';

/** Computes one part of a split batch elsewhere; the returned `cancel` stops it early. */
export type BatchHelper = (
  config: PropagateConfig,
  part: BatchPart,
) => { readonly result: Promise<PropagatePart>; readonly cancel: () => void };

/** Yielded by {@link propagateSharedSteps}: wait for `awaiting` and pass its value to `next()`. */
export interface AwaitStep {
  readonly awaiting: Promise<unknown>;
}

/** Whether a yielded value is an {@link AwaitStep}. */
export function isAwaitStep(value: unknown): value is AwaitStep {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<AwaitStep>).awaiting instanceof Promise
  );
}

/**
 * Multiply-adds (batch × Σ n_l·n_{l−1}) below which a run stays in one worker: about half a
 * millisecond of products, less than a round trip to the second worker and the merge cost.
 */
export const SPLIT_MIN_MULTIPLY_ADDS = 2 ** 23;

let helper: BatchHelper | null = null;

/** What a driver that awaits {@link AwaitStep}s passes back for the opening probe. */
const WAITS = 'waits';

/**
 * Asks the driver whether it awaits {@link AwaitStep}s: yields one already-settled probe. A plain
 * loop (the static build's) passes nothing back, and the caller then stays on its own.
 */
export function* driverWaits(): Generator<AwaitStep, boolean, unknown> {
  return (yield { awaiting: Promise.resolve(WAITS) }) === WAITS;
}

/** Installs (or, with null, removes) the second worker that {@link propagateSharedSteps} may use. */
export function setBatchHelper(next: BatchHelper | null): void {
  helper = next;
}

/**
 * Whether splitting `config` across two workers pays: summaries at detail 'moments' (the part
 * results merge only those), a built-in activation named by a string (a compiled formula holds
 * functions, which cannot be posted), no backward pass, a batch of at least 8 and at least
 * {@link SPLIT_MIN_MULTIPLY_ADDS} of work. Anything malformed answers false and is left to
 * `propagate`'s own validation.
 */
export function splitPays(config: PropagateConfig): boolean {
  if (typeof config !== 'object' || config === null) return false;
  if (config.summaries !== 'moments' || typeof config.activation !== 'string') return false;
  // Forward only: a backward half must hand back its own ∂L/∂W sums, which the fused backward layer
  // keeps inside the workspace; the unfused half, posting 2·Σ n_l·n_{l−1} floats and adding them,
  // measured slower than one worker (`npm run bench`: 1310 ms split against 1102 ms whole).
  if (config.backward === true) return false;
  const { batch, depth, width } = config;
  if (!Number.isInteger(batch) || batch < 8 || !Number.isInteger(depth) || depth < 1) return false;
  const widths = Array.isArray(width)
    ? [...(width as number[])]
    : new Array<number>(depth).fill(width as number);
  const n0 = config.input?.width ?? widths[0];
  let products = 0;
  let fanIn = n0;
  for (const n of widths) {
    products += (n as number) * (fanIn as number);
    fanIn = n;
  }
  const work = batch * products;
  return Number.isFinite(work) && work >= SPLIT_MIN_MULTIPLY_ADDS;
}

/**
 * `propagateSteps`, across two workers when a helper is installed and {@link splitPays}. The
 * result then carries `batchParts: 2` and equals the one-worker result within the tolerances of
 * {@link mergePropagateParts}. Validation throws at the first `next()`, as the generator starts.
 */
export function* propagateSharedSteps(
  config: PropagateConfig,
): Generator<PropagateProgress | AwaitStep, PropagateResult, unknown> {
  const remote = helper;
  if (remote === null || !splitPays(config)) return yield* propagateSteps(config);
  const own = propagatePartSteps(config, { index: 0, of: 2 }); // validates before anything is sent
  // A driver that cannot wait keeps the run whole.
  if (!(yield* driverWaits())) return yield* propagateSteps(config);
  const theirs = remote(config, { index: 1, of: 2 });
  const answer = theirs.result.catch(() => null);
  let settled = false;
  try {
    const first = yield* own;
    const reply = yield { awaiting: answer };
    settled = true;
    const second = isPart(reply, 1)
      ? reply
      : yield* propagatePartSteps(config, { index: 1, of: 2 });
    return mergePropagateParts(config, [first, second]);
  } finally {
    // Cancelled, superseded or failed here: stop the helper's half too.
    if (!settled) theirs.cancel();
  }
}

function isPart(value: unknown, index: number): value is PropagatePart {
  const part = (value as Partial<PropagatePart> | null)?.part;
  return part !== undefined && part.index === index && part.of === 2;
}
