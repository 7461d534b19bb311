/** Every figure's model, by id. The worker imports this (no Plot here). */
import { model as activationLab } from './activation-lab/model';
import { model as distributionsByLayer } from './distributions-by-layer/model';
import { model as fanCalculator } from './fan-calculator/model';
import { model as orderChaos } from './order-chaos/model';
import { model as saturation } from './saturation/model';
import { model as symmetry } from './symmetry/model';
import { model as trainingCurves } from './training-curves/model';
import type { AnyFigureModel } from './types';
import { model as varianceByDepth } from './variance-by-depth/model';
import { model as width } from './width/model';
import { model as widthDraws } from './width-draws/model';

export const MODELS: Readonly<Record<string, AnyFigureModel>> = {
  [fanCalculator.id]: fanCalculator,
  [varianceByDepth.id]: varianceByDepth,
  [symmetry.id]: symmetry,
  [width.id]: width,
  [widthDraws.id]: widthDraws,
  [orderChaos.id]: orderChaos,
  [distributionsByLayer.id]: distributionsByLayer,
  [saturation.id]: saturation,
  [activationLab.id]: activationLab,
  [trainingCurves.id]: trainingCurves,
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
