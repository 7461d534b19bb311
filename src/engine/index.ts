export * from './validate';
export * from './rng';
export * from './special';
export * from './fans';
export * from './init';
export * from './activations';
export * from './stats';
export * from './quadrature';
export * from './meanfield';
export * from './propagate';
export * from './optim';
export * from './tasks';
export * from './train';
export * from './backend';
export * from './split';
export * from './tails';
export { propagateNetwork } from './network/propagate-network';
export type * from './network/types';
export { convnet } from './presets/convnet';
export type { ConvnetOptions } from './presets/convnet';
export { convVariance, convnetVariance } from './theory/conv';
export type { ConvVarianceConfig, ConvVarianceLayer, ConvVarianceResult } from './theory/conv';
// Recurrent networks: presets, gradient-through-time theory, the delay task.
export { rnn, lstm } from './presets/recurrent';
export type {
  RecurrentInitName,
  RecurrentPresetOptions,
  RnnPresetOptions,
  LstmPresetOptions,
} from './presets/recurrent';
export { linearRecurrenceGradient, tanhRecurrenceGradient } from './theory/recurrence';
export type {
  LinearRecurrentMatrix,
  LinearRecurrenceGradient,
  TanhRecurrenceConfig,
  TanhRecurrenceGradient,
} from './theory/recurrence';
export { delayTask } from './tasks/delay';
export type { DelayTask, DelayTaskOptions } from './tasks/delay';
// The catalogue of named initializations (labels, specs, predicted variances) and the variance
// arithmetic it reads, shared with the recipes.
export {
  INIT_IDS,
  INIT_CATALOGUE,
  initEntry,
  initLabel,
  initShort,
  initOptions,
  isInitId,
  sigmaW2Of,
} from './init-catalogue';
export type { InitId, InitEntry, InitChoice, InitDistribution } from './init-catalogue';
export { initLaw } from './init-recipes';
export { initVariance, lawVariance } from './init-variance';
export { truncatedNormalVariance } from './fill';
