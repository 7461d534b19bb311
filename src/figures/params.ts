/**
 * Figure parameters: one schema per figure describes every control (its label, range and default).
 * The same schema renders the controls, parses the URL state and validates what the worker gets, so a
 * link reproduces the picture and a tampered link is clamped or rejected with a message, never run.
 *
 * @module
 */

/** A number on a slider. `log` sliders move in equal ratios (for example 0.01 … 100). */
export interface NumberParam {
  readonly kind: 'number';
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly default: number;
  readonly integer?: boolean;
  readonly scale?: 'linear' | 'log';
  /** A slider (default) or a box to type a number into, for wide integer ranges. */
  readonly control?: 'slider' | 'box';
  /** Short help shown under the control. */
  readonly hint?: string;
}

/** One value out of a fixed list (a select). */
export interface ChoiceParam {
  readonly kind: 'choice';
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly default: string;
  readonly hint?: string;
}

/** Several values out of a fixed list (checkboxes), in list order; at least one. */
export interface MultiParam {
  readonly kind: 'multi';
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly default: readonly string[];
  readonly hint?: string;
}

/** On or off (a checkbox). */
export interface ToggleParam {
  readonly kind: 'toggle';
  readonly label: string;
  readonly default: boolean;
  readonly hint?: string;
}

/** Free text, such as a formula (a text box); longer values are rejected, not cut. */
export interface TextParam {
  readonly kind: 'text';
  readonly label: string;
  readonly default: string;
  /** At most this many characters (and never more than the URL limit, 200). */
  readonly maxLength: number;
  readonly hint?: string;
}

export type ParamSpec = NumberParam | ChoiceParam | MultiParam | ToggleParam | TextParam;
export type Schema = Readonly<Record<string, ParamSpec>>;

/** The value type each kind of parameter holds. */
export type ValueOf<P extends ParamSpec> = P extends NumberParam
  ? number
  : P extends ChoiceParam | TextParam
    ? string
    : P extends MultiParam
      ? string[]
      : boolean;

export type ParamsOf<S extends Schema> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** The longest URL value we read; anything longer is rejected unread. */
const MAX_VALUE_LENGTH = 200;

/** The schema's defaults. */
export function defaults<S extends Schema>(schema: S): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    out[key] = spec.kind === 'multi' ? [...spec.default] : spec.default;
  }
  return out as ParamsOf<S>;
}

/** Snaps a number onto the parameter's range and grid. Returns null for NaN or non-numbers. */
export function clampNumber(spec: NumberParam, value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const inRange = Math.min(spec.max, Math.max(spec.min, value));
  // A log scale has no grid to snap to, but an integer parameter (a width) stays whole.
  if (spec.scale === 'log') return spec.integer ? Math.round(inRange) : inRange;
  const snapped = spec.min + Math.round((inRange - spec.min) / spec.step) * spec.step;
  const rounded = Number(Math.min(spec.max, snapped).toPrecision(12));
  return spec.integer ? Math.round(rounded) : rounded;
}

/** Positions of a log-scale slider: equal ratios between neighbours, both ends exact. */
export const LOG_STEPS = 100;

/** The slider position (0 … LOG_STEPS) nearest to a value on a log-scale parameter. */
export function logIndex(spec: NumberParam, value: number): number {
  const t = Math.log(value / spec.min) / Math.log(spec.max / spec.min);
  return Math.min(LOG_STEPS, Math.max(0, Math.round(t * LOG_STEPS)));
}

/**
 * The value at a log-scale slider position, to 3 significant digits (so 1 stays exactly 1), or the
 * nearest whole number for an integer parameter.
 */
export function logValue(spec: NumberParam, index: number): number {
  const v = spec.min * (spec.max / spec.min) ** (index / LOG_STEPS);
  const shown = spec.integer ? Math.round(v) : Number(v.toPrecision(3));
  return Math.min(spec.max, Math.max(spec.min, shown));
}

/** Result of reading parameters from untrusted input: usable values plus what was wrong. */
export interface Parsed<S extends Schema> {
  readonly params: ParamsOf<S>;
  /** One plain sentence per rejected or adjusted value, for display. */
  readonly messages: string[];
}

