/**
 * Presets for recurrent networks, as data: {@link rnn} (nn.RNN, tanh or relu) and {@link lstm}
 * (nn.LSTM), `layers` recurrent layers stacked over a sequence `[steps, features]`, optionally
 * followed by a readout nn.Linear(hidden, readout) applied at every step. Each stacked layer is one
 * single-layer module: the parameters, their shapes and their draw order are those of
 * nn.RNN/nn.LSTM(num_layers = layers) followed by the Linear, with every layer's names ending in
 * `_l0` (PyTorch numbers them `_l0`, `_l1`, …).
 *
 * The recurrent matrix weight_hh:
 * - 'torch' (default): U(±1/√hidden), PyTorch's default (as every other parameter here);
 * - 'orthogonal': torch.nn.init.orthogonal_ times `gain` (default 1) over the whole
 *   (gates·hidden × hidden) matrix (Saxe, McClelland & Ganguli 2014, "Exact solutions to the
 *   nonlinear dynamics of learning in deep linear neural networks"); for the LSTM the 4H × H matrix
 *   then has orthonormal columns, not four orthogonal blocks;
 * - 'identity': W_hh = I and every bias zero (rnn only; with `nonlinearity: 'relu'` this is the
 *   IRNN of Le, Jaitly & Hinton 2015, "A Simple Way to Initialize Recurrent Networks of Rectified
 *   Linear Units");
 * - 'gaussian': N(0, σ²/hidden), `sigma` default 1 (σ² = σ_w² of theory/recurrence).
 *
 * @module
 */
import type { InitSpec } from '../init';
import type { LayerSpec, NetworkConfig, NetworkInputInit, RecurrentLayer } from '../network/types';
import { EngineInputError, finiteNumber, nonNegative, oneOf, positiveInt } from '../validate';

/** The recurrent matrix's initialization in a preset. */
export type RecurrentInitName = 'torch' | 'orthogonal' | 'identity' | 'gaussian';

/** Options shared by {@link rnn} and {@link lstm}. */
export interface RecurrentPresetOptions {
  readonly steps: number;
  readonly features: number;
  readonly hidden: number;
  /** Stacked recurrent layers; default 1. */
  readonly layers?: number;
  /** Default 16. */
  readonly batch?: number;
  /** Default 'torch'. */
  readonly recurrentInit?: RecurrentInitName;
  /** 'orthogonal' only: the gain; default 1. */
  readonly gain?: number;
  /** 'gaussian' only: σ, the std of W_hh times √hidden; default 1. */
  readonly sigma?: number;
  /** Outputs of a final nn.Linear(hidden, readout) at every step; default none. */
  readonly readout?: number;
  /** Default 0. */
  readonly seed?: number;
  /** The inputs' distribution; default N(0, 1). */
  readonly inputInit?: NetworkInputInit;
}

/** {@link rnn}'s options. */
export interface RnnPresetOptions extends RecurrentPresetOptions {
  /** nn.RNN's nonlinearity; default 'tanh'. */
  readonly nonlinearity?: 'tanh' | 'relu';
}

/** {@link lstm}'s options. */
export interface LstmPresetOptions extends RecurrentPresetOptions {
  /** The forget gate's total bias (bias_ih slice = value, bias_hh slice = 0); default PyTorch's draw. */
  readonly forgetBias?: number;
}

function recurrentInit(
  o: RecurrentPresetOptions,
  cell: RecurrentLayer['cell'],
): Partial<RecurrentLayer> {
  const allowed: RecurrentInitName[] =
    cell === 'lstm'
      ? ['torch', 'orthogonal', 'gaussian']
      : ['torch', 'orthogonal', 'identity', 'gaussian'];
  const name = oneOf('recurrentInit', o.recurrentInit ?? 'torch', allowed);
  if (o.gain !== undefined && name !== 'orthogonal') {
    throw new EngineInputError('gain', o.gain, "absent unless recurrentInit is 'orthogonal'");
  }
  if (o.sigma !== undefined && name !== 'gaussian') {
    throw new EngineInputError('sigma', o.sigma, "absent unless recurrentInit is 'gaussian'");
  }
  const h = o.hidden;
  let init: InitSpec | undefined;
  if (name === 'orthogonal') init = { name: 'orthogonal', gain: finiteNumber('gain', o.gain ?? 1) };
  if (name === 'gaussian')
    init = { name: 'normal', std: nonNegative('sigma', o.sigma ?? 1) / Math.sqrt(h) };
  if (name === 'identity') return { recurrentInit: { name: 'eye' }, biasInit: { name: 'zeros' } };
  return init === undefined ? {} : { recurrentInit: init };
}

function build(
  o: RecurrentPresetOptions,
  cell: RecurrentLayer['cell'],
  extra: Partial<RecurrentLayer>,
): NetworkConfig {
  if (typeof o !== 'object' || o === null) {
    throw new EngineInputError('options', o, '{ steps, features, hidden, … }');
  }
  const steps = positiveInt('steps', o.steps, 1 << 20);
  const features = positiveInt('features', o.features, 1 << 24);
  const hidden = positiveInt('hidden', o.hidden, 1 << 24);
  const depth = positiveInt('layers', o.layers ?? 1, 1024);
  const batch = positiveInt('batch', o.batch ?? 16, 1 << 20);
  const init = recurrentInit(o, cell);
  const layers: LayerSpec[] = Array.from({ length: depth }, (): RecurrentLayer => ({
    type: 'recurrent',
    cell,
    hidden,
    ...init,
    ...extra,
  }));
  if (o.readout !== undefined) {
    layers.push({ type: 'linear', out: positiveInt('readout', o.readout, 1 << 24) });
  }
  return {
    input: {
      shape: [steps, features],
      batch,
      ...(o.inputInit === undefined ? {} : { init: o.inputInit }),
    },
    seed: finiteNumber('seed', o.seed ?? 0),
    layers,
  };
}

/**
 * An Elman RNN (nn.RNN with batch_first) as a network description.
 * @example rnn({ steps: 50, features: 1, hidden: 128, recurrentInit: 'identity', nonlinearity: 'relu' }) // IRNN
 * @throws EngineInputError naming the option, the value and what is allowed
 */
export function rnn(options: RnnPresetOptions): NetworkConfig {
  const cell = oneOf('nonlinearity', options?.nonlinearity ?? 'tanh', ['tanh', 'relu']);
  return build(options, cell, {});
}

/**
 * An LSTM (nn.LSTM with batch_first) as a network description; `forgetBias` sets every layer's
 * forget-gate bias (Jozefowicz, Zaremba & Sutskever 2015 recommend 1).
 * @throws EngineInputError naming the option, the value and what is allowed
 */
export function lstm(options: LstmPresetOptions): NetworkConfig {
  const fb = options?.forgetBias;
  return build(
    options,
    'lstm',
    fb === undefined ? {} : { forgetBias: finiteNumber('forgetBias', fb) },
  );
}
