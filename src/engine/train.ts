/**
 * Training any network on a synthetic task: see `train/loop.ts` (the loop), `train/initial.ts`
 * (the first batch's gradients), `train/model.ts` (the network and the loss) and
 * `train/config.ts` (what a run takes and returns).
 *
 * @module
 */
export { train, trainSteps } from './train/loop';
export { initialGradients, type InitialGradients } from './train/initial';
export type {
  Snapshot,
  TrainConfig,
  TrainProgress,
  TrainRecord,
  TrainResult,
} from './train/config';
