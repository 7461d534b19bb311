/**
 * "Predict, then run" prompts, by id: the experiment a prompt runs (a figure and its parameters),
 * the one number read from its result, and how a prediction is judged. A chapter places one with
 * `<Predict id="…">question</Predict>` (components/exercises/Predict.astro); the page runs the
 * experiment in the engine worker once the reader has committed a prediction, the build runs it for
 * the answer shown without JavaScript. One definition for both; the page gets it as data attributes
 * (this module loads every figure model, for the build only), and reads the number with ./reading.ts.
 *
 * - {@link PREDICTIONS}, {@link getPrediction}: the prompts.
 * - {@link predictionParams}: the experiment's parameters, checked by its figure's schema.
 * - {@link figureLink}: the URL query that opens the figure with the prompt's parameters.
 *
 * @module
 */
import { figureModel } from '../figures/models';
import { sanitizeParams, writeParams } from '../figures/params';
import type { Scale } from './closeness';
import type { Reading } from './reading';

export interface Prediction {
  readonly id: string;
  /** The experiment's parameters (the figure's schema checks and completes them). */
  readonly params: Record<string, unknown>;
  readonly reading: Reading;
  /** What the number is, for the answer's sentence ("mean square at layer 50"). */
  readonly quantity: string;
  readonly scale: Scale;
  /** A factor (ratio scale) or an absolute gap (difference scale); see closeness.ts. */
  readonly tolerance?: number;
}

export const PREDICTIONS: readonly Prediction[] = [
  {
    id: 'relu-xavier-20',
    params: { inits: ['xavier_normal'], activation: 'relu', depth: 20, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'xavier_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 20',
    scale: 'ratio',
  },
  {
    id: 'tanh-xavier-30',
    params: { inits: ['xavier_normal'], activation: 'tanh', depth: 30, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'xavier_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 30',
    scale: 'ratio',
  },
  {
    id: 'tanh-he-30',
    params: { inits: ['kaiming_normal'], activation: 'tanh', depth: 30, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'kaiming_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 30',
    scale: 'ratio',
    tolerance: 1.5,
  },
  {
    id: 'linear-gain-30',
    params: {
      inits: ['xavier_normal'],
      activation: 'linear',
      depth: 30,
      gain: 1.1,
      quantity: 'pre',
    },
    reading: { figure: 'variance-by-depth', init: 'xavier_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 30',
    scale: 'ratio',
  },
  {
    id: 'relu-small-10',
    params: { inits: ['small'], activation: 'relu', depth: 10, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'small', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 10',
    scale: 'ratio',
  },
  {
    id: 'tanh-xavier-bias-30',
    params: {
      inits: ['xavier_normal'],
      activation: 'tanh',
      depth: 30,
      sigmaB: 0.3,
      quantity: 'pre',
    },
    reading: { figure: 'variance-by-depth', init: 'xavier_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 30',
    scale: 'ratio',
    tolerance: 1.5,
  },
  {
    id: 'relu-default-5',
    params: { inits: ['torch_default'], activation: 'relu', depth: 5, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'torch_default', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 5',
    scale: 'ratio',
  },
  {
    id: 'tanh-xavier-50',
    params: { inits: ['xavier_normal'], activation: 'tanh', depth: 50, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'xavier_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 50',
    scale: 'ratio',
  },
  {
    id: 'linear-orthogonal-100',
    params: { inits: ['orthogonal'], activation: 'linear', depth: 100, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'orthogonal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 100',
    scale: 'ratio',
    tolerance: 1.25,
  },
  {
    id: 'relu-he-10',
    params: { inits: ['kaiming_normal'], activation: 'relu', depth: 10, quantity: 'pre' },
    reading: { figure: 'variance-by-depth', init: 'kaiming_normal', layer: 'last' },
    quantity: 'mean square of the pre-activations at layer 10',
    scale: 'ratio',
    tolerance: 1.5,
  },
];

/** The prompt with this id; an unknown id throws, listing the known ones (a build error). */
export function getPrediction(id: string): Prediction {
  const found = PREDICTIONS.find((p) => p.id === id);
  if (!found) {
    throw new Error(
      `Unknown prediction "${id}"; known: ${PREDICTIONS.map((p) => p.id).join(', ')}.`,
    );
  }
  return found;
}

/** The prompt's parameters, checked and completed by its figure's schema. */
export function predictionParams(prediction: Prediction): Record<string, unknown> {
  const model = figureModel(prediction.reading.figure);
  return sanitizeParams(model.schema, prediction.params).params as Record<string, unknown>;
}

/** `?<prefix>.<key>=…#figure-<id>`: the figure, wherever it is on the page, set to the prompt. */
export function figureLink(prediction: Prediction): string {
  const model = figureModel(prediction.reading.figure);
  const params = sanitizeParams(model.schema, prediction.params).params;
  const search = writeParams(model.schema, params, model.prefix, new URLSearchParams());
  return `?${search.toString()}#figure-${model.id}`;
}
