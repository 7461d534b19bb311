/** Every figure's model, by id. The worker imports this (no Plot here). */
import { model as fanCalculator } from './fan-calculator/model';
import type { AnyFigureModel } from './types';
import { model as varianceByDepth } from './variance-by-depth/model';

export const MODELS: Readonly<Record<string, AnyFigureModel>> = {
  [fanCalculator.id]: fanCalculator,
  [varianceByDepth.id]: varianceByDepth,
};

/** The model for an id, or a clear error naming the known ids. */
export function figureModel(id: string): AnyFigureModel {
  const model = Object.hasOwn(MODELS, id) ? MODELS[id] : undefined;
  if (!model)
    throw new Error(
      `Unknown figure ${JSON.stringify(id)}; known: ${Object.keys(MODELS).join(', ')}.`,
    );
  return model;
}
