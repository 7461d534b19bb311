/**
 * The engine's public API, by name: what the figures, the worker and the readers' cells use.
 * Everything else under `src/engine/` is internal (kernels, samplers, validation helpers) and may
 * change without notice. Pure functions over plain data: no DOM, no clock, no hidden state that
 * changes results (the kernel preference picks float32 arithmetic of equal accuracy).
 *
 * @module
 */

// ─── Random numbers ─────────────────────────────────────────────────────────────────────────────
/** The seeded generator every draw comes from (xoshiro128**, splittable). */
export { createRng, type Rng } from './rng';

// ─── Initializers (torch.nn.init and Keras/JAX variance scaling) ────────────────────────────────
export {
  INIT_NAMES,
  initTensor,
  uniform_,
  normal_,
  trunc_normal_,
  constant_,
  ones_,
  zeros_,
  eye_,
  dirac_,
  xavier_uniform_,
  xavier_normal_,
  kaiming_uniform_,
  kaiming_normal_,
  orthogonal_,
  sparse_,
  glorot_uniform,
  glorot_normal,
  he_normal,
  he_uniform,
  lecun_uniform,
  lecun_normal,
  type Tensor,
  type InitOptions,
  type VarianceScalingSpec,
} from './init';
export type {
  FanMode,
  InitContext,
  InitName,
  InitSpec,
  KaimingSpec,
  VarianceScalingDistribution,
  VarianceScalingMode,
} from './init-spec';
/** Fans and gains as PyTorch computes them. */
export {
  NONLINEARITIES,
  calculateGain,
  calculateGainSquared,
  computeFans,
  shapeSize,
  type Fans,
  type Nonlinearity,
} from './fans';

// ─── Activations ────────────────────────────────────────────────────────────────────────────────
export {
  ACTIVATIONS,
  SELU_ALPHA,
  SELU_SCALE,
  activation,
  defineActivation,
  normalCdf,
  resolveActivation,
  type Activation,
  type ActivationName,
} from './activations';

// ─── Statistics ─────────────────────────────────────────────────────────────────────────────────
export {
  DEFAULT_QUANTILES,
  quantilesOf,
  summarize,
  symlogEdges,
  type Histogram,
  type HistogramBins,
  type Summary,
  type SummaryOptions,
} from './stats';
export { gaussianTail, type TailVerdict } from './tails';

// ─── Special functions and Gaussian expectations ────────────────────────────────────────────────
export { detExp, detLog, erf, erfc, erfinv } from './special';
export { bivariateExpectation, gaussianExpectation } from './quadrature';

// ─── Mean-field theory of deep networks ─────────────────────────────────────────────────────────
export {
  activationMoments,
  criticalSigmaW2,
  meanField,
  meanFieldStep,
  type ActivationMoments,
  type MeanFieldConfig,
  type MeanFieldResult,
  type MeanFieldStep,
} from './meanfield';

// ─── Propagation through dense stacks (the chapters' experiments) ───────────────────────────────
export {
  propagate,
  propagateSteps,
  propagatePart,
  propagatePartSteps,
  mergePropagateParts,
  batchRows,
  type BatchPart,
  type InputSpec,
  type LayerPart,
  type LayerResult,
  type PropagateConfig,
  type PropagatePart,
  type PropagateProgress,
  type PropagateResult,
  type ResidualSpec,
} from './propagate';

// ─── Any network as data ────────────────────────────────────────────────────────────────────────
/** A seeded batch through a described network, with every layer's statistics. */
export { propagateNetwork } from './network/propagate-network';
export type * from './network/types';
/** The dense stacks `propagate` runs, as a description. */
export { mlp } from './presets/mlp';

// ─── Training ───────────────────────────────────────────────────────────────────────────────────
export {
  train,
  trainSteps,
  initialGradients,
  type InitialGradients,
  type Snapshot,
  type TrainConfig,
  type TrainProgress,
  type TrainRecord,
  type TrainResult,
} from './train';
export { createOptimizer, type Optimizer, type OptimizerSpec } from './optim';
export { makeTask, sinCos, type Dataset, type TaskSpec } from './tasks';

// ─── Kernels ────────────────────────────────────────────────────────────────────────────────────
/** Which float32 kernels run (WebAssembly SIMD or TypeScript); results agree within rounding. */
export {
  kernelBackend,
  setKernelPreference,
  type KernelBackend,
  type KernelPreference,
} from './backend';

// ─── Errors and limits ──────────────────────────────────────────────────────────────────────────
export { EngineInputError, MAX_ELEMENTS } from './validate';

// ─── Convolutional networks ─────────────────────────────────────────────────────────────────────
export { convnet, type ConvnetOptions } from './presets/convnet';
export {
  convVariance,
  convnetVariance,
  type ConvVarianceConfig,
  type ConvVarianceLayer,
  type ConvVarianceResult,
} from './theory/conv';

// ─── Recurrent networks ─────────────────────────────────────────────────────────────────────────
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
export { mupMultipliers, mupTensorKinds } from './presets/mup-multipliers';
export type { MupMultiplierOptions, MupTensorKind } from './presets/mup-multipliers';
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
export { transformer } from './presets/transformer';
export type { TransformerOptions } from './presets/transformer';
export { residualStreamTheory } from './theory/residual-stream';
export type { StreamPoint } from './theory/residual-stream';
export { attentionWeightMoments } from './theory/attention-moments';
export type { AttentionWeightMoments } from './theory/attention-moments';
export { initSecondMoment } from './theory/init-moments';
export { nextTokenTask } from './tasks/next-token';
export type { NextTokenOptions, NextTokenTask } from './tasks/next-token';

// ─── PyTorch's modules as their constructors build them ─────────────────────────────────────────
export {
  drawTorchModule,
  torchModule,
  type TorchModule,
  type TorchModuleSpec,
  type TorchParameter,
} from './torch/modules';

// ─── PyTorch's own random stream (createRng(seed, { stream: 'torch' })) ─────────────────────────
export type { RngOptions } from './rng';
export { torchForkSeed, type TorchStreamOptions } from './torch/torch-rng';
export type { TorchCapability } from './torch/uniform';
