/**
 * "Copy as PyTorch" of the activation lab (src/figures/activation-lab/pytorch.ts) and the formula
 * translator (src/formula/torch-expression.ts) against torch 1.13: what the lab's script prints
 * for a few formulas (tests/fixtures/torch/activation-lab-scripts.json, written by this file with
 * UPDATE_PYTORCH_FIXTURES=1, from scripts/pytorch-fixtures.sh) against the figure's own numbers;
 * live too where python3-torch is installed.
 *
 * Tolerances, and why: layer 1's first weights exactly (normal_ from the same stream); the
 * simulated mean squares to a relative 2e-5 (float32 sums in PyTorch, float64 in the engine; 7
 * printed digits); the theory's moments, gain and mean-field q to a relative 1e-7 (a trapezoid sum
 * on a 1e-4 grid against the engine's adaptive quadrature: errors near 1e-9 at a kink); q* and χ₁
 * to 1e-4 (the script iterates the map to a tolerance, the engine solves for q*). The translator's
 * φ and φ′ to 1e-12 relative in float64 (the same functions; torch's and JavaScript's libms).
 */
import { describe, expect, it } from 'vitest';
import { compileFormula, formulaTrees } from '../../src/formula/activation-formula';
import { parse } from '../../src/formula/mathjs';
import { torchExpression } from '../../src/formula/torch-expression';
import type { LabData, LabParams } from '../../src/figures/activation-lab/model';
import { functionLines } from '../../src/figures/activation-lab/pytorch';
import { figureModel } from '../../src/figures/models';
import { sanitizeParams } from '../../src/figures/params';
import { runToEnd } from '../../src/figures/types';
import { close, runPython, scriptFixture, sha256, torchVersion } from './helpers/python-torch';

const FIXTURE = 'tests/fixtures/torch/activation-lab-scripts.json';
const model = figureModel('activation-lab');

const CASES: Record<string, Record<string, unknown>> = {
  swish: { depth: 6, width: 64 },
  tanh: {
    formula: 'tanh(x)',
    sigmaW2: 2.54,
    sigmaB2: 0.05,
    depth: 5,
    width: 64,
    stream: 'torch_other',
  },
  relu: { formula: 'max(0, x)', sigmaW2: 2, depth: 5, width: 64 },
  piecewise: { formula: 'step(x) * x^2 - step(-x) * 0.5 * x', sigmaW2: 0.8, depth: 4, width: 48 },
};

const paramsOf = (name: string): LabParams => {
  const { params, messages } = sanitizeParams(model.schema, CASES[name]!);
  expect(messages).toEqual([]);
  return params as LabParams;
};
const kernelOf = (p: LabParams): 'avx2' | 'default' =>
  p.stream === 'torch_other' ? 'default' : 'avx2';

const torch = torchVersion();
await model.prepare!();
const fixture = scriptFixture(FIXTURE, () =>
  Object.fromEntries(
    Object.keys(CASES).map((name) => {
      const p = paramsOf(name);
      return [name, { script: model.pytorch(p), kernel: kernelOf(p) }];
    }),
  ),
);

interface PrintedLab {
  firstWeights: number[];
  measured: number[];
  theory: number[];
  named: Record<string, number>;
}

function parse_(text: string): PrintedLab {
  const out: PrintedLab = { firstWeights: [], measured: [], theory: [], named: {} };
  let inTheory = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('Theory')) inTheory = true;
    if (line.includes('first weights'))
      out.firstWeights = JSON.parse(line.slice(line.indexOf('['))) as number[];
    else if (/^\s+\d+\s/.test(line))
      (inTheory ? out.theory : out.measured).push(Number(line.trim().split(/\s+/)[1]));
    else
      for (const m of line.matchAll(/([\w*^()[\]/ ]+?) = ([-\d.e+]+|nan|inf)/g))
        out.named[m[1]!.trim()] = m[2] === 'inf' ? Infinity : Number(m[2]);
  }
  return out;
}

function checkAgainstFigure(p: LabParams, printed: PrintedLab): void {
  const d = runToEnd(model.compute(p)) as LabData;
  expect(printed.measured).toHaveLength(p.depth);
  d.depthPoints.forEach((pt, i) => {
    expect(close(printed.measured[i]!, pt.measured, 2e-5, 1e-12), `measured ${i + 1}`).toBe(true);
    expect(close(printed.theory[i]!, pt.theory, 1e-7, 1e-12), `theory ${i + 1}`).toBe(true);
  });
  expect(close(printed.named['E[phi(z)]']!, d.mean!, 1e-7, 1e-10)).toBe(true);
  expect(close(printed.named['E[phi(z)^2]']!, d.meanSquare!, 1e-7, 1e-10)).toBe(true);
  expect(close(printed.named['gain 1/sqrt(E[phi(z)^2])']!, d.gain!, 1e-7)).toBe(true);
  if (d.qStar !== null && !Number.isFinite(d.qStar)) expect(printed.named['q*']).toBe(d.qStar);
  else if (d.qStar !== null)
    expect(close(printed.named['q*']!, d.qStar, 1e-4, 1e-6), 'q*').toBe(true);
  // χ₁ at q* = ∞ is the engine's limit (read at q = 1e30); the script does not take it.
  if (d.chi1 !== null && Number.isFinite(d.qStar))
    expect(close(printed.named['chi_1']!, d.chi1, 1e-4, 1e-6), 'chi_1').toBe(true);
}

