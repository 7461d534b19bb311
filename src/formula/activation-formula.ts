/**
 * A reader's activation formula, in mathjs syntax (`x * sigmoid(x)`, `max(0, x) + 0.1 * min(0, x)`),
 * turned into what the engine needs: φ and φ′ as plain functions, the kinks where quadrature must
 * split the line, and TeX for both.
 *
 * Safety: mathjs only *parses*. The tree is checked against a whitelist (numbers, x, pi, e,
 * + − * / ^ and the functions in `functions.ts`) and evaluated by closures built from that table;
 * mathjs's evaluator, `import`, `createUnit` and JavaScript `eval` are never reached.
 *
 * Every problem throws a {@link FormulaError} carrying the 1-based column it concerns.
 *
 * @module
 */
import type { MathNode } from 'mathjs';
import { FormulaError } from './formula-error';
import { CONSTANTS, FUNCTIONS, FUNCTION_NAMES } from './functions';
import { parse } from './mathjs';
import { simplifyTree } from './simplify';
import { formulaTex } from './tex';

export { FormulaError };

/** The longest formula accepted. */
export const MAX_FORMULA_LENGTH = 200;
/** φ, φ² and φ′ must be finite for every x in ±this range (12 standard deviations at unit input). */
export const CHECK_RANGE = 12;
/** Derivative text beyond this size is refused (nested formulas can double it at every level). */
const MAX_DERIVATIVE_LENGTH = 20_000;

/**
 * What the analysis of a formula finds, all of it plain data (it crosses from the formula worker):
 * the kinks, the TeX of φ, and φ′ tidied for reading.
 */
export interface FormulaAnalysis {
  readonly text: string;
  /** Sorted x where φ or φ′ is not smooth. */
  readonly kinks: number[];
  readonly tex: string;
  /** φ′ simplified for reading (its values agree with `df` at test points). */
  readonly derivativeTex: string;
  readonly derivativeText: string;
}

/** φ and φ′ as plain functions. */
export interface FormulaFunctions {
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
}

/** A checked, differentiated, compiled activation formula. */
export interface CompiledFormula extends FormulaAnalysis, FormulaFunctions {}

type Fn = (x: number) => number;

/** Columns of name and operator tokens, in text order (numbers swallow their own exponent signs). */
function tokenColumns(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const re = /\s+|([A-Za-z_]\w*)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(.)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const token = m[1] ?? m[3];
    if (token !== undefined) out.set(token, [...(out.get(token) ?? []), m.index + 1]);
  }
  return out;
}

/** Assigns each function, symbol and explicit operator node the column of its token. */
function nodeColumns(root: MathNode, text: string): Map<MathNode, number> {
  const tokens = tokenColumns(text);
  const used = new Map<string, number>();
  const columns = new Map<MathNode, number>();
  const take = (node: MathNode, token: string): void => {
    const k = used.get(token) ?? 0;
    used.set(token, k + 1);
    const col = tokens.get(token)?.[k];
    if (col !== undefined) columns.set(node, col);
  };
  const visit = (node: MathNode): void => {
    const n = node as MathNode & Record<string, unknown>;
    if (node.type === 'OperatorNode') {
      const args = n['args'] as MathNode[];
      const op = n['op'] as string;
      if (args.length === 1) {
        take(node, op);
        visit(args[0]!);
      } else {
        visit(args[0]!);
        if (n['implicit'] !== true) take(node, op);
        for (const a of args.slice(1)) visit(a);
      }
    } else if (node.type === 'FunctionNode') {
      take(node, (n['fn'] as { name?: string }).name ?? '');
      for (const a of n['args'] as MathNode[]) visit(a);
    } else if (node.type === 'SymbolNode') {
      take(node, n['name'] as string);
    } else if (node.type === 'ParenthesisNode') {
      visit(n['content'] as MathNode);
    } else if (node.type === 'ConditionalNode') {
      for (const k of ['condition', 'trueExpr', 'falseExpr']) visit(n[k] as MathNode);
    }
  };
  visit(root);
  return columns;
}

