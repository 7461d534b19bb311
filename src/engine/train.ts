/**
 * Training any network on a synthetic task: see `train/loop.ts` (the loop), `train/model.ts` (the
 * network and the loss) and `train/config.ts` (what a run takes and returns).
 *
 * @module
 */
export { train, trainSteps, initialGradients, type InitialGradients } from './train/loop';
export type {
  Snapshot,
  TrainConfig,
  TrainProgress,
  TrainRecord,
  TrainResult,
} from './train/config';
