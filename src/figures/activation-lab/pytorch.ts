/**
 * The activation lab's "Copy as PyTorch": the reader's φ as a torch expression
 * (`formula/torch-expression.ts`), the simulated network the figure draws (a `stackScript` with
 * that φ), then the figure's theory computed in the script: E[φ(z)], E[φ(z)²], the gain, q* and χ₁
 * and the mean-field q of every layer, as Gaussian expectations by quadrature in float64 (a
 * trapezoid rule on a fine grid over ±12 standard deviations; Initbook integrates the same
 * expectations adaptively, split at φ's kinks, so the two agree to about 1e-8).
 *
 * @module
 */
import type { MathNode } from 'mathjs';
import { torchExpression } from '../../formula/torch-expression';
import { comment, indent, py, pyString, script } from '../../pytorch/python';
import { stackScript } from '../../pytorch/stack-script';
import type { PropagateConfig } from '../../engine/propagate/config';

/** The grid of the fallback table: x from −TABLE_RANGE to TABLE_RANGE in steps of TABLE_STEP. */
const TABLE_RANGE = 12;
const TABLE_STEP = 0.01;

/**
 * `def name(x): …` for a formula tree; where PyTorch has no form for a function, a table of
 * Initbook's own values of `f`, read with linear interpolation, and a comment saying so.
 */
export function functionLines(name: string, tree: MathNode, f: (x: number) => number): string[] {
  const t = torchExpression(tree, 'x');
  if ('expr' in t) return [`def ${name}(x):`, `    return ${t.expr}`];
  const n = Math.round((2 * TABLE_RANGE) / TABLE_STEP);
  const values = Array.from({ length: n + 1 }, (_, i) => f(-TABLE_RANGE + i * TABLE_STEP));
  const table = `${name.toUpperCase()}_TABLE`;
  return [
    ...comment(
      `Initbook has no torch form of '${t.missing}': ${name} is read off a table of Initbook's own`,
      `values (x from ${-TABLE_RANGE} to ${TABLE_RANGE} in steps of ${TABLE_STEP}, linear in between, the end`,
      'values outside), so it agrees with the figure to about 1e-4 only.',
    ),
    `${table} = torch.tensor([${values.map((v) => Number(v.toPrecision(12))).join(', ')}], dtype=torch.float64)`,
    '',
    `def ${name}(x):`,
    ...indent([
      `t = (x.double().clamp(${-TABLE_RANGE}, ${TABLE_RANGE}) + ${TABLE_RANGE}) / ${py(TABLE_STEP)}`,
      `i = t.floor().clamp(max=len(${table}) - 2).long()`,
      'w = t - i',
      `return (${table}[i] * (1 - w) + ${table}[i + 1] * w).to(x.dtype)`,
    ]),
  ];
}

export interface LabScript {
  readonly formula: string;
  readonly phi: MathNode;
  readonly dphi: MathNode;
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  readonly sigmaW2: number;
  readonly sigmaB2: number;
  readonly depth: number;
  /** The simulated network's configuration (the figure's own). */
  readonly config: PropagateConfig;
  readonly settings: string;
}

/** The theory part, printed after the simulated network. */
function theoryLines(s: LabScript): string[] {
  return [
    '',
    ...comment(
      "The figure's theory, by quadrature in float64: E[g(z)] for z ~ N(0, 1) as a trapezoid sum",
      'over a fine grid on ±12 (Initbook integrates adaptively, split at the kinks of phi).',
      'Where the figure says an expectation diverges, these finite sums mean nothing.',
    ),
    'Z = torch.linspace(-12, 12, 240001, dtype=torch.float64)',
    'WEIGHTS = torch.exp(-Z**2 / 2) / math.sqrt(2 * math.pi) * (Z[1] - Z[0])',
    'WEIGHTS[0] /= 2',
    'WEIGHTS[-1] /= 2',
    '',
    'def gauss(g, q=1.0):',
    ...indent([
      '# E[g(sqrt(q) z)], z ~ N(0, 1)',
      'return (WEIGHTS * g(math.sqrt(q) * Z)).sum().item()',
    ]),
    '',
    `SIGMA_W2, SIGMA_B2, DEPTH = ${py(s.sigmaW2)}, ${py(s.sigmaB2)}, ${s.depth}`,
    'q_map = lambda q: SIGMA_W2 * gauss(lambda v: phi(v) ** 2, q) + SIGMA_B2',
    'mean, mean_square = gauss(phi), gauss(lambda v: phi(v) ** 2)',
    `print(${pyString('Theory, by quadrature')})`,
    'print(f"  E[phi(z)] = {mean:.12g}")',
    'print(f"  E[phi(z)^2] = {mean_square:.12g}")',
    'print(f"  gain 1/sqrt(E[phi(z)^2]) = {1 / math.sqrt(mean_square):.12g}")',
    '# q*: the map iterated from layer 1 (q = SIGMA_W2 + SIGMA_B2, inputs N(0, 1)) until it settles.',
    'q = SIGMA_W2 + SIGMA_B2',
    'for _ in range(10000):',
    ...indent([
      'nxt = q_map(q)',
      'if not math.isfinite(nxt) or abs(nxt - q) <= 1e-13 * max(q, 1e-300):',
      ...indent(['q = nxt', 'break']),
      'q = nxt',
    ]),
    'chi_1 = SIGMA_W2 * gauss(lambda v: dphi(v) ** 2, q)',
    '# (The critical sigma_w^2 of the notes, a search over sigma_w^2 with a fixed point at each',
    '# step, is not recomputed here.)',
    'print(f"  q* = {q:.12g}, chi_1 = {chi_1:.12g}")',
    'print("  layer  |  q, the mean square of z by the mean-field map")',
    'q = SIGMA_W2 + SIGMA_B2',
    'for l in range(1, DEPTH + 1):',
    ...indent(['print(f"  {l:5d}  {q:.12g}")', 'q = q_map(q)']),
  ];
}

/** The script, ready to paste into a notebook or a file. */
export function labScript(s: LabScript): string {
  const prelude = [
    ...comment(`phi(x) = ${s.formula}, and its derivative (Initbook's chain rule), in torch.`),
    ...functionLines('phi', s.phi, s.f),
    '',
    ...functionLines('dphi', s.dphi, s.df),
  ];
  const sim = stackScript({
    title: 'Activation lab',
    settings: s.settings,
    runs: [{ label: `Simulated network, phi(x) = ${s.formula}`, config: s.config }],
    stats: [{ label: 'mean square of z', of: 'pre', stat: 'meanSquare' }],
    phi: 'phi(z)',
    prelude,
  });
  return script([...sim.trimEnd().split('\n'), ...theoryLines(s)]);
}
