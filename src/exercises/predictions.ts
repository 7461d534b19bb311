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

/**
 * A prompt on the variance-by-depth figure, one initialization: the mean square of the
 * pre-activations at the deepest layer, judged by ratio (within `tolerance`, default a factor 2).
 */
function deepest(
  id: string,
  init: string,
  activation: string,
  depth: number,
  {
    tolerance,
    ...extra
  }: { gain?: number; sigmaB?: number; seed?: number; tolerance?: number } = {},
): Prediction {
  return {
    id,
    params: { inits: [init], activation, depth, quantity: 'pre', ...extra },
    reading: { figure: 'variance-by-depth', init, layer: 'last' },
    quantity: `mean square of the pre-activations at layer ${depth}`,
    scale: 'ratio',
    ...(tolerance === undefined ? {} : { tolerance }),
  };
}

export const PREDICTIONS: readonly Prediction[] = [
  deepest('relu-xavier-20', 'xavier_normal', 'relu', 20),
  deepest('tanh-xavier-30', 'xavier_normal', 'tanh', 30),
  deepest('tanh-he-30', 'kaiming_normal', 'tanh', 30, { tolerance: 1.5 }),
  deepest('linear-gain-30', 'xavier_normal', 'linear', 30, { gain: 1.1 }),
  // Ten ReLU layers of width 256 spread the log of the mean square over seeds by about
  // √(5·10/256) ≈ 0.44 (Hanin & Rolnick 2018; beyond-rules-of-thumb derives the 5/n per layer):
  // seeds 0–12 give factors from 0.47 to 1.8 of the mean-field value. Seed 7 is one whose draw
  // sits near it (within 6 % on both streams), so that a reader who predicts the mean-field value
  // reads "close". He normal at depth 10 (relu-he-10) scales the same draws: same spread, same seed.
  deepest('relu-small-10', 'small', 'relu', 10, { seed: 7 }),
  deepest('tanh-xavier-bias-30', 'xavier_normal', 'tanh', 30, { sigmaB: 0.3, tolerance: 1.5 }),
  deepest('relu-default-5', 'torch_default', 'relu', 5),
  deepest('tanh-xavier-50', 'xavier_normal', 'tanh', 50),
  deepest('linear-orthogonal-100', 'orthogonal', 'linear', 100, { tolerance: 1.25 }),
  deepest('relu-he-10', 'kaiming_normal', 'relu', 10, { seed: 7, tolerance: 1.5 }),
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
