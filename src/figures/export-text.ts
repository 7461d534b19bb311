/**
 * The words an exported figure carries besides its chart: the file name, built from the figure and
 * its settings, and the compact parameter line printed under the chart. No DOM here.
 *
 * @module
 */
import type { ParamsOf, Schema } from './params';
import { defaults, sameParams } from './params';
import { formatNumber } from './types';

/** File names stay short enough for every file system and a download bar. */
export const MAX_NAME_LENGTH = 96;

function valueText(value: unknown, kind: Schema[string]['kind'], separator: string): string {
  if (kind === 'number') return formatNumber(value as number);
  if (kind === 'toggle') return value === true ? 'on' : 'off';
  if (Array.isArray(value)) return value.join(separator);
  return String(value);
}

/**
 * `activation = relu · depth = 30 · …`: every setting, in the schema's order. The spaces around `=`
 * do not break, so a wrapped line never parts a key from its value (a list may break after a comma).
 */
export function parameterLine(schema: Schema, params: ParamsOf<Schema>): string {
  return Object.entries(schema)
    .map(([key, spec]) => `${key}\u00a0=\u00a0${valueText(params[key], spec.kind, ', ')}`)
    .join(' · ');
}

/** Lowercase letters, digits, `.` and `+`; runs of anything else become one `-`. */
function token(text: string): string {
  const kebab = text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return kebab.replace(/[^a-z0-9.+]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** A short fingerprint of a text (FNV-1a, 32 bits, base 36). */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * `variance-by-depth_activation-relu_depth-30….png`: the figure's id, its primary settings (always),
 * then every other setting that differs from the schema's default. A name that would be longer than
 * {@link MAX_NAME_LENGTH} keeps the pairs that fit and ends with a fingerprint of the full state, so
 * different states still get different names.
 */
export function exportFileName(
  id: string,
  schema: Schema,
  params: ParamsOf<Schema>,
  primary: readonly string[],
  extension: string,
): string {
  const base = defaults(schema);
  const keys = [
    ...primary,
    ...Object.keys(schema).filter(
      (k) => !primary.includes(k) && !sameParams({ v: params[k] }, { v: base[k] }),
    ),
  ];
  const pairs = keys.map((k) => `${token(k)}-${token(valueText(params[k], schema[k]!.kind, '+'))}`);
  const room = MAX_NAME_LENGTH - extension.length - 1;
  const full = [token(id), ...pairs].join('_');
  if (full.length <= room) return `${full}.${extension}`;
  const tail = `_${fingerprint(full)}`;
  let name = token(id).slice(0, room - tail.length);
  for (const pair of pairs) {
    if (name.length + 1 + pair.length + tail.length > room) break;
    name += `_${pair}`;
  }
  return `${name}${tail}.${extension}`;
}

/** The first sentence of a text (up to a full stop followed by a capital or the end), trimmed. */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s+[A-Z(“"']|$)/.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}
