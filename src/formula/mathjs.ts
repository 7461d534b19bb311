/**
 * The one mathjs instance the formula code uses: the parser and its node classes, nothing that
 * evaluates. As the mathjs security notes advise for untrusted input, the functions that could
 * reach an evaluator are replaced by ones that throw, so nothing can call them by name.
 *
 * @module
 */
import { create, parseDependencies } from 'mathjs';

// The dependency map is typed optional; it exists in mathjs 15.
const math = create({ parseDependencies: parseDependencies! });

// Taken before the names are disabled below.
export const parse = math.parse;
export const { ConstantNode, FunctionNode, OperatorNode, SymbolNode } = math;

math.import(
  Object.fromEntries(
    [
      'import',
      'createUnit',
      'evaluate',
      'parse',
      'simplify',
      'simplifyCore',
      'derivative',
      'compile',
    ].map((n) => [
      n,
      () => {
        throw new Error(`${n} is disabled`);
      },
    ]),
  ),
  { override: true },
);
