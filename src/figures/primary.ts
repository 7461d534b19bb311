/**
 * Which of a figure's settings come first, under the chart, and which wait under "More settings".
 * A figure names its primary settings (the model's `primary`); a chapter may name others for one
 * placement, when its caption asks the reader to change those.
 *
 * @module
 */
import type { Schema } from './params';

/** More than this many settings in the strip would make it a wall again. */
export const MAX_PRIMARY = 4;

export interface SettingGroups {
  /** Shown under the chart, in this order. */
  readonly primary: readonly string[];
  /** Under "More settings", in schema order. */
  readonly more: readonly string[];
}

/** Splits the schema's keys; throws, naming the figure, on an unknown, repeated or excess key. */
export function settingGroups(
  figure: string,
  schema: Schema,
  primary: readonly string[],
): SettingGroups {
  const keys = Object.keys(schema);
  const unknown = primary.filter((k) => !keys.includes(k));
  if (unknown.length > 0) {
    throw new Error(
      `Figure ${figure}: unknown primary setting ${unknown.map((k) => JSON.stringify(k)).join(', ')}; known: ${keys.join(', ')}.`,
    );
  }
  if (new Set(primary).size !== primary.length) {
    throw new Error(`Figure ${figure}: a primary setting is named twice in ${primary.join(', ')}.`);
  }
  if (primary.length > MAX_PRIMARY) {
    throw new Error(
      `Figure ${figure}: ${primary.length} primary settings; at most ${MAX_PRIMARY} fit under the chart.`,
    );
  }
  return { primary, more: keys.filter((k) => !primary.includes(k)) };
}
