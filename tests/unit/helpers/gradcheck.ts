/**
 * Checks a network's backward pass against central differences: for a seeded sample of entries of
 * every parameter tensor (and of the input, when it carries a gradient), (L(θ + ε) − L(θ − ε)) / 2ε
 * with the loss summed in float64 over the float32 forward pass, against the analytic gradient.
 */
import { createKernels } from '../../../src/engine/backend';
import { createRng } from '../../../src/engine/rng';
import { buildNetwork } from '../../../src/engine/network/build';
import { drawInputValues } from '../../../src/engine/network/input';
import { sizeOf } from '../../../src/engine/network/layer';
import { drawLossData, lossAndGradient } from '../../../src/engine/network/loss';
import {
  backwardNetwork,
  drawParameters,
  forwardNetwork,
  runContext,
} from '../../../src/engine/network/run';
import type { NetworkConfig } from '../../../src/engine/network/types';

export interface GradCheckRow {
  readonly where: string;
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

export interface GradCheckOptions {
  /** Step ε; default 1e-2. */
  readonly eps?: number;
  /** Entries checked per tensor; default 6. */
  readonly samples?: number;
}

/** Every checked entry: compare `analytic` with `numeric` in the test. */
export function gradCheck(config: NetworkConfig, options: GradCheckOptions = {}): GradCheckRow[] {
  const eps = options.eps ?? 1e-2;
  const samples = options.samples ?? 6;
  const plan = buildNetwork({ ...config, backward: true });
  const B = plan.batch;
  const rng = createRng(plan.seed);
  const params = drawParameters(plan, rng);
  const x = drawInputValues(rng, plan.input, B * sizeOf(plan.input.shape));
  const size = sizeOf(plan.outShape);
  const classes = plan.outShape[plan.outShape.length - 1]!;
  const data = drawLossData(plan.loss, rng, B, size, classes);
  const k = createKernels();
  const lossAt = (input: Float32Array): number => {
    const { y } = forwardNetwork(plan, params, input, runContext(k, B, false));
    return lossAndGradient(plan.loss, y, data, B, size, classes).loss;
  };
  const { y, tape } = forwardNetwork(plan, params, x, runContext(k, B, true));
  const { top } = lossAndGradient(plan.loss, y, data, B, size, classes);
  const { grads, gx } = backwardNetwork(plan, params, tape, top, runContext(k, B, true));
  const pick = createRng(12345);
  const rows: GradCheckRow[] = [];
  const probe = (where: string, t: Float32Array, g: Float32Array, run: () => number): void => {
    const n = Math.min(samples, t.length);
    for (let s = 0; s < n; s++) {
      const i = t.length <= samples ? s : pick.int(t.length);
      const v = t[i]!;
      t[i] = v + eps;
      const up = run();
      t[i] = v - eps;
      const down = run();
      t[i] = v;
      rows.push({ where, index: i, analytic: g[i]!, numeric: (up - down) / (2 * eps) });
    }
  };
  for (const [path, tensors] of params) {
    const g = grads.get(path)!;
    tensors.forEach((t, j) => probe(`${path}#${j}`, t, g[j]!, () => lossAt(x)));
  }
  if (gx !== null && plan.input.kind === 'real') probe('input', x, gx, () => lossAt(x));
  return rows;
}

/** The worst |analytic − numeric| / (|analytic| + |numeric| + floor) over the rows. */
export function worstRelativeError(rows: readonly GradCheckRow[], floor = 1e-3): number {
  let worst = 0;
  for (const r of rows) {
    const e =
      Math.abs(r.analytic - r.numeric) / (Math.abs(r.analytic) + Math.abs(r.numeric) + floor);
    worst = Math.max(worst, e);
  }
  return worst;
}