const ALLOWED_OPS: Readonly<Record<string, string>> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  unaryMinus: '-',
  unaryPlus: '+',
};

/** Throws at the first node outside the whitelist, in text order. */
function check(root: MathNode, text: string, columns: Map<MathNode, number>, param: string): void {
  const at = (node: MathNode, fallback: string): number =>
    columns.get(node) ?? tokenColumns(text).get(fallback)?.[0] ?? 1;
  const fail = (message: string, node: MathNode, token = ''): never => {
    throw new FormulaError(message, at(node, token), param);
  };
  const visit = (node: MathNode, called: boolean): void => {
    const n = node as MathNode & Record<string, unknown>;
    switch (node.type) {
      case 'ConstantNode':
        if (typeof n['value'] !== 'number') fail('Only numbers can appear as constants', node);
        return;
      case 'SymbolNode': {
        const name = n['name'] as string;
        if (called || name === 'x' || Object.hasOwn(CONSTANTS, name)) return;
        if (Object.hasOwn(FUNCTIONS, name)) fail(`‘${name}’ is a function: write ${name}(x)`, node);
        if (name.length === 1) {
          fail(
            `‘${name}’ is another variable: only x may vary (write numbers for constants)`,
            node,
          );
        }
        return fail(`Unknown symbol ‘${name}’: use x, pi, e or numbers`, node);
      }
      case 'ParenthesisNode':
        return visit(n['content'] as MathNode, false);
      case 'OperatorNode': {
        const op = n['fn'] as string;
        if (!Object.hasOwn(ALLOWED_OPS, op)) {
          const comparison = ['larger', 'smaller', 'largerEq', 'smallerEq', 'equal', 'unequal'];
          fail(
            comparison.includes(op)
              ? `Comparisons are not supported: use step(x), which is 1 for x > 0 and 0 otherwise`
              : `The operator ‘${n['op'] as string}’ is not supported: use + − * / ^`,
            node,
          );
        }
        for (const a of n['args'] as MathNode[]) visit(a, false);
        return;
      }
      case 'FunctionNode': {
        const fnNode = n['fn'] as MathNode & { name?: string };
        const name = fnNode.type === 'SymbolNode' ? (fnNode.name ?? '') : '';
        const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!spec) {
          fail(`Unknown function ‘${name}’: use one of ${FUNCTION_NAMES.join(', ')}`, node);
        }
        const args = n['args'] as MathNode[];
        if (args.length !== spec!.arity) {
          fail(
            `${name} takes ${spec!.arity} argument${spec!.arity > 1 ? 's' : ''}, not ${args.length}`,
            node,
          );
        }
        for (const a of args) visit(a, false);
        return;
      }
      case 'ConditionalNode':
        return fail(
          'Conditionals (a ? b : c) are not supported: use step, max, min or abs',
          node,
          '?',
        );
      case 'AssignmentNode':
      case 'FunctionAssignmentNode':
        return fail('Assignments are not allowed: type only the right-hand side', node, '=');
      default:
        return fail(
          'Only numbers, x, pi, e, + − * / ^ and the listed functions are allowed',
          node,
          text.trim()[0] ?? '',
        );
    }
  };
  visit(root, false);
}

const argsOf = (node: MathNode): MathNode[] => (node as unknown as { args: MathNode[] }).args;

