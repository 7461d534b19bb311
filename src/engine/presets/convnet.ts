/**
 * The `convnet` preset: a plain or residual stack of 3×3 convolutions with ReLU, described as data
 * (a {@link NetworkConfig} for `propagateNetwork`).
 *
 * Its default is the setting of He et al.'s comparison with Xavier initialization (Kaiming He,
 * Xiangyu Zhang, Shaoqing Ren, Jian Sun, "Delving Deep into Rectifiers: Surpassing Human-Level
 * Performance on ImageNet Classification", ICCV 2015): 30 convolutional layers of 3×3
 * filters, each followed by ReLU, at initialization. Under 'xavier' (Var(W) = 1/fan when the fans
 * are equal) every ReLU layer halves E[y²], so after 30 layers the signal's standard deviation is
 * 2^-15 of what 'he' (Var(W) = 2/fan_in) keeps flat. This is the conv stack only, at init, not the
 * paper's full ImageNet classifier.
 *
 * Layers, with C = `channels` and padding 1 so every conv keeps the image size:
 * - plain: depth × (conv2d 3×3 → [batchnorm] → relu), the first from `inChannels` to C;
 * - residual: a stem (conv2d → [batchnorm] → relu) then (depth − 1)/2 basic blocks
 *   relu(x + conv → [bn] → relu → conv → [bn]) (He et al., "Deep Residual Learning for Image
 *   Recognition", CVPR 2016), so `depth` counts the conv layers and must be odd;
 * - with `classes`: global average pooling, flatten and a linear readout to `classes`.
 *
 * Initializations: 'he' = kaiming_normal (fan_in, ReLU gain √2), 'xavier' = xavier_normal
 * (gain 1), both with zero biases; 'torch' = PyTorch's Conv2d defaults (U(±1/√fan_in) weight and
 * bias). With batchnorm the convs have no bias (as in ResNets).
 *
 * @module
 */
import { EngineInputError, oneOf, positiveInt } from '../validate';
import type { InitSpec } from '../init';
import type { Conv2dLayer, LayerSpec, NetworkConfig } from '../network/types';

/** Options of {@link convnet}; every field has a default. */
export interface ConvnetOptions {
  /** Conv layers in total (stem included); default 30. Odd when `residual`. */
  readonly depth?: number;
  /** Channels of every conv after the first; default 16. */
  readonly channels?: number;
  /** Channels of the input image; default 3. */
  readonly inChannels?: number;
  /** Height and width of the input image; default 32. */
  readonly imageSize?: number;
  /** Samples; default 8. */
  readonly batch?: number;
  /** Weight initialization; default 'he'. */
  readonly init?: 'xavier' | 'he' | 'torch';
  /** Basic residual blocks of two 3×3 convs; default false. */
  readonly residual?: boolean;
  /** A batchnorm after every conv; default false. */
  readonly batchnorm?: boolean;
  /** Adds global average pooling, flatten and a linear readout to this many classes. */
  readonly classes?: number;
  readonly seed?: number;
  readonly backward?: boolean;
}

/** One 3×3, padding-1 conv layer to `out` channels with the preset's init. */
function conv(out: number, init: 'xavier' | 'he' | 'torch', bias: boolean): Conv2dLayer {
  const base = { type: 'conv2d', out, kernel: 3, padding: 1 } as const;
  const weightInit: InitSpec | undefined =
    init === 'he'
      ? { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'relu' }
      : init === 'xavier'
        ? { name: 'xavier_normal' }
        : undefined;
  if (!bias) return { ...base, bias: false, ...(weightInit ? { weightInit } : {}) };
  if (weightInit === undefined) return base;
  return { ...base, weightInit, biasInit: { name: 'zeros' } };
}

/**
 * Builds the description of a conv stack (see the module note for its layers and defaults).
 * @returns a NetworkConfig for `propagateNetwork`
 * @throws EngineInputError for a bad option (e.g. an even depth with `residual`)
 */
export function convnet(options: ConvnetOptions = {}): NetworkConfig {
  const depth = positiveInt('depth', options.depth ?? 30, 10_000);
  const channels = positiveInt('channels', options.channels ?? 16, 1 << 16);
  const inChannels = positiveInt('inChannels', options.inChannels ?? 3, 1 << 16);
  const size = positiveInt('imageSize', options.imageSize ?? 32, 1 << 14);
  const batch = positiveInt('batch', options.batch ?? 8, 1 << 20);
  const init = oneOf('init', options.init ?? 'he', ['xavier', 'he', 'torch']);
  const residual = options.residual ?? false;
  const bn = options.batchnorm ?? false;
  if (residual && depth % 2 === 0) {
    throw new EngineInputError('depth', depth, 'an odd depth (a stem conv and two per block)');
  }
  const unit = (): LayerSpec[] => [
    conv(channels, init, !bn),
    ...(bn ? [{ type: 'batchnorm' } as const] : []),
  ];
  const relu = { type: 'activation', name: 'relu' } as const;
  const layers: LayerSpec[] = [...unit(), relu];
  if (residual) {
    for (let i = 0; i < (depth - 1) / 2; i++) {
      layers.push({ type: 'residual', body: [...unit(), relu, ...unit()] }, relu);
    }
  } else {
    for (let i = 1; i < depth; i++) layers.push(...unit(), relu);
  }
  if (options.classes !== undefined) {
    const classes = positiveInt('classes', options.classes, 1 << 20);
    layers.push(
      { type: 'pool', kind: 'avg', kernel: size },
      { type: 'flatten' },
      { type: 'linear', out: classes },
    );
  }
  return {
    input: { shape: [inChannels, size, size], batch },
    layers,
    seed: options.seed ?? 0,
    ...(options.backward === undefined ? {} : { backward: options.backward }),
  };
}
