/**
 * Propagation through the dense stacks the chapters use: `propagate/config.ts` (what a run takes
 * and returns), `propagate/run.ts` (the run, on the network core), `propagate/parts.ts` (a batch
 * split into parts and merged).
 *
 * @module
 */
export type {
  InputSpec,
  LayerResult,
  PropagateConfig,
  PropagateProgress,
  PropagateResult,
  ResidualSpec,
} from './propagate/config';
export { propagate, propagateSteps } from './propagate/run';
export {
  batchRows,
  mergePropagateParts,
  propagatePart,
  propagatePartSteps,
  type BatchPart,
  type LayerPart,
  type PropagatePart,
} from './propagate/parts';
