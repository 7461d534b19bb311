/**
 * The initializations and activations the depth figures offer. Labels, specs and σ_w² come from the
 * engine's catalogue (`src/engine/init-catalogue.ts`); this file only chooses which and in what order.
 *
 * @module
 */
import { initOptions } from '../../engine/init-catalogue';

export const INIT_OPTIONS = initOptions([
  'xavier_normal',
  'xavier_uniform',
  'kaiming_normal',
  'torch_default',
  'lecun_normal',
  'orthogonal',
  'unscaled',
  'small',
]);

export const ACTIVATION_OPTIONS = [
  { value: 'linear', label: 'linear' },
  { value: 'relu', label: 'ReLU' },
  { value: 'leaky_relu', label: 'leaky ReLU (0.01)' },
  { value: 'tanh', label: 'tanh' },
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'selu', label: 'SELU' },
  { value: 'elu', label: 'ELU' },
  { value: 'gelu', label: 'GELU' },
  { value: 'silu', label: 'SiLU' },
  { value: 'softplus', label: 'softplus' },
] as const;
