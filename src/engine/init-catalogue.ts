/**
 * The catalogue of named initializations the site offers: one id, one label readers see, the
 * engine {@link InitSpec} it stands for and its predicted weight variance (from
 * {@link initVariance}, the recipes' own arithmetic). Every figure reads its labels and theory
 * from here.
 *
 * @module
 */
import type { InitSpec, VarianceScalingDistribution, VarianceScalingMode } from './init-spec';
import { initVariance } from './init-variance';
import { EngineInputError } from './validate';

/** Every catalogue id (the values figures keep in their URL parameters). */
export const INIT_IDS = [
  'xavier_normal',
  'xavier_uniform',
  'kaiming_normal',
  'kaiming_normal_fan_out',
  'kaiming_uniform',
  'torch_default',
  'lecun_normal',
  'lecun_uniform',
  'glorot_normal',
  'glorot_uniform',
  'he_normal',
  'he_uniform',
  'orthogonal',
  'unscaled',
  'small',
  'zeros',
  'constant',
] as const;

/** One of the {@link INIT_IDS}. */
export type InitId = (typeof INIT_IDS)[number];

/** How an entry's weights are distributed, as the fan calculator names it. */
export type InitDistribution =
  'uniform' | 'normal' | 'truncated normal' | 'orthogonal' | 'constant';

/** What a figure may vary about an entry. */
export interface InitChoice {
  /**
   * Multiplies the weights' standard deviation; default 1, where the spec is exactly the call the
   * label names. Other gains use the equivalent variance scaling (or the init's own gain).
   */
  readonly gain?: number | undefined;
  /** The value of every weight, for `constant` (required there, ignored elsewhere). */
  readonly value?: number | undefined;
}

/** One named initialization. */
export interface InitEntry {
  /** Stable id, as kept in URLs. */
  readonly id: InitId;
  /** The name readers see in controls, legends and summaries (the chapters' wording). */
  readonly label: string;
  /** A short name for end labels that must fit a phone-width chart. */
  readonly short: string;
  /** How PyTorch (or JAX/Keras) spells it, for a weight `w`. */
  readonly call: string;
  /** The shape of the distribution. */
  readonly distribution: InitDistribution;
  /** Whether the variance reads fan_out (so a square layer is needed to match fan_in rules). */
  readonly readsFanOut: boolean;
  /** The engine spec it stands for, at `choice.gain` (default 1). */
  spec(choice?: InitChoice): InitSpec;
  /**
   * Predicted Var(w) for a weight of `shape` (PyTorch layout: `[fan_out, fan_in]` for a linear
   * layer, `[out, in/groups, ...kernel]` for a convolution), from {@link initVariance}.
   */
  variance(shape: readonly number[], choice?: InitChoice): number;
}

/** A variance-scaling spec, the scale multiplied by gain². */
const vs = (
  scale: number,
  mode: VarianceScalingMode,
  distribution: VarianceScalingDistribution,
  gain: number,
): InitSpec => ({ name: 'variance_scaling', scale: scale * gain * gain, mode, distribution });

/** The exact call at gain 1, its variance-scaling equivalent at other gains. */
const exactAtOne =
  (
    exact: InitSpec,
    scale: number,
    mode: VarianceScalingMode,
    distribution: VarianceScalingDistribution,
  ) =>
  (gain: number): InitSpec =>
    gain === 1 ? exact : vs(scale, mode, distribution, gain);

type Row = readonly [
  id: InitId,
  label: string,
  short: string,
  call: string,
  distribution: InitDistribution,
  readsFanOut: boolean,
  spec: (gain: number, value: number | undefined) => InitSpec,
];

/** The entries' gain-1 specs, where the call is exact (other gains: variance scaling). */
const HE_IN: InitSpec = { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'relu' };
const HE_OUT: InitSpec = { name: 'kaiming_normal', mode: 'fan_out', nonlinearity: 'relu' };
const HE_UNI: InitSpec = { name: 'kaiming_uniform', mode: 'fan_in', nonlinearity: 'relu' };

/** A constant needs its value. */
function constant(value: number | undefined): InitSpec {
  if (value === undefined) {
    throw new EngineInputError('value', value, 'the constant, a finite number');
  }
  return { name: 'constant', value };
}

