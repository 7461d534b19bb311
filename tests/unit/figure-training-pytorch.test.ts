/**
 * "Copy as PyTorch" of the training figure (src/pytorch/train-script.ts) against torch 1.13: what
 * the script prints for a few settings (tests/fixtures/torch/training-scripts.json, written by
 * this file with UPDATE_PYTORCH_FIXTURES=1, from scripts/pytorch-fixtures.sh) against the figure's
 * own runs on PyTorch's stream; live too where python3-torch is installed.
 *
 * Tolerances, and why:
 * - the initial weights exactly (layer 1's and the output layer's first four; the sum of all of
 *   them, a float64 sum in another order, to 1e-12): the same float32 values from the same stream
 *   (trunc_normal_, LeCun normal's, to a relative 1e-5: its erfinv agrees to float32 rounding);
 * - steps 1 … 20 tightly, until a step moves the weights by more than their own norm (update
 *   ratio ≥ 1: the run is then chaotic, and compared loosely): loss, gradient norms and update ratios to a relative 1e-5, accuracy to
 *   one sample of the batch. Both sides run float32 matrix products, in their own order of
 *   summation (about 6e-8 relative per rounding, over a few hundred roundings per step); the
 *   loss is taken in float64 from the float32 logits on both sides;
 * - later steps loosely (loss to a relative 1e-3): training amplifies those roundings slowly, so
 *   the curves drift apart over hundreds of steps; the decision grid to 0.01 and the final loss
 *   to 1e-3, for the same reason; the step where a run breaks exactly.
 */
import { describe, expect, it } from 'vitest';
import { initialGradients } from '../../src/engine/train';
import { figureModel } from '../../src/figures/models';
import { sanitizeParams } from '../../src/figures/params';
import { initLaw } from '../../src/engine/init-recipes';
import {
  initSpecOf,
  labelOf,
  trainConfig,
  type TrainingData,
  type TrainingParams,
} from '../../src/figures/training-curves/model';
import { runToEnd } from '../../src/figures/types';
import { close, runPython, scriptFixture, sha256, torchVersion } from './helpers/python-torch';

const FIXTURE = 'tests/fixtures/torch/training-scripts.json';
const model = figureModel('training-curves');

/** The settings checked: the default, the teacher with Adam on the other build, a run that breaks. */
const CASES: Record<string, Record<string, unknown>> = {
  spirals: { steps: 50 },
  teacher: {
    task: 'teacher',
    inits: ['torch_default', 'lecun_normal'],
    activation: 'tanh',
    optimizer: 'adam',
    lr: 0.003,
    depth: 3,
    head: 'small',
    steps: 50,
    seed: 11,
    stream: 'torch_other',
  },
  broken: {
    inits: ['unscaled', 'zeros'],
    activation: 'gelu',
    depth: 8,
    steps: 50,
    boundary: 'start',
    seed: 5,
  },
};

const paramsOf = (name: string): TrainingParams => {
  const { params, messages } = sanitizeParams(model.schema, CASES[name]!);
  expect(messages).toEqual([]);
  return params as TrainingParams;
};
const kernelOf = (p: TrainingParams): 'avx2' | 'default' =>
  p.stream === 'torch_other' ? 'default' : 'avx2';

const torch = torchVersion();
const fixture = scriptFixture(FIXTURE, () =>
  Object.fromEntries(
    Object.keys(CASES).map((name) => {
      const p = paramsOf(name);
      return [name, { script: model.pytorch(p), kernel: kernelOf(p) }];
    }),
  ),
);

interface PrintedTraining {
  label: string;
  firstWeights: number[];
  firstOutput: number[];
  sum: number;
  rows: { step: number; values: number[] }[];
  broke: number | null;
  grids: number[][];
  final: number[];
}

/** Reads the script's printout: one block per run. */
function parse(text: string): PrintedTraining[] {
  const runs: PrintedTraining[] = [];
  const list = (line: string) => JSON.parse(line.slice(line.indexOf('['))) as number[];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      runs.push({
        label: line,
        firstWeights: [],
        firstOutput: [],
        sum: NaN,
        rows: [],
        broke: null,
        grids: [],
        final: [],
      });
      continue;
    }
    const r = runs.at(-1)!;
    if (line.includes('first weights of layer 1')) r.firstWeights = list(line);
    else if (line.includes('first weights of the output')) r.firstOutput = list(line);
    else if (line.includes('sum of all initial')) r.sum = Number(line.split(':')[1]);
    else if (line.includes('non-finite at step')) r.broke = Number(/step (\d+)/.exec(line)![1]);
    else if (line.includes('final, whole dataset')) {
      r.final = [...line.matchAll(/(?:loss|accuracy) ([-\d.e+]+)/g)].map((m) => Number(m[1]));
    } else if (/^\s+\d+\s/.test(line)) {
      const [step, ...values] = line
        .trim()
        .split(/\s+/)
        .map((v) => (v === '-' ? NaN : Number(v)));
      r.rows.push({ step: step!, values });
    } else if (/^\s+\d\.\d+/.test(line)) r.grids.push(line.trim().split(/\s+/).map(Number));
  }
  return runs;
}

