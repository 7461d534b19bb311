/**
 * The functions a reader may use in an activation formula: how each evaluates, and its derivative
 * as a formula template in its argument(s) `U`, `V` (the chain rule multiplies by U′, V′).
 * Nothing outside this table can be called: a formula is parsed by mathjs and then evaluated by
 * closures built from this table, never by mathjs's own evaluator or by JavaScript `eval`.
 *
 * @module
 */
import { SELU_ALPHA, SELU_SCALE, normalCdf } from '../engine/activations';
import { erf } from '../engine/special';

/** One allowed function. */
export interface FormulaFunction {
  /** Number of arguments. */
  readonly arity: 1 | 2;
  /** Numerically stable evaluation. */
  readonly evaluate: (...args: number[]) => number;
  /**
   * ∂f/∂(argument i), as mathjs text in `U` (first argument) and `V` (second); e.g. `cos(U)` for
   * sin. Kinked functions use `step`, which is 1 for a positive argument and 0 otherwise, so
   * derivatives at a kink follow PyTorch (relu′(0) = 0).
   */
  readonly partials: readonly string[];
  /** Whether the function has a kink where its argument (or U − V for max/min) crosses 0. */
  readonly kinked?: boolean;
  /** TeX from the arguments' TeX; default `\operatorname{name}(…)`, upright like the named ones. */
  readonly tex?: (args: readonly string[]) => string;
}

/** TeX of a call to a named operator, e.g. `\tanh\left(x\right)`. */
const call =
  (command: string) =>
  (args: readonly string[]): string =>
    `${command}\\left(${args.join(',')}\\right)`;

const sigmoid = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};
const step = (x: number): number => (x > 0 ? 1 : 0);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** The function table, by name. */
export const FUNCTIONS: Readonly<Record<string, FormulaFunction>> = {
  exp: { arity: 1, evaluate: Math.exp, partials: ['exp(U)'], tex: call('\\exp') },
  log: { arity: 1, evaluate: Math.log, partials: ['1 / U'], tex: call('\\ln') },
  log1p: { arity: 1, evaluate: Math.log1p, partials: ['1 / (1 + U)'] },
  expm1: { arity: 1, evaluate: Math.expm1, partials: ['exp(U)'] },
  sqrt: {
    arity: 1,
    evaluate: Math.sqrt,
    partials: ['1 / (2 * sqrt(U))'],
    tex: ([u]) => `\\sqrt{${u}}`,
  },
  sin: { arity: 1, evaluate: Math.sin, partials: ['cos(U)'], tex: call('\\sin') },
  cos: { arity: 1, evaluate: Math.cos, partials: ['-sin(U)'], tex: call('\\cos') },
  tan: { arity: 1, evaluate: Math.tan, partials: ['1 / cos(U)^2'], tex: call('\\tan') },
  atan: {
    arity: 1,
    evaluate: Math.atan,
    partials: ['1 / (1 + U^2)'],
    tex: call('\\tan^{-1}'),
  },
  sinh: { arity: 1, evaluate: Math.sinh, partials: ['cosh(U)'], tex: call('\\sinh') },
  cosh: { arity: 1, evaluate: Math.cosh, partials: ['sinh(U)'], tex: call('\\cosh') },
  tanh: { arity: 1, evaluate: Math.tanh, partials: ['1 - tanh(U)^2'], tex: call('\\tanh') },
  asinh: { arity: 1, evaluate: Math.asinh, partials: ['1 / sqrt(U^2 + 1)'] },
  erf: { arity: 1, evaluate: erf, partials: ['2 / sqrt(pi) * exp(-U^2)'] },
  abs: {
    arity: 1,
    evaluate: Math.abs,
    partials: ['sign(U)'],
    kinked: true,
    tex: ([u]) => `\\left|${u}\\right|`,
  },
  sign: { arity: 1, evaluate: Math.sign, partials: ['0'], kinked: true },
  step: { arity: 1, evaluate: step, partials: ['0'], kinked: true },
  max: {
    arity: 2,
    evaluate: (a, b) => (a! >= b! ? a! : b!),
    partials: ['step(U - V)', 'step(V - U)'],
    kinked: true,
    tex: call('\\max'),
  },
  min: {
    arity: 2,
    evaluate: (a, b) => (a! <= b! ? a! : b!),
    partials: ['step(V - U)', 'step(U - V)'],
    kinked: true,
    tex: call('\\min'),
  },
  relu: { arity: 1, evaluate: (x) => (x! > 0 ? x! : 0), partials: ['step(U)'], kinked: true },
  elu: {
    arity: 1,
    evaluate: (x) => (x! > 0 ? x! : Math.expm1(x!)),
    partials: ['step(U) + step(-U) * exp(U)'],
    kinked: true,
  },
  selu: {
    arity: 1,
    evaluate: (x) => SELU_SCALE * (x! > 0 ? x! : SELU_ALPHA * Math.expm1(x!)),
    partials: [`${SELU_SCALE} * (step(U) + step(-U) * ${SELU_ALPHA} * exp(U))`],
    kinked: true,
  },
  sigmoid: { arity: 1, evaluate: sigmoid, partials: ['sigmoid(U) * (1 - sigmoid(U))'] },
  softplus: {
    arity: 1,
    // log(1 + eˣ) = max(x, 0) + log1p(e^(−|x|)), which never overflows.
    evaluate: (x) => Math.max(x!, 0) + Math.log1p(Math.exp(-Math.abs(x!))),
    partials: ['sigmoid(U)'],
  },
  silu: {
    arity: 1,
    evaluate: (x) => x! * sigmoid(x!),
    partials: ['sigmoid(U) * (1 + U * (1 - sigmoid(U)))'],
  },
  gelu: {
    arity: 1,
    evaluate: (x) => x! * normalCdf(x!),
    partials: ['(1 + erf(U / sqrt(2))) / 2 + U * exp(-U^2 / 2) / sqrt(2 * pi)'],
  },
  normcdf: {
    arity: 1,
    evaluate: normalCdf,
    partials: [`exp(-U^2 / 2) / ${SQRT_2PI}`],
  },
};

/** Named constants a formula may use besides x. */
export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

/** The function names, for messages. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS);
