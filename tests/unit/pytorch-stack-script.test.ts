/**
 * "Copy as PyTorch" for propagate runs (src/pytorch/stack-script.ts) against torch 1.13: what the
 * scripts of helpers/pytorch-cases.ts print under PyTorch (tests/fixtures/torch/stack-scripts.json,
 * written by this file with UPDATE_PYTORCH_FIXTURES=1, from scripts/pytorch-fixtures.sh) against the
 * engine's own run of the same configuration on the torch stream.
 *
 * Tolerances: layer 1's first weights exactly (the same float32 values); statistics to a relative
 * 2e-5, as PyTorch sums float32 products in float32 and in its own order, the engine in float64,
 * and the printout keeps 7 significant digits (means, which cancel, to 1e-6 absolute); fractions to
 * one entry in the layer. orthogonal_
 * factors its Gaussian matrix with LAPACK's QR, the engine with its own Householder QR: its weights
 * agree to float32 rounding (relative 1e-5) rather than exactly.
 */
import { describe, expect, it } from 'vitest';
import { initLaw } from '../../src/engine/init-recipes';
import { propagate } from '../../src/engine/propagate';
import { validate } from '../../src/engine/propagate/config';
import { buildStack, drawStack } from '../../src/engine/propagate/stack';
import { stackScript, type StackScript } from '../../src/pytorch/stack-script';
import { CASES } from './helpers/pytorch-cases';
import {
  close,
  parseStackOutput,
  runPython,
  scriptFixture,
  sha256,
  torchVersion,
  type PrintedRun,
} from './helpers/python-torch';

const FIXTURE = 'tests/fixtures/torch/stack-scripts.json';

/** The CPU build a case reproduces: PyTorch switches to its default kernels by environment. */
const kernelOf = (c: StackScript): 'avx2' | 'default' => c.runs[0]!.config.normalKernel ?? 'avx2';

const torch = torchVersion();
const fixture = scriptFixture(FIXTURE, () =>
  Object.fromEntries(CASES.map((c) => [c.name, { script: stackScript(c), kernel: kernelOf(c) }])),
);

/** Checks a printout against the engine's runs of the same description. */
function checkAgainstEngine(c: StackScript, printed: PrintedRun[]): void {
  expect(printed.map((r) => r.label)).toEqual(c.runs.map((r) => r.label));
  c.runs.forEach((run, i) => {
    const got = printed[i]!;
    const plan = validate(run.config);
    const w1 = drawStack(plan, buildStack(plan, false)).params.get('1')![0]!;
    const first = [...w1.subarray(0, 4)];
    // orthogonal_ (LAPACK's QR) and trunc_normal_ (float32 erfinv) agree to rounding, not exactly.
    const kind = initLaw([2, 2], run.config.weightInit).kind;
    if (kind === 'orthogonal' || kind === 'truncated') {
      first.forEach((w, k) =>
        expect(close(w, got.firstWeights[k]!, 1e-5, 1e-7), run.label).toBe(true),
      );
    } else {
      expect(got.firstWeights, run.label).toEqual(first);
    }
    const result = propagate(run.config);
    const layers = c.layers ?? result.layers.map((l) => l.layer);
    expect(
      got.rows.map((r) => r.layer),
      run.label,
    ).toEqual(layers);
    for (const row of got.rows) {
      const layer = result.layers[row.layer - 1]!;
      c.stats.forEach((s, k) => {
        const summary = layer[s.of]!;
        const engine = s.stat === 'std' ? Math.sqrt(summary.variance) : summary[s.stat];
        // Saturation is defined for tanh and sigmoid only (null otherwise).
        if (engine === null) return;
        const printedValue = row.values[k]!;
        const ok =
          s.stat === 'fractionZero' || s.stat === 'fractionSaturated'
            ? Math.abs(engine - printedValue) <= 1.01 / summary.count
            : close(engine, printedValue, 2e-5, s.stat === 'mean' ? 1e-6 : 1e-12);
        expect(
          ok,
          `${c.title} ${run.label} layer ${row.layer} ${s.label}: ${engine} vs ${printedValue}`,
        ).toBe(true);
      });
    }
  });
}

describe('Copy as PyTorch: propagate scripts against torch 1.13 (fixtures)', () => {
  it('the fixtures are of these very scripts (else run scripts/pytorch-fixtures.sh)', () => {
    for (const c of CASES)
      expect(fixture.cases[c.name]?.sha256, c.name).toBe(sha256(stackScript(c)));
    expect(Object.keys(fixture.cases).sort()).toEqual(CASES.map((c) => c.name).sort());
  });
  for (const c of CASES) {
    it(`${c.name}: PyTorch printed the engine's weights and statistics`, () => {
      checkAgainstEngine(c, parseStackOutput(fixture.cases[c.name]!.output));
    });
  }
});

describe.skipIf(!torch)(
  `Copy as PyTorch: the scripts run under PyTorch ${torch ?? '(python3-torch not installed: skipped)'}`,
  () => {
    it('prints what the fixture holds, for a case run now', () => {
      const c = CASES.find((x) => x.name === 'residual-branch-2-zero')!;
      const printed = parseStackOutput(runPython(stackScript(c), kernelOf(c)));
      checkAgainstEngine(c, printed);
    });
  },
);