/** Builds φ(x) from a checked tree as nested closures (no eval). */
function compile(node: MathNode): Fn {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = n['value'] as number;
      return () => v;
    }
    case 'SymbolNode': {
      const name = n['name'] as string;
      if (name === 'x') return (x) => x;
      const v = CONSTANTS[name]!;
      return () => v;
    }
    case 'ParenthesisNode':
      return compile(n['content'] as MathNode);
    case 'OperatorNode': {
      const [a, b] = argsOf(node).map(compile) as [Fn, Fn | undefined];
      switch (n['fn'] as string) {
        case 'unaryMinus':
          return (x) => -a(x);
        case 'unaryPlus':
          return a;
        case 'add':
          return (x) => a(x) + b!(x);
        case 'subtract':
          return (x) => a(x) - b!(x);
        case 'multiply':
          return (x) => a(x) * b!(x);
        case 'divide':
          return (x) => a(x) / b!(x);
        case 'pow':
          return (x) => a(x) ** b!(x);
        default:
          throw new Error(`unexpected operator ${n['fn'] as string}`);
      }
    }
    case 'FunctionNode': {
      const name = (n['fn'] as { name: string }).name;
      if (!Object.hasOwn(FUNCTIONS, name)) throw new Error(`unexpected function ${name}`);
      const { evaluate } = FUNCTIONS[name]!;
      const args = argsOf(node).map(compile);
      if (args.length === 1) {
        const a = args[0]!;
        return (x) => evaluate(a(x));
      }
      const [a, b] = args as [Fn, Fn];
      return (x) => evaluate(a(x), b(x));
    }
    default:
      throw new Error(`unexpected ${node.type}`);
  }
}

const dependsOnX = (node: MathNode): boolean =>
  node.filter((n) => n.type === 'SymbolNode' && (n as unknown as { name: string }).name === 'x')
    .length > 0;

/** dφ/dx as mathjs text, by the chain rule over the checked tree; '0' and '1' are kept exact. */
function derive(node: MathNode): string {
  const n = node as MathNode & Record<string, unknown>;
  const times = (a: string, b: string): string =>
    a === '0' || b === '0' ? '0' : a === '1' ? b : b === '1' ? a : `(${a}) * (${b})`;
  const plus = (a: string, b: string): string => (a === '0' ? b : b === '0' ? a : `${a} + ${b}`);
  let out: string;
  switch (node.type) {
    case 'ConstantNode':
      return '0';
    case 'SymbolNode':
      return n['name'] === 'x' ? '1' : '0';
    case 'ParenthesisNode':
      return derive(n['content'] as MathNode);
    case 'OperatorNode': {
      const args = argsOf(node);
      const [u, v] = args.map((a) => a.toString()) as [string, string];
      const [du, dv] = args.map(derive) as [string, string];
      switch (n['fn'] as string) {
        case 'unaryMinus':
          out = du === '0' ? '0' : `-(${du})`;
          break;
        case 'unaryPlus':
          out = du;
          break;
        case 'add':
          out = plus(du, dv);
          break;
        case 'subtract':
          out = dv === '0' ? du : `${du === '0' ? '' : du} - (${dv})`;
          break;
        case 'multiply':
          out = plus(times(du, v), times(u, dv));
          break;
        case 'divide':
          out =
            dv === '0'
              ? times(du, `1 / (${v})`)
              : `(${plus(times(du, v), `-${times(u, dv)}`)}) / (${v})^2`;
          break;
        default:
          // (u^v)′ = v·u^(v−1)·u′ for constant v, else u^v·(v′·log u + v·u′/u).
          if (dependsOnX(args[1]!)) {
            out = times(`(${u})^(${v})`, plus(times(dv, `log(${u})`), times(v, `${du} / (${u})`)));
          } else if (args[1]!.type === 'ConstantNode') {
            const p = (args[1] as unknown as { value: number }).value;
            out = times(p - 1 === 1 ? `${p} * (${u})` : `${p} * (${u})^(${p - 1})`, du);
          } else out = times(`(${v}) * (${u})^((${v}) - 1)`, du);
      }
      break;
    }
    case 'FunctionNode': {
      const spec = FUNCTIONS[(n['fn'] as { name: string }).name]!;
      const args = argsOf(node);
      const [u, v] = args.map((a) => `(${a.toString()})`);
      out = args
        .map((a, i) =>
          times(spec.partials[i]!.replace(/\bU\b/g, u!).replace(/\bV\b/g, v ?? ''), derive(a)),
        )
        .reduce(plus);
      break;
    }
    default:
      throw new Error(`unexpected ${node.type}`);
  }
  if (out.length > MAX_DERIVATIVE_LENGTH) throw new RangeError('derivative too long');
  return out;
}

