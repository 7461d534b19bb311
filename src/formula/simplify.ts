/**
 * Tidies a derivative tree for reading: drops parentheses, unary plus, + 0, · 1, / 1 and ^ 1, turns
 * · 0 and 0 / u into 0 and u ^ 0 into 1, folds signs (−(−u) = u, −(u − v) = v − u, u + (−v) = u − v,
 * u − (−v) = u + v), adds and multiplies two integer constants, and puts a constant factor first.
 *
 * These are the rules of mathjs's `simplifyCore`, in one pass: every node is visited once, and each
 * rule looks only at its already tidied operands, so the work is linear in the size of the tree.
 * (`simplifyCore` tidies the first operand of every + and · twice, which doubles the work at each
 * level: a sum of 100 terms never finished.) The caller checks the result against the untidied
 * derivative at test points.
 *
 * @module
 */
import type { MathNode } from 'mathjs';
import { ConstantNode, FunctionNode, OperatorNode } from './mathjs';

interface Op {
  readonly type: 'OperatorNode';
  readonly fn: string;
  readonly args: MathNode[];
  readonly implicit: boolean;
}

// mathjs types the constructor for literal operator names only.
const Operator = OperatorNode as unknown as new (
  op: string,
  fn: string,
  args: MathNode[],
  implicit: boolean,
) => MathNode;
const op = (fn: string, args: MathNode[], implicit = false): MathNode =>
  new Operator(SYMBOLS[fn]!, fn, args, implicit);

const SYMBOLS: Readonly<Record<string, string>> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  unaryMinus: '-',
};

const valueOf = (n: MathNode): number | undefined =>
  n.type === 'ConstantNode' ? ((n as unknown as { value: number }).value as number) : undefined;
const is = (n: MathNode, v: number): boolean => valueOf(n) === v;
const asOp = (n: MathNode, fn: string): Op | undefined =>
  n.type === 'OperatorNode' && (n as unknown as Op).fn === fn ? (n as unknown as Op) : undefined;

/** a ∘ b for two integer constants whose result is an exact integer, else undefined. */
function fold(a: MathNode, b: MathNode, f: (p: number, q: number) => number): MathNode | undefined {
  const [p, q] = [valueOf(a), valueOf(b)];
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return undefined;
  const r = f(p!, q!);
  return Number.isSafeInteger(r) && r >= 0
    ? (new ConstantNode(r) as unknown as MathNode)
    : undefined;
}

function negate(a: MathNode): MathNode {
  const minus = asOp(a, 'unaryMinus');
  if (minus) return minus.args[0]!;
  const diff = asOp(a, 'subtract');
  if (diff) return subtract(diff.args[1]!, diff.args[0]!);
  return op('unaryMinus', [a]);
}

function add(a: MathNode, b: MathNode): MathNode {
  if (is(a, 0)) return b;
  if (is(b, 0)) return a;
  const minus = asOp(b, 'unaryMinus');
  if (minus) return subtract(a, minus.args[0]!);
  return fold(a, b, (p, q) => p + q) ?? op('add', [a, b]);
}

function subtract(a: MathNode, b: MathNode): MathNode {
  const minus = asOp(b, 'unaryMinus');
  if (minus) return add(a, minus.args[0]!);
  if (is(a, 0)) return negate(b);
  if (is(b, 0)) return a;
  return fold(a, b, (p, q) => p - q) ?? op('subtract', [a, b]);
}

function multiply(a: MathNode, b: MathNode, implicit: boolean): MathNode {
  if (is(a, 0) || is(b, 0)) return new ConstantNode(0) as unknown as MathNode;
  if (is(a, 1)) return b;
  if (is(b, 1)) return a;
  const folded = fold(a, b, (p, q) => p * q);
  if (folded) return folded;
  return valueOf(b) === undefined
    ? op('multiply', [a, b], implicit)
    : op('multiply', [b, a], implicit);
}

function divide(a: MathNode, b: MathNode): MathNode {
  if (is(a, 0)) return a;
  return is(b, 1) ? a : op('divide', [a, b]);
}

function power(a: MathNode, b: MathNode): MathNode {
  if (is(b, 0)) return new ConstantNode(1) as unknown as MathNode;
  return is(b, 1) ? a : op('pow', [a, b]);
}

/** The tidied tree (new nodes; the input is not changed). */
export function simplifyTree(node: MathNode): MathNode {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ParenthesisNode':
      return simplifyTree(n['content'] as MathNode);
    case 'FunctionNode':
      return new FunctionNode(
        n['fn'] as MathNode,
        (n['args'] as MathNode[]).map(simplifyTree),
      ) as unknown as MathNode;
    case 'OperatorNode': {
      const { fn, implicit } = node as unknown as Op;
      const [a, b] = (n['args'] as MathNode[]).map(simplifyTree) as [MathNode, MathNode];
      switch (fn) {
        case 'unaryPlus':
          return a;
        case 'unaryMinus':
          return negate(a);
        case 'add':
          return add(a, b);
        case 'subtract':
          return subtract(a, b);
        case 'multiply':
          return multiply(a, b, implicit);
        case 'divide':
          return divide(a, b);
        case 'pow':
          return power(a, b);
        default:
          throw new Error(`unexpected operator ${fn}`);
      }
    }
    default:
      return node;
  }
}