/** Layer 1's first four weights as the engine draws them for the lab's network. */
async function firstWeights(p: LabParams): Promise<number[]> {
  const { validate } = await import('../../src/engine/propagate/config');
  const { buildStack, drawStack } = await import('../../src/engine/propagate/stack');
  const { simConfig } = await import('../../src/figures/activation-lab/model');
  const { defineActivation } = await import('../../src/engine/activations');
  const c = compileFormula(p.formula);
  const plan = validate(
    simConfig(p, defineActivation({ name: 'formula', f: c.f, df: c.df, kinks: c.kinks })),
  );
  return [...drawStack(plan, buildStack(plan, false)).params.get('1')![0]!.subarray(0, 4)];
}

describe('the activation lab as a PyTorch script', () => {
  it('the fixture was made from the scripts the lab writes now', () => {
    for (const name of Object.keys(CASES)) {
      expect(fixture.cases[name]?.sha256, `${name}: rerun with UPDATE_PYTORCH_FIXTURES=1`).toBe(
        sha256(model.pytorch(paramsOf(name))),
      );
    }
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: PyTorch ${fixture.torch}'s printout is the figure's numbers`, async () => {
      const p = paramsOf(name);
      const printed = parse_(fixture.cases[name]!.output);
      expect(printed.firstWeights).toEqual(await firstWeights(p));
      checkAgainstFigure(p, printed);
    });
  }

  it("on Initbook's own generator the script says PyTorch draws other weights", () => {
    const text = model.pytorch({ ...paramsOf('swish'), stream: 'initbook' });
    expect(text).toContain('PyTorch draws other weights');
  });
});

describe('formulas as torch expressions', () => {
  const expr = (text: string): string => {
    const t = torchExpression(formulaTrees(text).root);
    if (!('expr' in t)) throw new Error(`missing ${t.missing}`);
    return t.expr;
  };

  it('writes torch calls, clamps for a constant side of max/min, heaviside for step, folds constants', () => {
    expect(expr('tanh(x)')).toBe('torch.tanh(x)');
    expect(expr('max(0, x)')).toBe('torch.clamp(x, min=0)');
    expect(expr('min(x, 1)')).toBe('torch.clamp(x, max=1)');
    expect(expr('max(x, 2 * x)')).toBe('torch.maximum(x, (2 * x))');
    expect(expr('x * sigmoid(x)')).toBe('(x * torch.sigmoid(x))');
    expect(expr('step(x) * x')).toBe('(torch.heaviside(x, torch.zeros_like(x)) * x)');
    expect(expr('exp(1) * x')).toBe(`(${Math.E} * x)`);
    expect(expr('2')).toBe('torch.full_like(x, 2)');
    expect(expr('x^2 / (1 + abs(x))')).toBe('((x ** 2) / (1 + torch.abs(x)))');
  });

  it('names the function it has no torch form for', () => {
    expect(torchExpression(parse('x * wobble(x)'))).toEqual({ missing: 'wobble' });
  });

  const FORMULAS = [
    'tanh(x)',
    'max(0, x)',
    'x * sigmoid(x)',
    'max(0, x) + 0.1 * min(0, x)',
    'step(x) * x^2 - step(-x) * 0.5 * x',
    'x / (1 + abs(x))',
    'selu(x) + elu(x) + gelu(x) + silu(x) + softplus(x)',
    'normcdf(x) * erf(x) + sign(x) * exp(-x^2)',
    'log1p(abs(x)) + expm1(-abs(x)) + sqrt(1 + x^2) + atan(x) + asinh(x) + cos(x) * sinh(x) / cosh(x)',
    '3',
  ];

  it.skipIf(!torch)(
    `φ and φ′ under PyTorch ${torch ?? '(not installed: skipped; apt-get install python3-torch)'} are the formula's`,
    () => {
      const xs = [-3.5, -1.25, -0.5, -1e-3, 0, 1e-3, 0.5, 1.25, 3.5];
      const lines = ['import math', 'import torch', 'import torch.nn.functional as F', ''];
      FORMULAS.forEach((text, i) => {
        const { root, derivative } = formulaTrees(text);
        const c = compileFormula(text);
        lines.push(
          ...functionLines(`phi_${i}`, root, c.f),
          ...functionLines(`dphi_${i}`, derivative, c.df),
          `x = torch.tensor(${JSON.stringify(xs)}, dtype=torch.float64)`,
          `print(phi_${i}(x).tolist(), dphi_${i}(x).tolist())`,
        );
      });
      const out = runPython(lines.join('\n')).trim().split('\n');
      FORMULAS.forEach((text, i) => {
        const [phi, dphi] = JSON.parse(`[${out[i]!.replace('] [', '], [')}]`) as number[][];
        const c = compileFormula(text);
        xs.forEach((x, k) => {
          expect(close(phi![k]!, c.f(x), 1e-12, 1e-15), `${text} at ${x}`).toBe(true);
          expect(close(dphi![k]!, c.df(x), 1e-12, 1e-15), `${text}' at ${x}`).toBe(true);
        });
      });
    },
  );

  it.skipIf(!torch)(
    'a function without a torch form falls back on a table of its values (to 1e-4)',
    () => {
      const f = (x: number) => Math.tanh(x) * Math.cos(x);
      const lines = [
        'import torch',
        ...functionLines('phi', parse('wobble(x)'), f),
        'print(phi(torch.tensor([-2.0, -0.333, 0.0, 0.777, 5.5, 20.0])).tolist())',
      ];
      const got = JSON.parse(runPython(lines.join('\n'))) as number[];
      [-2, -0.333, 0, 0.777, 5.5, 12].forEach((x, k) =>
        expect(Math.abs(got[k]! - f(x))).toBeLessThan(1e-4),
      );
    },
  );

  it.skipIf(!torch)('live: the default settings under PyTorch', () => {
    const p = paramsOf('swish');
    checkAgainstFigure(p, parse_(runPython(model.pytorch(p), kernelOf(p))));
  });
});
