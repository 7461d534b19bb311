/**
 * The `mlp` preset: the dense stacks `propagate` runs (optionally with residual blocks), as a
 * network description for {@link propagateNetwork}, layer for layer: `linear` then `activation`
 * for each layer, and a `residual` around each block's layers. `propagate` itself runs the same
 * stack on the same core, with its layers fused and its historical draw order (weights, then
 * biases); the description draws in module order (each layer's weight, then its bias), so the two
 * agree exactly whenever the biases draw nothing (e.g. zeros).
 *
 * @module
 */
import { isBuiltInActivation } from '../activations';
import { validate, type PropagateConfig } from '../propagate/config';
import type { LayerSpec, NetworkConfig } from '../network/types';

/**
 * The description of `config`'s stack.
 * @param config - exactly what `propagate` takes
 * @throws EngineInputError for the same configurations `propagate` refuses, with its wording
 */
export function mlp(config: PropagateConfig): NetworkConfig {
  const p = validate(config);
  const { depth, widths: n } = p;
  const layer = (l: number): LayerSpec[] => {
    const zero = p.zeroInitLast && p.skipFrom[l] !== null;
    return [
      {
        type: 'linear',
        out: n[l]!,
        weightInit: zero ? { name: 'zeros' } : p.weightInit,
        biasInit: zero ? { name: 'zeros' } : p.biasInit,
      },
      {
        type: 'activation',
        // Built-ins by name, so the description stays plain data; a reader's formula as itself.
        name: isBuiltInActivation(p.act) ? p.act.name : p.act,
        ...(p.act.param === undefined ? {} : { param: p.act.param }),
      },
    ];
  };
  const layers: LayerSpec[] = [];
  for (let l = 1; l <= depth; l++) {
    const s = p.skipFrom[l];
    const opensBlock = l < depth && p.skipFrom[l + 1] === l - 1;
    if (opensBlock) continue;
    if (s === null || s === undefined) {
      layers.push(...layer(l));
      continue;
    }
    const body: LayerSpec[] = [];
    for (let j = s + 1; j <= l; j++) body.push(...layer(j));
    layers.push({ type: 'residual', scale: p.alpha, body });
  }
  return {
    input: {
      shape: [n[0]!],
      batch: p.batch,
      init: { distribution: p.input.distribution, mean: p.input.mean, std: p.input.std },
    },
    layers,
    seed: p.seed,
    backward: p.backward,
    loss: p.loss,
    summaries: p.options.detail ?? 'full',
    ...(config.quantiles === undefined ? {} : { quantiles: config.quantiles }),
    ...(config.histogramBins === undefined ? {} : { histogramBins: config.histogramBins }),
  };
}
