/**
 * Variance by depth, "Copy as PyTorch": each ticked init's stack as nn.Linear layers under
 * torch.manual_seed, printing the mean square the chart shows at every layer.
 *
 * @module
 */
import { initLabel } from '../../engine/init-catalogue';
import type { PropagateConfig } from '../../engine/propagate';
import { stackScript, type StackStat } from '../../pytorch/stack-script';
import type { VarianceParams } from './model';

const STAT: Record<string, StackStat> = {
  pre: { label: 'mean square of the pre-activations z', of: 'pre', stat: 'meanSquare' },
  post: { label: 'mean square of the activations h', of: 'post', stat: 'meanSquare' },
  grad: { label: 'mean square of dL/dz', of: 'gradPre', stat: 'meanSquare' },
  gradPost: { label: 'mean square of dL/dh', of: 'gradPost', stat: 'meanSquare' },
};

/**
 * The figure's script for these settings.
 * @param configOf - the engine run behind one init's curve (the model's `runConfig`)
 */
export function vbdScript(
  p: VarianceParams,
  configOf: (p: VarianceParams, init: string) => PropagateConfig,
): string {
  const residual =
    p.residual === 'none'
      ? 'no residual connections'
      : `residual blocks of ${p.residual} layer(s), α = ${p.alpha}${p.zeroInitLast ? ', last layer of each branch zeroed' : ''}`;
  return stackScript({
    title: 'Variance by depth',
    settings: `${p.depth} layers of width ${p.width}, ${p.activation}, batch ${p.batch}, gain ${p.gain}, bias std ${p.sigmaB}, ${residual}, seed ${p.seed}`,
    runs: p.inits.map((init) => ({ label: initLabel(init), config: configOf(p, init) })),
    stats: [STAT[p.quantity]!],
  });
}
