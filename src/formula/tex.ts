/**
 * TeX of a checked formula tree. Every function call is typeset here from the table in
 * `functions.ts`, with its arguments' TeX computed once; mathjs typesets the operators, numbers
 * and x. (mathjs's own typesetting of a call renders each argument twice, once for a list it then
 * throws away: the work doubles with every level of nesting, and tanh nested 20 deep took 30 s.)
 *
 * @module
 */
import type { MathNode } from 'mathjs';
import { FUNCTIONS } from './functions';

/** TeX of `root`, in time linear in its size. */
export function formulaTex(root: MathNode): string {
  return root.toTex({
    handler: (node: MathNode, options: object): string | undefined => {
      if (node.type !== 'FunctionNode') return undefined;
      const { fn, args } = node as unknown as { fn: { name: string }; args: MathNode[] };
      const inner = args.map((a) => a.toTex(options));
      const spec = Object.hasOwn(FUNCTIONS, fn.name) ? FUNCTIONS[fn.name] : undefined;
      return spec?.tex?.(inner) ?? `\\operatorname{${fn.name}}\\left(${inner.join(',')}\\right)`;
    },
  });
}
