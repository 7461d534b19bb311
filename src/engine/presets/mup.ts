/**
 * μP for MLPs as data: the layers (with μP's initialization) and the per-layer learning-rate
 * factors of the Maximal Update Parametrization, or those of the standard parametrization (SP),
 * for `train` (`layers`, `lrMultipliers`) and `coordinateCheck`.
 *
 * Source: Table 3 of Greg Yang, Edward J. Hu, Igor Babuschkin, Szymon Sidor, Xiaodong Liu, David
 * Farhi, Nick Ryder, Jakub Pachocki, Weizhu Chen, Jianfeng Gao, "Tensor Programs V: Tuning Large
 * Neural Networks via Zero-Shot Hyperparameter Transfer" (arXiv:2203.03466, 2022; NeurIPS 2021),
 * "μP and SP for general neural networks", which sorts every tensor into three kinds, by which of
 * its dimensions grow with the width n:
 *
 * |            | input weights & all biases | output weights      | hidden weights |
 * | ---------- | -------------------------- | ------------------- | -------------- |
 * | init. var. | 1/fan_in                   | 1/fan_in² (SP: 1/fan_in) | 1/fan_in  |
 * | SGD lr     | fan_out (SP: 1)            | 1/fan_in (SP: 1)    | 1              |
 * | Adam lr    | 1                          | 1/fan_in (SP: 1)    | 1/fan_in (SP: 1) |
 *
 * A bias counts as an input weight from the constant 1 (fan_in 1, fan_out its length). The table
 * gives scalings, not constants; as in the authors' `mup` package (`set_base_shapes`) they are
 * taken relative to a base width b, with m = n/b the width multiplier, so that μP and SP coincide
 * at n = b. Here, for an MLP inputs → n → … → n → outputs with every bias:
 * - init: input and hidden weights N(0, gain²/fan_in); output weights N(0, 1/(n·m)) = N(0, b/n²)
 *   (the table's 1/fan_in², option `readout: 'table'`, default) or zeros (`readout: 'zero'`, the
 *   `mup` package's `readout_zero_init`); SP's output weights N(0, 1/n); every bias zero (the
 *   table's variance for a bias is Θ(1); zero is the common choice and changes no scaling);
 * - SGD factors: input weight and bias m, hidden weights 1, hidden biases m (fan_out = n), output
 *   weight 1/m, output bias 1 (its fan_out is finite);
 * - Adam factors: hidden and output weights 1/m, everything else 1;
 * - SP: no factors (one learning rate for all).
 *
 * @module
 */
import type { LayerSpec } from '../network/types';
import { activation as lookup } from '../activations';
import { EngineInputError, finiteNumber, oneOf, positiveInt } from '../validate';

/** Which kind of tensor a layer is in Table 3 (its activation shares its linear layer's kind). */
export type MupLayerKind = 'input' | 'hidden' | 'output';

/** Options of {@link mupLayers}. */
export interface MupMlpOptions {
  /** Hidden layers (each linear + activation), the first from the inputs: 1 … 200. */
  readonly depth: number;
  /** Width n of every hidden layer. */
  readonly width: number;
  /** Input features (the task's). */
  readonly inputs: number;
  /** Outputs (the task's classes or targets). */
  readonly outputs: number;
  /** Hidden activation (see `ACTIVATIONS`). */
  readonly activation: string;
  readonly activationParam?: number;
  /** The optimizer whose learning rates are scaled. */
  readonly optimizer: 'sgd' | 'adam';
  /** Default 'mup'. */
  readonly parametrization?: 'mup' | 'sp';
  /** Base width b (where μP equals SP); default 1, Table 3 literally. */
  readonly baseWidth?: number;
  /** μP's output init: 'table' (variance b/n², default) or 'zero'. */
  readonly readout?: 'table' | 'zero';
  /** Std of input and hidden weights is gain/√fan_in; default 1. */
  readonly gain?: number;
}

/** A parametrized MLP: its description, learning-rate factors and each layer's kind, by path. */
export interface MupNetwork {
  readonly layers: LayerSpec[];
  /** For `train`'s `lrMultipliers`; empty for SP. */
  readonly lrMultipliers: Record<string, number>;
  /** Table 3 kind of every layer path (activations take their linear layer's). */
  readonly kinds: Record<string, MupLayerKind>;
}

/**
 * An MLP in μP (or SP) per Table 3 of Tensor Programs V (Yang et al., 2022): see the module note
 * for the exact variances and learning-rate factors.
 * @throws EngineInputError for a bad option
 */
export function mupLayers(o: MupMlpOptions): MupNetwork {
  if (typeof o !== 'object' || o === null) {
    throw new EngineInputError(
      'options',
      o,
      '{ depth, width, inputs, outputs, activation, optimizer }',
    );
  }
  const depth = positiveInt('depth', o.depth, 200);
  const n = positiveInt('width', o.width, 8192);
  const inputs = positiveInt('inputs', o.inputs, 8192);
  const outputs = positiveInt('outputs', o.outputs, 8192);
  if (typeof o.activation !== 'string') {
    throw new EngineInputError('activation', o.activation, 'an activation name');
  }
  lookup(o.activation, o.activationParam);
  const optimizer = oneOf('optimizer', o.optimizer, ['sgd', 'adam']);
  const param = oneOf('parametrization', o.parametrization ?? 'mup', ['mup', 'sp']);
  const base = finiteNumber('baseWidth', o.baseWidth ?? 1);
  if (!(base > 0)) throw new EngineInputError('baseWidth', base, 'a number > 0');
  const readout = oneOf('readout', o.readout ?? 'table', ['table', 'zero']);
  const gain = finiteNumber('gain', o.gain ?? 1);
  if (!(gain > 0)) throw new EngineInputError('gain', gain, 'a number > 0');
  const m = n / base;
  const mup = param === 'mup';
  const act: LayerSpec = {
    type: 'activation',
    name: o.activation,
    ...(o.activationParam === undefined ? {} : { param: o.activationParam }),
  };
  const zeros = { name: 'zeros' } as const;
  const normal = (std: number) => ({ name: 'normal', std }) as const;
  const layers: LayerSpec[] = [];
  const kinds: Record<string, MupLayerKind> = {};
  for (let l = 0; l < depth; l++) {
    const fanIn = l === 0 ? inputs : n;
    kinds[String(layers.length)] = kinds[String(layers.length + 1)] = l === 0 ? 'input' : 'hidden';
    layers.push(
      { type: 'linear', out: n, weightInit: normal(gain / Math.sqrt(fanIn)), biasInit: zeros },
      act,
    );
  }
  const out = String(layers.length);
  kinds[out] = 'output';
  const outInit = !mup
    ? normal(1 / Math.sqrt(n))
    : readout === 'zero'
      ? zeros
      : normal(1 / Math.sqrt(n * m));
  layers.push({ type: 'linear', out: outputs, weightInit: outInit, biasInit: zeros });
  const lrMultipliers: Record<string, number> = {};
  if (mup) {
    for (let l = 0; l < depth; l++) {
      const path = String(2 * l);
      if (optimizer === 'sgd') {
        // Input weights and every width-long bias: fan_out = n; hidden weights: 1.
        if (l === 0) lrMultipliers[path] = m;
        else lrMultipliers[`${path}.bias`] = m;
      } else if (l > 0) {
        lrMultipliers[`${path}.weight`] = 1 / m;
      }
    }
    lrMultipliers[`${out}.weight`] = 1 / m;
  }
  return { layers, lrMultipliers, kinds };
}