/** Checks a printout against the figure's own runs of the same settings. */
function checkAgainstFigure(p: TrainingParams, printed: PrintedTraining[]): void {
  const data = runToEnd(model.compute(p)) as TrainingData;
  expect(printed.map((r) => r.label)).toEqual(p.inits.map(labelOf));
  data.runs.forEach((run, i) => {
    const got = printed[i]!;
    const g = initialGradients(trainConfig(p, run.init));
    const W = g.params.W;
    // trunc_normal_ (LeCun normal) agrees to float32 rounding, not exactly: its erfinv.
    const exact = initLaw([2, 2], initSpecOf(run.init)).kind !== 'truncated';
    const same = (a: number[], b: Float32Array) =>
      exact
        ? expect(a, run.init).toEqual([...b])
        : a.forEach((v, k) => expect(close(v, b[k]!, 1e-5, 1e-7), run.init).toBe(true));
    same(got.firstWeights, W[1]!.subarray(0, 4));
    same(got.firstOutput, W.at(-1)!.subarray(0, 4));
    let sum = 0;
    for (const w of W) for (const v of w) sum += v;
    expect(close(got.sum, sum, exact ? 1e-12 : 1e-5), run.init).toBe(true);
    expect(got.broke, run.init).toBe(run.firstNonFinite);
    expect(got.rows.map((r) => r.step)).toEqual(run.points.map((q) => q.step));
    // After a step that moved the weights by more than their own size the run is chaotic.
    let sane = true;
    run.points.forEach((q, k) => {
      const [loss, acc, g1, gOut, r1, rOut] = got.rows[k]!.values;
      const at = `${run.init} step ${q.step}`;
      const tightHere = sane && q.step <= 20;
      sane &&= q.updateRatio.every((r) => r < 1);
      if (!tightHere) {
        if (Number.isFinite(q.loss)) expect(close(loss!, q.loss, 1e-3), at).toBe(true);
        return;
      }
      const tight = (a: number, b: number) =>
        Number.isNaN(a) ? Number.isNaN(b) : close(a, b, 1e-5, 1e-12);
      expect(tight(loss!, q.loss), `${at} loss ${loss} vs ${q.loss}`).toBe(true);
      if (q.accuracy !== null)
        expect(Math.abs(acc! - q.accuracy), at).toBeLessThanOrEqual(1.01 / 64);
      else expect(acc, at).toBeNaN();
      expect(tight(g1!, q.gradNorm[0]!), `${at} grad 1`).toBe(true);
      expect(tight(gOut!, q.gradNorm.at(-1)!), `${at} grad out`).toBe(true);
      expect(tight(r1!, q.updateRatio[0]!), `${at} ratio 1`).toBe(true);
      expect(tight(rOut!, q.updateRatio.at(-1)!), `${at} ratio out`).toBe(true);
    });
    if (run.firstNonFinite === null) expect(close(got.final[0]!, run.final.loss, 1e-3)).toBe(true);
    if (run.boundary) {
      const grid = got.grids.flat();
      expect(grid).toHaveLength(run.boundary.p1.length);
      grid.forEach((v, k) =>
        expect(Math.abs(v - run.boundary!.p1[k]!), `grid ${k}`).toBeLessThan(0.01),
      );
    }
  });
}

describe('the training figure as a PyTorch script', () => {
  it('the fixture was made from the scripts the figure writes now', () => {
    for (const name of Object.keys(CASES)) {
      expect(fixture.cases[name]?.sha256, `${name}: rerun with UPDATE_PYTORCH_FIXTURES=1`).toBe(
        sha256(model.pytorch(paramsOf(name))),
      );
    }
  });

  for (const name of Object.keys(CASES)) {
    it(`${name}: PyTorch ${fixture.torch}'s printout is the figure's runs`, () => {
      checkAgainstFigure(paramsOf(name), parse(fixture.cases[name]!.output));
    });
  }

  it("the script for Initbook's own generator says that PyTorch draws other weights", () => {
    const text = model.pytorch({ ...paramsOf('spirals'), stream: 'initbook' });
    expect(text).toContain("Initbook's own generator");
    expect(text).toContain('PyTorch draws other data, weights');
    expect(model.pytorch(paramsOf('spirals'))).not.toContain('PyTorch draws other');
  });

  it.skipIf(!torch)(
    `live: the default settings under PyTorch ${torch ?? '(not installed: skipped; apt-get install python3-torch)'}`,
    () => {
      const p = paramsOf('spirals');
      checkAgainstFigure(p, parse(runPython(model.pytorch(p), kernelOf(p))));
    },
  );
});