// One row per entry: id, label, short, call, distribution, reads fan_out, spec at a gain.
// prettier-ignore
const ROWS: readonly Row[] = [
  ['xavier_normal', 'Xavier normal', 'Xavier', 'xavier_normal_(w)', 'normal', true,
    (gain) => ({ name: 'xavier_normal', gain })],
  ['xavier_uniform', 'Xavier uniform', 'Xavier', 'xavier_uniform_(w)', 'uniform', true,
    (gain) => ({ name: 'xavier_uniform', gain })],
  ['kaiming_normal', 'He normal', 'He', "kaiming_normal_(w, nonlinearity='relu')", 'normal', false,
    exactAtOne(HE_IN, 2, 'fan_in', 'untruncated_normal')],
  ['kaiming_normal_fan_out', 'He normal (fan_out)', 'He fan_out',
    "kaiming_normal_(w, mode='fan_out', nonlinearity='relu')", 'normal', true,
    exactAtOne(HE_OUT, 2, 'fan_out', 'untruncated_normal')],
  ['kaiming_uniform', 'He uniform', 'He uniform', "kaiming_uniform_(w, nonlinearity='relu')",
    'uniform', false, exactAtOne(HE_UNI, 2, 'fan_in', 'uniform')],
  ['torch_default', 'PyTorch default', 'PyTorch', 'kaiming_uniform_(w, a=math.sqrt(5))', 'uniform',
    false, exactAtOne({ name: 'torch_default' }, 1 / 3, 'fan_in', 'uniform')],
  ['lecun_normal', 'LeCun normal', 'LeCun', 'jax.nn.initializers.lecun_normal()', 'truncated normal',
    false, exactAtOne({ name: 'lecun_normal' }, 1, 'fan_in', 'truncated_normal')],
  ['lecun_uniform', 'LeCun uniform', 'LeCun uniform', 'jax.nn.initializers.lecun_uniform()',
    'uniform', false, (gain) => vs(1, 'fan_in', 'uniform', gain)],
  ['glorot_normal', 'Glorot normal (JAX)', 'Glorot', 'jax.nn.initializers.glorot_normal()',
    'truncated normal', true, (gain) => vs(1, 'fan_avg', 'truncated_normal', gain)],
  ['glorot_uniform', 'Glorot uniform (JAX)', 'Glorot', 'jax.nn.initializers.glorot_uniform()',
    'uniform', true, (gain) => vs(1, 'fan_avg', 'uniform', gain)],
  ['he_normal', 'He normal (JAX)', 'He', 'jax.nn.initializers.he_normal()', 'truncated normal',
    false, (gain) => vs(2, 'fan_in', 'truncated_normal', gain)],
  ['he_uniform', 'He uniform (JAX)', 'He uniform', 'jax.nn.initializers.he_uniform()', 'uniform',
    false, (gain) => vs(2, 'fan_in', 'uniform', gain)],
  ['orthogonal', 'Orthogonal', 'orthogonal', 'orthogonal_(w)', 'orthogonal', true,
    (gain) => ({ name: 'orthogonal', gain })],
  ['unscaled', 'Unscaled N(0, 1)', 'N(0, 1)', 'normal_(w)', 'normal', false,
    (gain) => ({ name: 'normal', mean: 0, std: gain })],
  ['small', 'Small N(0, 0.01²)', 'small', 'normal_(w, std=0.01)', 'normal', false,
    (gain) => ({ name: 'normal', mean: 0, std: 0.01 * gain })],
  ['zeros', 'All zeros', 'zeros', 'zeros_(w)', 'constant', false, () => ({ name: 'zeros' })],
  ['constant', 'Constant c', 'constant', 'constant_(w, c)', 'constant', false,
    (_gain, value) => constant(value)],
];

/** Every entry, in {@link INIT_IDS} order. */
export const INIT_CATALOGUE: readonly InitEntry[] = ROWS.map(
  ([id, label, short, call, distribution, readsFanOut, make]): InitEntry => {
    const spec = (choice: InitChoice = {}): InitSpec => make(choice.gain ?? 1, choice.value);
    return {
      id,
      label,
      short,
      call,
      distribution,
      readsFanOut,
      spec,
      variance: (shape, choice) => initVariance(shape, spec(choice)),
    };
  },
);

const BY_ID = new Map<string, InitEntry>(INIT_CATALOGUE.map((e) => [e.id, e]));

/** Whether `id` names a catalogue entry. */
export const isInitId = (id: string): id is InitId => BY_ID.has(id);

/**
 * The entry named `id`.
 * @throws EngineInputError for an id the catalogue does not have
 */
export function initEntry(id: string): InitEntry {
  const entry = BY_ID.get(id);
  if (entry === undefined) {
    throw new EngineInputError('init', id, `one of ${INIT_IDS.map((n) => `'${n}'`).join(', ')}`);
  }
  return entry;
}

/** The label readers see for `id` (the id itself if the catalogue does not have it). */
export const initLabel = (id: string): string => BY_ID.get(id)?.label ?? id;

/** The short end-label name for `id` (the id itself if the catalogue does not have it). */
export const initShort = (id: string): string => BY_ID.get(id)?.short ?? id;

/** Control options `{ value, label }` for the entries `ids`, in that order. */
export function initOptions(ids: readonly InitId[]): { value: InitId; label: string }[] {
  return ids.map((id) => ({ value: id, label: initEntry(id).label }));
}

/** σ_w² = n·Var(w) for a square n × n layer drawn from `id` (what mean-field theory reads). */
export function sigmaW2Of(id: string, width: number, choice?: InitChoice): number {
  return width * initEntry(id).variance([width, width], choice);
}
