/**
 * Input validation for the engine. Every public engine function checks its inputs with these
 * helpers, so a bad parameter always fails the same way: an {@link EngineInputError} whose message
 * names the parameter, what was received and what is allowed.
 *
 * @module
 */

/**
 * Largest number of float32 entries one engine call may allocate, per tensor and in total:
 * 2**27 entries = 512 MiB. Beyond that a browser tab would likely crash before failing cleanly.
 */
export const MAX_ELEMENTS = 2 ** 27;

/** Formats a received value for an error message: numbers as-is, strings quoted, arrays inline. */
export function formatReceived(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.map(formatReceived).join(', ')}]`;
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value);
  } catch {
    return typeof value;
  }
}

/**
 * A caller passed a value the engine cannot use. The message reads
 * `${param} must be ${allowed}; received ${received}`, optionally preceded by `${lead}: ` where
 * a well-known wording helps (e.g. PyTorch's "Unsupported nonlinearity").
 */
export class EngineInputError extends Error {
  /** Name of the offending parameter, e.g. `'width'` or `'init.std'`. */
  readonly param: string;
  /** The value that was received, unchanged. */
  readonly received: unknown;
  /** What would have been accepted, e.g. `'a positive integer'`. */
  readonly allowed: string;

  /**
   * @param param - name of the offending parameter
   * @param received - the value received
   * @param allowed - a phrase completing "must be …"
   * @param lead - optional summary put in front of the message
   */
  constructor(param: string, received: unknown, allowed: string, lead?: string) {
    const message = `${param} must be ${allowed}; received ${formatReceived(received)}`;
    super(lead === undefined ? message : `${lead}: ${message}`);
    this.name = 'EngineInputError';
    this.param = param;
    this.received = received;
    this.allowed = allowed;
  }
}

/**
 * Checks that `value` is a finite number (not NaN, not ±Infinity).
 * @returns the value, typed as a number
 * @throws EngineInputError otherwise
 */
export function finiteNumber(param: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new EngineInputError(param, value, 'a finite number');
  }
  return value;
}

/**
 * Checks that `value` is an integer ≥ 1 and, when `max` is given, ≤ `max`.
 * @returns the value, typed as a number
 * @throws EngineInputError otherwise
 */
export function positiveInt(param: string, value: unknown, max?: number): number {
  const allowed = max === undefined ? 'a positive integer' : `an integer from 1 to ${max}`;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new EngineInputError(param, value, allowed);
  }
  if (max !== undefined && value > max) throw new EngineInputError(param, value, allowed);
  return value;
}

/**
 * Checks that `value` is a finite number ≥ 0.
 * @returns the value, typed as a number
 * @throws EngineInputError otherwise
 */
export function nonNegative(param: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new EngineInputError(param, value, 'a finite number ≥ 0');
  }
  return value;
}

/**
 * Checks that `value` is a finite number in the closed interval [`lo`, `hi`].
 * @returns the value, typed as a number
 * @throws EngineInputError otherwise
 */
export function inRange(param: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    throw new EngineInputError(param, value, `a number in [${lo}, ${hi}]`);
  }
  return value;
}

/**
 * Checks that `value` is one of the `allowed` strings.
 * @returns the value, typed as the union of the allowed strings
 * @throws EngineInputError otherwise, listing the accepted values
 */
export function oneOf<const T extends string>(
  param: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new EngineInputError(param, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/**
 * Checks that allocating `elements` float32 entries stays within {@link MAX_ELEMENTS}.
 * @returns the element count
 * @throws EngineInputError when the count is not a non-negative integer or exceeds the budget
 */
export function checkMemory(param: string, elements: number): number {
  if (!Number.isInteger(elements) || elements < 0 || elements > MAX_ELEMENTS) {
    throw new EngineInputError(
      param,
      elements,
      `at most ${MAX_ELEMENTS} float32 entries (the 512 MiB memory budget)`,
    );
  }
  return elements;
}
