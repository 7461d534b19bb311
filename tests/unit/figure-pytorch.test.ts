/**
 * "Copy as PyTorch" of four figures, run under Debian's python3-torch: the script each figure
 * offers for its settings prints the numbers the figure computed (its own `compute`, on PyTorch's
 * stream), and layer 1's first weights are the engine's exactly. Tolerance: relative 2e-5 for
 * statistics (float32 sums in PyTorch, float64 in the engine; 7 printed digits); shares to one
 * entry of the layer. Skipped, with the reason, where python3-torch is not installed (CI installs
 * it: scripts/ensure-torch.mjs); tests/unit/pytorch-stack-script.test.ts checks the same scripts
 * against committed fixtures everywhere.
 */
import { describe, expect, it } from 'vitest';
import { figureModel } from '../../src/figures/models';
import { sanitizeParams } from '../../src/figures/params';
import { runToEnd } from '../../src/figures/types';
import type { DistributionData } from '../../src/figures/distributions-by-layer/model';
import type { SaturationData } from '../../src/figures/saturation/model';
import { SWEEP_GAINS } from '../../src/figures/saturation/model';
import type { VarianceData } from '../../src/figures/variance-by-depth/model';
import type { WidthData } from '../../src/figures/width/model';
import { WIDTHS } from '../../src/figures/width/model';
import {
  close,
  parseStackOutput,
  runPython,
  torchVersion,
  type PrintedRun,
} from './helpers/python-torch';

const torch = torchVersion();

/** The figure's data and what its script printed under PyTorch. */
function both<D>(id: string, given: Record<string, unknown>): { data: D; printed: PrintedRun[] } {
  const model = figureModel(id);
  const { params, messages } = sanitizeParams(model.schema, given);
  expect(messages).toEqual([]);
  const data = runToEnd(model.compute(params)) as D;
  const script = model.pytorch(params);
  return { data, printed: parseStackOutput(runPython(script)) };
}

const near = (a: number, b: number): boolean => close(a, b, 2e-5, 1e-12);

describe.skipIf(!torch)(
  `Copy as PyTorch prints the figure's numbers (PyTorch ${torch ?? 'not installed: skipped; apt-get install python3-torch'})`,
  () => {
    it('variance by depth: every layer of every init, forward and backward', () => {
      for (const quantity of ['pre', 'grad']) {
        const { data, printed } = both<VarianceData>('variance-by-depth', {
          inits: ['xavier_normal', 'kaiming_normal', 'torch_default'],
          activation: 'relu',
          depth: 12,
          width: 64,
          batch: 32,
          sigmaB: 0.1,
          quantity,
        });
        expect(printed).toHaveLength(3);
        printed.forEach((run, k) => {
          const curve = data.points.filter(
            (pt) => pt.init === ['xavier_normal', 'kaiming_normal', 'torch_default'][k],
          );
          expect(run.rows.map((r) => r.layer)).toEqual(curve.map((pt) => pt.layer));
          run.rows.forEach((r, i) =>
            expect(near(r.values[0]!, curve[i]!.measured), `${run.label} ${r.layer}`).toBe(true),
          );
        });
      }
    });

    it('variance by depth with residual blocks and zero-init branch ends', () => {
      const { data, printed } = both<VarianceData>('variance-by-depth', {
        inits: ['kaiming_normal'],
        activation: 'relu',
        depth: 9,
        width: 32,
        batch: 16,
        residual: '2',
        zeroInitLast: true,
        alpha: 0.5,
        quantity: 'gradPost',
      });
      printed[0]!.rows.forEach((r, i) =>
        expect(near(r.values[0]!, data.points[i]!.measured)).toBe(true),
      );
    });

    it('width: the spread at every fan-in, for a rule that reads fan_out too', () => {
      const inits = ['unscaled', 'xavier_uniform'];
      const { data, printed } = both<WidthData>('width', { inits, batch: 8, inputStd: 2 });
      expect(printed).toHaveLength(inits.length * WIDTHS.length);
      printed.forEach((run, k) => {
        const point = data.points[k]!;
        expect(run.label).toContain(`n = ${point.width}`);
        expect(near(run.rows[0]!.values[0]!, point.measured), run.label).toBe(true);
      });
    });

    it('saturation: the share by layer at the chosen gain and over the sweep', () => {
      const { data, printed } = both<SaturationData>('saturation', {
        activation: 'tanh',
        init: 'xavier_normal',
        gain: 3,
        depth: 6,
        width: 64,
      });
      expect(printed).toHaveLength(1 + SWEEP_GAINS.length);
      const entries = 64 * 64;
      data.byLayer.forEach((pt, i) =>
        expect(Math.abs(printed[0]!.rows[i]!.values[0]! - pt.measured)).toBeLessThanOrEqual(
          1.01 / entries,
        ),
      );
      for (const pt of data.sweep) {
        const run = printed[1 + SWEEP_GAINS.indexOf(pt.gain)]!;
        const row = run.rows.find((r) => r.layer === pt.layer)!;
        expect(Math.abs(row.values[0]! - pt.measured)).toBeLessThanOrEqual(1.01 / (32 * 64));
      }
    });

    it('distributions by layer: the std of every layer, activations and gradients', () => {
      for (const what of ['activations', 'gradients']) {
        const { data, printed } = both<DistributionData>('distributions-by-layer', {
          inits: ['torch_default', 'xavier_uniform'],
          activation: 'tanh',
          what,
          depth: 5,
          width: 64,
        });
        printed.forEach((run, k) => {
          const rows = data.layers.filter((l) => l.init === ['torch_default', 'xavier_uniform'][k]);
          run.rows.forEach((r, i) =>
            expect(near(r.values[0]!, rows[i]!.std), `${what} ${run.label} ${r.layer}`).toBe(true),
          );
        });
      }
    });
  },
);