/** Zeros of g on [−1e6, 1e6]: sign changes on a fine grid near 0 and a geometric one beyond. */
function zerosOf(g: Fn): number[] {
  const grid: number[] = [];
  for (let i = -2400; i <= 2400; i++) grid.push(i / 200);
  for (let t = CHECK_RANGE * 1.05; t < 1e6; t *= 1.05) grid.push(t, -t);
  grid.sort((a, b) => a - b);
  const zeros: number[] = [];
  for (let i = 0; i + 1 < grid.length && zeros.length < 50; i++) {
    let a = grid[i]!;
    let b = grid[i + 1]!;
    let ga = g(a);
    const gb = g(b);
    if (ga === 0) {
      zeros.push(a);
      continue;
    }
    if (!(ga * gb < 0)) continue;
    for (let k = 0; k < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a)); k++) {
      const m = 0.5 * (a + b);
      const gm = g(m);
      if (gm === 0) [a, b] = [m, m];
      else if (gm * ga < 0) b = m;
      else [a, ga] = [m, gm];
    }
    zeros.push(0.5 * (a + b));
  }
  return zeros;
}

/** Kinks of the formula: zeros of every kinked function's argument (of U − V for max/min). */
function findKinks(root: MathNode): number[] {
  const kinks = new Set<number>();
  root.traverse((node) => {
    if (node.type !== 'FunctionNode') return;
    const name = (node as unknown as { fn: { name: string } }).fn.name;
    if (FUNCTIONS[name]?.kinked !== true) return;
    const [a, b] = argsOf(node).map(compile) as [Fn, Fn | undefined];
    for (const z of zerosOf(b ? (x) => a(x) - b(x) : a)) kinks.add(z);
  });
  return [...kinks].sort((p, q) => p - q);
}

/** The innermost node whose value is not finite at x while its arguments' values are. */
function innermost(node: MathNode, value: (n: MathNode) => number): MathNode {
  for (const child of node.type === 'ParenthesisNode'
    ? [(node as unknown as { content: MathNode }).content]
    : node.type === 'OperatorNode' || node.type === 'FunctionNode'
      ? argsOf(node)
      : []) {
    if (!Number.isFinite(value(child))) return innermost(child, value);
  }
  return node;
}

const show = (x: number): string => String(Number(x.toPrecision(4))).replace('-', '−');

/** A parsed, checked formula with φ and φ′ compiled: what both the analysis and the engine need. */
interface Built extends FormulaFunctions {
  readonly root: MathNode;
  readonly columns: Map<MathNode, number>;
  readonly dRoot: MathNode;
}

function build(text: string, param: string): Built {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FormulaError('Type a formula in x, for example x * sigmoid(x)', 1, param);
  }
  if (text.length > MAX_FORMULA_LENGTH) {
    throw new FormulaError(
      `The formula is longer than ${MAX_FORMULA_LENGTH} characters`,
      MAX_FORMULA_LENGTH + 1,
      param,
    );
  }
  let root: MathNode;
  try {
    root = parse(text);
  } catch (error) {
    const e = error as { message?: string; char?: number };
    const message = (e.message ?? 'Cannot read the formula').replace(/\s*\(char \d+\)$/, '');
    throw new FormulaError(message, Math.min(Math.max(1, e.char ?? 1), text.length + 1), param);
  }
  const columns = nodeColumns(root, text);
  check(root, text, columns, param);
  let derivativeText: string;
  try {
    derivativeText = derive(root);
  } catch {
    throw new FormulaError('The derivative grows too large: simplify the formula', 1, param);
  }
  const dRoot = parse(derivativeText);
  return { root, columns, f: compile(root), dRoot, df: compile(dRoot) };
}

