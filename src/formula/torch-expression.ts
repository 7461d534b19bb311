/**
 * A checked activation formula (the mathjs tree of `activation-formula.ts`) as a PyTorch
 * expression in a tensor `x`, for the "Copy as PyTorch" scripts: `tanh(x)` → `torch.tanh(x)`,
 * `max(0, x)` → `torch.clamp(x, min=0)`, `step(x)` → `torch.heaviside(x, torch.zeros_like(x))`,
 * `x * sigmoid(x)` → `(x * torch.sigmoid(x))`. Parts that do not depend on x are folded to a
 * number first (torch functions take tensors, not Python numbers).
 *
 * Every function of the formula table (`functions.ts`) has a torch form with the same value
 * (kinks included: the table's max picks its first argument on a tie, as torch.maximum's value
 * does). A function without one makes {@link torchExpression} return `{ missing }`, and the
 * script says so and falls back on a table of φ (see the activation lab's script): never a script
 * that fails to run.
 *
 * This module takes the tree only as a type: it does not load mathjs.
 *
 * @module
 */
import type { MathNode } from 'mathjs';
import { py } from '../pytorch/python';
import { CONSTANTS, FUNCTIONS } from './functions';

/** The expression, or the first function PyTorch has no form for here. */
export type TorchExpression = { readonly expr: string } | { readonly missing: string };

type Node = MathNode & Record<string, unknown>;

/** torch forms of the table's one-argument functions, `U` standing for the argument. */
const UNARY: Readonly<Record<string, string>> = {
  exp: 'torch.exp(U)',
  log: 'torch.log(U)',
  log1p: 'torch.log1p(U)',
  expm1: 'torch.expm1(U)',
  sqrt: 'torch.sqrt(U)',
  sin: 'torch.sin(U)',
  cos: 'torch.cos(U)',
  tan: 'torch.tan(U)',
  atan: 'torch.atan(U)',
  sinh: 'torch.sinh(U)',
  cosh: 'torch.cosh(U)',
  tanh: 'torch.tanh(U)',
  asinh: 'torch.asinh(U)',
  erf: 'torch.erf(U)',
  abs: 'torch.abs(U)',
  sign: 'torch.sign(U)',
  // 1 for U > 0, else 0 (also at 0, as the formula's step).
  step: 'torch.heaviside(U, torch.zeros_like(U))',
  relu: 'torch.relu(U)',
  elu: 'F.elu(U)',
  selu: 'F.selu(U)',
  sigmoid: 'torch.sigmoid(U)',
  softplus: 'F.softplus(U)',
  silu: 'F.silu(U)',
  gelu: 'F.gelu(U)',
  normcdf: 'torch.special.ndtr(U)',
};

const BINARY_OP: Readonly<Record<string, string>> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '**',
};

const args = (n: Node): Node[] => n['args'] as Node[];

function dependsOnX(n: Node): boolean {
  return n.filter((m) => m.type === 'SymbolNode' && (m as Node)['name'] === 'x').length > 0;
}

/** The value of a subtree without x (the formula table's own evaluation). */
function constantValue(n: Node): number {
  switch (n.type) {
    case 'ConstantNode':
      return n['value'] as number;
    case 'SymbolNode':
      return CONSTANTS[n['name'] as string]!;
    case 'ParenthesisNode':
      return constantValue(n['content'] as Node);
    case 'OperatorNode': {
      const [a, b] = args(n).map(constantValue) as [number, number];
      switch (n['fn'] as string) {
        case 'unaryMinus':
          return -a;
        case 'unaryPlus':
          return a;
        case 'add':
          return a + b;
        case 'subtract':
          return a - b;
        case 'multiply':
          return a * b;
        case 'divide':
          return a / b;
        case 'pow':
          return a ** b;
      }
      throw new Error(`unexpected operator ${n['fn'] as string}`);
    }
    case 'FunctionNode': {
      const name = (n['fn'] as { name: string }).name;
      return FUNCTIONS[name]!.evaluate(...args(n).map(constantValue));
    }
  }
  throw new Error(`unexpected ${n.type}`);
}

class Missing extends Error {}

function translate(n: Node, x: string): string {
  if (!dependsOnX(n)) return py(constantValue(n));
  switch (n.type) {
    case 'SymbolNode':
      return x;
    case 'ParenthesisNode':
      return translate(n['content'] as Node, x);
    case 'OperatorNode': {
      const fn = n['fn'] as string;
      const parts = args(n).map((a) => translate(a, x));
      if (fn === 'unaryMinus') return `(-${parts[0]!})`;
      if (fn === 'unaryPlus') return parts[0]!;
      return `(${parts[0]!} ${BINARY_OP[fn]!} ${parts[1]!})`;
    }
    case 'FunctionNode': {
      const name = (n['fn'] as { name: string }).name;
      const [a, b] = args(n);
      if (name === 'max' || name === 'min') {
        // One side without x: a clamp (torch.maximum wants two tensors).
        const side = name === 'max' ? 'min' : 'max';
        if (!dependsOnX(a!))
          return `torch.clamp(${translate(b!, x)}, ${side}=${py(constantValue(a!))})`;
        if (!dependsOnX(b!))
          return `torch.clamp(${translate(a!, x)}, ${side}=${py(constantValue(b!))})`;
        return `torch.${name === 'max' ? 'maximum' : 'minimum'}(${translate(a!, x)}, ${translate(b!, x)})`;
      }
      const form = UNARY[name];
      if (form === undefined) throw new Missing(name);
      const u = translate(a!, x);
      return form.replaceAll('U', u);
    }
  }
  throw new Missing(n.type);
}

/**
 * The formula as a torch expression in the tensor named `x` (a formula without x becomes
 * `torch.full_like(x, c)`, so the result is always a tensor of x's shape).
 */
export function torchExpression(root: MathNode, x = 'x'): TorchExpression {
  const n = root as Node;
  if (!dependsOnX(n)) return { expr: `torch.full_like(${x}, ${py(constantValue(n))})` };
  try {
    return { expr: translate(n, x) };
  } catch (e) {
    if (e instanceof Missing) return { missing: e.message };
    throw e;
  }
}
