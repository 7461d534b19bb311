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
// μP: the parametrization of MLPs as data, the coordinate check in one call, its theory.
export { mupLayers } from './presets/mup';
export type { MupLayerKind, MupMlpOptions, MupNetwork } from './presets/mup';
export { coordinateCheck } from './train/coordinate-check';
export type {
  CoordinateCheckLayer,
  CoordinateCheckMlp,
  CoordinateCheckNetwork,
  CoordinateCheckOptions,
  CoordinateCheckResult,
} from './train/coordinate-check';
export type { LrMultipliers } from './train/multipliers';
export { logLogSlope, mupCoordinateExponents } from './theory/mup';
export type { MupExponentConfig, MupExponents } from './theory/mup';