/** Reads one value from text (a URL parameter or a form field), reporting what it had to change. */
function readValue(spec: ParamSpec, raw: string): { value?: unknown; message?: string } {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  if (raw.length > MAX_VALUE_LENGTH)
    return { message: `${spec.label}: the value is too long and was ignored.` };
  switch (spec.kind) {
    case 'number': {
      const n = raw.trim() === '' ? NaN : Number(raw);
      const clamped = clampNumber(spec, n);
      if (clamped === null) {
        return { message: `${spec.label}: “${shown}” is not a number; using ${spec.default}.` };
      }
      if (clamped !== n && (n < spec.min || n > spec.max)) {
        return {
          value: clamped,
          message: `${spec.label}: ${shown} is outside ${spec.min}–${spec.max}; using ${clamped}.`,
        };
      }
      return { value: clamped };
    }
    case 'choice': {
      if (spec.options.some((o) => o.value === raw)) return { value: raw };
      // The reader knows the options by the labels the control shows, not by their URL values.
      const fallback = spec.options.find((o) => o.value === spec.default)?.label ?? spec.default;
      return {
        message: `${spec.label}: “${shown}” is not one of the options; using ${fallback}.`,
      };
    }
    case 'multi': {
      const wanted = raw.split(',').filter((v) => v !== '');
      const known = spec.options.filter((o) => wanted.includes(o.value)).map((o) => o.value);
      const unknown = wanted.filter((v) => !spec.options.some((o) => o.value === v));
      if (known.length === 0) {
        return {
          message: `${spec.label}: “${shown}” names none of the options; using the default.`,
        };
      }
      return unknown.length > 0
        ? {
            value: known,
            message: `${spec.label}: ignored unknown ${unknown.map((u) => `“${u.slice(0, 20)}”`).join(', ')}.`,
          }
        : { value: known };
    }
    case 'text': {
      if (raw.length > Math.min(spec.maxLength, MAX_VALUE_LENGTH)) {
        return { message: `${spec.label}: longer than ${spec.maxLength} characters; not used.` };
      }
      return { value: raw };
    }
    case 'toggle': {
      if (raw === '1' || raw === 'true') return { value: true };
      if (raw === '0' || raw === 'false') return { value: false };
      return {
        message: `${spec.label}: “${shown}” is not on (1) or off (0); using ${spec.default ? 'on' : 'off'}.`,
      };
    }
  }
}

/**
 * Reads a figure's parameters from URL search parameters named `<prefix>.<key>`. Unknown keys with the
 * prefix are reported; values are clamped or replaced by defaults, each with a message.
 */
export function parseParams<S extends Schema>(
  schema: S,
  search: URLSearchParams,
  prefix: string,
): Parsed<S> {
  const params = defaults(schema) as Record<string, unknown>;
  const messages: string[] = [];
  for (const [name, raw] of search) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const key = name.slice(prefix.length + 1);
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (!spec) {
      messages.push(`Unknown setting “${name.slice(0, 60)}” was ignored.`);
      continue;
    }
    const { value, message } = readValue(spec, raw);
    if (value !== undefined) params[key] = value;
    if (message) messages.push(message);
  }
  return { params: params as ParamsOf<S>, messages };
}

/**
 * Checks a params object from any source (a figure's props, a message) against the schema: the same
 * clamping and fallback as the URL, so nothing unchecked reaches the engine.
 */
export function sanitizeParams<S extends Schema>(
  schema: S,
  input: Partial<Record<string, unknown>>,
): Parsed<S> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    search.set(`p.${key}`, valueText(value));
  }
  return parseParams(schema, search, 'p');
}

/** A parameter value as URL text. */
function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/**
 * Writes the parameters that differ from `baseline` (the schema's defaults unless given) as
 * `<prefix>.<key>`, removing this figure's other keys, so links stay short.
 */
export function writeParams<S extends Schema>(
  schema: S,
  params: ParamsOf<S>,
  prefix: string,
  search: URLSearchParams,
  baseline: ParamsOf<S> = defaults(schema),
): URLSearchParams {
  for (const key of [...search.keys()]) if (key.startsWith(`${prefix}.`)) search.delete(key);
  for (const key of Object.keys(schema)) {
    const text = valueText((params as Record<string, unknown>)[key]);
    if (text !== valueText((baseline as Record<string, unknown>)[key]))
      search.set(`${prefix}.${key}`, text);
  }
  return search;
}

/** Whether two parameter objects are the same (values are numbers, strings, booleans, string lists). */
export function sameParams(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    } else if (x !== y) return false;
  }
  return true;
}
