/**
 * Every layer type the engine builds, by its `type` name: one builder per type, one file each.
 *
 * @module
 */
import type { Builder } from './layer';
import { buildActivation } from './layers/activation';
import { buildBatchNorm } from './layers/batchnorm';
import { buildConv2d } from './layers/conv2d';
import { buildAttention } from './layers/attention';
import { buildEmbedding } from './layers/embedding';
import { buildFlatten } from './layers/flatten';
import { buildLayerNorm } from './layers/layernorm';
import { buildLinear } from './layers/linear';
import { buildPool } from './layers/pool';
import { buildRecurrent } from './layers/recurrent';
import { buildRmsNorm } from './layers/rmsnorm';

/** Builders of the leaf layer types ('residual' is structural and built by `build`). */
export const BUILDERS: Readonly<Record<string, Builder>> = {
  linear: buildLinear,
  activation: buildActivation,
  flatten: buildFlatten,
  conv2d: buildConv2d,
  pool: buildPool,
  batchnorm: buildBatchNorm,
  recurrent: buildRecurrent,
  layernorm: buildLayerNorm,
  rmsnorm: buildRmsNorm,
  embedding: buildEmbedding,
  attention: buildAttention,
};

/** Every `type` a layer description may have. */
export const LAYER_TYPES: readonly string[] = [...Object.keys(BUILDERS), 'residual'];