/** Kinks, the finiteness check over ±CHECK_RANGE, and the TeX of φ and of φ′ tidied. */
function analyse(built: Built, text: string, param: string): FormulaAnalysis {
  const { root, columns, f, df, dRoot } = built;
  const kinks = findKinks(root);

  // φ, φ² and φ′ must be finite over the integration range at unit input.
  const xs = [...kinks.filter((k) => Math.abs(k) <= CHECK_RANGE)];
  for (let i = -1200; i <= 1200; i++) xs.push(i / 100);
  for (const x of xs) {
    const y = f(x);
    const dy = df(x);
    if (Number.isFinite(y * y) && Number.isFinite(dy)) continue;
    const valueProblem = !Number.isFinite(y * y);
    const node = valueProblem
      ? innermost(root, (n) => compile(n)(x) ** 2)
      : innermost(root, (n) => compile(parse(derive(n)))(x));
    const what = valueProblem
      ? Number.isNaN(y)
        ? 'is undefined'
        : 'overflows'
      : 'has no finite derivative';
    throw new FormulaError(
      `φ ${what} at x = ${show(x)}${node === root ? '' : ` in ‘${node.toString()}’`} (checked for ${show(-CHECK_RANGE)} ≤ x ≤ ${CHECK_RANGE})`,
      columns.get(node) ?? 1,
      param,
    );
  }

  // Tidy φ′ for reading only, and only if the result still agrees with the rule-based one.
  let shown = dRoot;
  const tidied = simplifyTree(dRoot);
  const g = compile(tidied);
  const agrees = xs.every((x, i) => {
    if (i % 50 !== 0) return true;
    const [p, q] = [df(x), g(x)];
    return Math.abs(p - q) <= 1e-9 * Math.max(1, Math.abs(p));
  });
  if (agrees) shown = tidied;
  return {
    text,
    kinks,
    tex: formulaTex(root),
    derivativeTex: formulaTex(shown),
    derivativeText: shown.toString(),
  };
}

/**
 * Parses, checks and differentiates a formula, and finds what the figure shows of it. This is the
 * part whose cost grows with the formula: the lab runs it in the formula worker, under a time limit.
 * @param text - mathjs syntax in x, e.g. `x / (1 + abs(x))`
 * @param param - name reported on errors (the figure's schema key)
 * @throws FormulaError with the column of the problem
 */
export function analyseFormula(text: string, param = 'formula'): FormulaAnalysis {
  return analyse(build(text, param), text, param);
}

/**
 * φ and φ′ of a formula as functions, without the analysis: parsing, checking and the chain rule
 * only, a part of what {@link analyseFormula} does.
 * @throws FormulaError with the column of the problem
 */
export function formulaFunctions(text: string, param = 'formula'): FormulaFunctions {
  const { f, df } = build(text, param);
  return { f, df };
}

/**
 * Parses, checks, differentiates and compiles an activation formula: {@link analyseFormula} and
 * {@link formulaFunctions} in one.
 * @param text - mathjs syntax in x, e.g. `x / (1 + abs(x))`
 * @param param - name reported on errors (the figure's schema key)
 * @throws FormulaError with the column of the problem
 */
export function compileFormula(text: string, param = 'formula'): CompiledFormula {
  const built = build(text, param);
  return { ...analyse(built, text, param), f: built.f, df: built.df };
}

/**
 * The checked trees of φ and of φ′ (the chain rule's, untidied), for translators such as
 * `torch-expression.ts`.
 * @throws FormulaError with the column of the problem
 */
export function formulaTrees(
  text: string,
  param = 'formula',
): { root: MathNode; derivative: MathNode } {
  const { root, dRoot } = build(text, param);
  return { root, derivative: dRoot };
}
