/**
 * The file the reader's script writes (public/diagnose/initbook_stats.py): format
 * "initbook-layer-stats", version 1, one entry per weight layer in the order the forward pass ran
 * them. {@link readStats} checks a file's size, parses it and validates every field, and answers
 * either the statistics or messages that say what is wrong and where. Nothing here touches the DOM;
 * strings from the file are returned as data, never as markup.
 *
 * @module
 */
import { ACTIVATIONS } from '../engine/activations';

export const FORMAT = 'initbook-layer-stats';
export const VERSION = 1;
/** Largest file the page reads: a 500-layer file from the script is about 200 kB. */
export const MAX_BYTES = 1_000_000;
export const MAX_LAYERS = 500;
/** Longest model or layer name kept (longer ones are an error, not cut). */
export const MAX_NAME = 200;
/** At most this many problems are listed; the rest are counted. */
const MAX_MESSAGES = 5;

export interface LayerStats {
  readonly name: string;
  readonly kind: string;
  readonly fanIn: number;
  readonly fanOut: number;
  readonly weightVar: number;
  readonly biasVar: number;
  /** The activation applied to this layer's output (one of the engine's ACTIVATIONS). */
  readonly activation: string;
  readonly activationParam?: number;
  readonly inputSecondMoment: number;
  /** E[y²] of this layer's output, the pre-activation. */
  readonly forwardSecondMoment: number;
  /** E[(∂L/∂y)²], or null when the backward pass did not reach the layer. */
  readonly gradSecondMoment: number | null;
  readonly saturatedFraction: number | null;
  readonly deadFraction: number | null;
}

export interface ModelStats {
  readonly model: string;
  readonly batchSize: number;
  readonly loss: number | null;
  readonly classes: number | null;
  readonly layers: readonly LayerStats[];
}

export type ReadResult =
  | { readonly ok: true; readonly stats: ModelStats }
  | { readonly ok: false; readonly messages: readonly string[] };

/** Bytes of a text in UTF-8 (what a file of that text weighs). */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The size message, for a file whose size is known before it is read. */
export function sizeProblem(bytes: number): string | null {
  if (bytes <= MAX_BYTES) return null;
  return `The file is ${formatBytes(bytes)}; the page reads files up to ${formatBytes(MAX_BYTES)}. A file from the script is about 0.4 kB per layer: is this the right file?`;
}

const formatBytes = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.ceil(n / 1e3)} kB`;

/** Python's json writes NaN, Infinity and -Infinity; JSON has no such values. */
const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'] as const;
const SENTINEL = '\u0000initbook-nonfinite:';

/**
 * Replaces the bare tokens NaN, Infinity and -Infinity outside strings by marker strings, so that the
 * validator can say which field holds them instead of failing on the whole file.
 */
function markNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = NON_FINITE.find((t) => text.startsWith(t, i));
    if (token) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function parseError(text: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const at = /position (\d+)/.exec(detail);
  // V8 names the line itself; other engines give only a position, or a line of their own.
  const where = at && !/line/i.test(detail) ? ` at ${lineColumn(text, Number(at[1]))}` : '';
  return `This is not valid JSON${where}: ${detail}. Paste the whole file the script wrote, from its first { to its last }.`;
}

class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a received value reads in a message (strings are quoted and cut, never interpreted). */
function shown(v: unknown): string {
  if (typeof v === 'string') {
    if (v.startsWith(SENTINEL)) return v.slice(SENTINEL.length);
    return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  }
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'an object';
  return String(v);
}

type Check = 'count' | 'nonNegative' | 'fraction' | 'finite';

const ALLOWED: Record<Check, string> = {
  count: 'a whole number of 1 or more',
  nonNegative: 'a finite number of 0 or more',
  fraction: 'a number from 0 to 1',
  finite: 'a finite number',
};

function number(
  p: Problems,
  where: string,
  v: unknown,
  check: Check,
  nullable = false,
): number | null {
  if (v === null && nullable) return null;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (check === 'count' ? Number.isInteger(v) && v >= 1 : true) &&
    (check === 'nonNegative' ? v >= 0 : true) &&
    (check === 'fraction' ? v >= 0 && v <= 1 : true);
  if (ok) return v;
  const nonFinite = typeof v === 'string' && v.startsWith(SENTINEL);
  const why = nonFinite
    ? ' (not a finite number: the model overflowed or divided by zero here)'
    : v === undefined
      ? ' (missing)'
      : '';
  p.add(
    `${where} must be ${ALLOWED[check]}${nullable ? ' or null' : ''}; received ${shown(v)}${why}.`,
  );
  return null;
}

function text(p: Problems, where: string, v: unknown): string | null {
  if (typeof v === 'string' && !v.startsWith(SENTINEL) && v.length <= MAX_NAME) return v;
  p.add(`${where} must be a text of at most ${MAX_NAME} characters; received ${shown(v)}.`);
  return null;
}

function layer(p: Problems, index: number, v: unknown): LayerStats | null {
  const at = `layers[${index}]`;
  if (!isObject(v)) {
    p.add(`${at} must be an object with the layer's statistics; received ${shown(v)}.`);
    return null;
  }
  const name = text(p, `${at}.name`, v['name']);
  const where = (field: string) =>
    `${at}${name === null ? '' : ` (${JSON.stringify(name)})`}.${field}`;
  const activation = v['activation'];
  if (typeof activation !== 'string' || !(ACTIVATIONS as readonly string[]).includes(activation)) {
    p.add(
      `${where('activation')} must be one of ${ACTIVATIONS.join(', ')}; received ${shown(activation)}.`,
    );
  }
  const param = v['activation_param'];
  const out = {
    name,
    kind: text(p, where('kind'), v['kind']),
    fanIn: number(p, where('fan_in'), v['fan_in'], 'count'),
    fanOut: number(p, where('fan_out'), v['fan_out'], 'count'),
    weightVar: number(p, where('weight_var'), v['weight_var'], 'nonNegative'),
    biasVar:
      v['bias_var'] === undefined ? 0 : number(p, where('bias_var'), v['bias_var'], 'nonNegative'),
    inputSecondMoment: number(
      p,
      where('input_second_moment'),
      v['input_second_moment'],
      'nonNegative',
    ),
    forwardSecondMoment: number(
      p,
      where('forward_second_moment'),
      v['forward_second_moment'],
      'nonNegative',
    ),
    gradSecondMoment: number(
      p,
      where('grad_second_moment'),
      v['grad_second_moment'],
      'nonNegative',
      true,
    ),
    saturatedFraction: number(
      p,
      where('saturated_fraction'),
      v['saturated_fraction'] ?? null,
      'fraction',
      true,
    ),
    deadFraction: number(p, where('dead_fraction'), v['dead_fraction'] ?? null, 'fraction', true),
    activationParam:
      param === undefined ? undefined : number(p, where('activation_param'), param, 'finite'),
  };
  if (Object.entries(out).some(([k, x]) => x === null && !NULLABLE.has(k))) return null;
  return {
    ...(out as Omit<LayerStats, 'activation'>),
    activation: activation as string,
    ...(out.activationParam === undefined
      ? {}
      : { activationParam: out.activationParam as number }),
  };
}

