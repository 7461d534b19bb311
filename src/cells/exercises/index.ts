/**
 * Exercises a cell can carry (```` ```ts cell exercise=<id> ````), by id.
 *
 * @module
 */
import type { Exercise } from './types';
import { firstFlagged } from './first-flagged';
import { initialLoss } from './initial-loss';
import { kaimingNormal } from './kaiming-normal';
import { layerFactors } from './layer-factors';
import { linearDefault } from './linear-default';
import { orthogonal } from './orthogonal';
import { qStar } from './q-star';
import { saturatedShare } from './saturated-share';
import { secondMomentGain } from './second-moment-gain';
import { xavierUniform } from './xavier-uniform';

export type { CheckResult, Exercise } from './types';

const EXERCISES: readonly Exercise[] = [
  xavierUniform,
  layerFactors,
  secondMomentGain,
  kaimingNormal,
  saturatedShare,
  linearDefault,
  initialLoss,
  qStar,
  orthogonal,
  firstFlagged,
];

export const EXERCISE_IDS = EXERCISES.map((e) => e.id);

/** The exercise with this id; an unknown id throws, listing the known ones. */
export function getExercise(id: string): Exercise {
  const found = EXERCISES.find((e) => e.id === id);
  if (!found) throw new Error(`Unknown exercise "${id}"; known: ${EXERCISE_IDS.join(', ')}.`);
  return found;
}