const NULLABLE = new Set(['gradSecondMoment', 'saturatedFraction', 'deadFraction']);

/** Validates a parsed file. */
export function validateStats(value: unknown): ReadResult {
  const p = new Problems();
  if (!isObject(value)) {
    return {
      ok: false,
      messages: [`The file must hold one JSON object; it holds ${shown(value)}.`],
    };
  }
  if (value['format'] !== FORMAT) {
    return {
      ok: false,
      messages: [
        `format must be ${JSON.stringify(FORMAT)}; received ${shown(value['format'])}. Is this a file from initbook_stats.py?`,
      ],
    };
  }
  if (value['version'] !== VERSION) {
    const v = value['version'];
    const newer = typeof v === 'number' && v > VERSION;
    return {
      ok: false,
      messages: [
        `version must be ${VERSION}; received ${shown(v)}.${newer ? ' The file is newer than this page: reload the page, or use the script from this page.' : ''}`,
      ],
    };
  }
  const model = value['model'] === undefined ? 'model' : text(p, 'model', value['model']);
  const batchSize = number(p, 'batch_size', value['batch_size'], 'count');
  const loss =
    value['loss'] === undefined ? null : number(p, 'loss', value['loss'], 'nonNegative', true);
  const classes =
    value['classes'] === undefined ? null : number(p, 'classes', value['classes'], 'count', true);
  const raw = value['layers'];
  let layers: LayerStats[] = [];
  if (!Array.isArray(raw) || raw.length === 0) {
    p.add(`layers must be a list of at least one layer; received ${shown(raw)}.`);
  } else if (raw.length > MAX_LAYERS) {
    p.add(`The file lists ${raw.length} layers; the page reads at most ${MAX_LAYERS}.`);
  } else {
    layers = raw.map((l, i) => layer(p, i, l)).filter((l): l is LayerStats => l !== null);
  }
  if (p.list.length > 0) {
    const extra = p.list.length - MAX_MESSAGES;
    const messages = p.list.slice(0, MAX_MESSAGES);
    if (extra > 0) messages.push(`… and ${extra} more problem${extra === 1 ? '' : 's'}.`);
    return { ok: false, messages };
  }
  return {
    ok: true,
    stats: { model: model!, batchSize: batchSize!, loss, classes, layers },
  };
}

/** Checks the size, parses and validates a file's text. */
export function readStats(text: string): ReadResult {
  // UTF-8 never takes fewer bytes than UTF-16 code units, so a long text is refused before encoding.
  const size = sizeProblem(text.length > MAX_BYTES ? text.length : utf8Bytes(text));
  if (size) return { ok: false, messages: [size] };
  if (text.trim() === '') return { ok: false, messages: ['The file is empty.'] };
  let parsed: unknown;
  const marked = markNonFinite(text);
  try {
    parsed = JSON.parse(marked);
  } catch (error) {
    // The markers add no line breaks, so the line of an error is the file's own.
    return { ok: false, messages: [parseError(marked, error)] };
  }
  return validateStats(parsed);
}
