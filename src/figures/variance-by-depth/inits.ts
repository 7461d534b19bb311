/**
 * The initializations the depth figures compare, as engine InitSpecs, and the σ_w² = n·Var(w) each
 * gives a square layer of width n (what mean-field theory needs).
 *
 * @module
 */
import type { InitSpec } from '../../engine/init';

export const INIT_OPTIONS = [
  { value: 'xavier_normal', label: 'Xavier normal' },
  { value: 'xavier_uniform', label: 'Xavier uniform' },
  { value: 'kaiming_normal', label: 'He normal (ReLU)' },
  { value: 'torch_default', label: 'PyTorch default' },
  { value: 'lecun_normal', label: 'LeCun normal' },
  { value: 'orthogonal', label: 'Orthogonal' },
  { value: 'unscaled', label: 'Unscaled N(0, 1)' },
  { value: 'small', label: 'Small N(0, 0.01²)' },
] as const;

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

export function initLabel(value: string): string {
  return INIT_OPTIONS.find((o) => o.value === value)?.label ?? value;
}

/**
 * The engine InitSpec for an init at a gain that multiplies its standard deviation. At gain 1 each is
 * exactly the PyTorch (or JAX) call its label names; other gains use the equivalent variance scaling.
 */
export function weightInit(init: string, gain: number): InitSpec {
  const scaled = (
    scale: number,
    distribution: 'untruncated_normal' | 'truncated_normal' | 'uniform',
  ): InitSpec => ({
    name: 'variance_scaling',
    scale: scale * gain * gain,
    mode: 'fan_in',
    distribution,
  });
  switch (init) {
    case 'xavier_normal':
      return { name: 'xavier_normal', gain };
    case 'xavier_uniform':
      return { name: 'xavier_uniform', gain };
    case 'orthogonal':
      return { name: 'orthogonal', gain };
    case 'kaiming_normal':
      return gain === 1
        ? { name: 'kaiming_normal', mode: 'fan_in', nonlinearity: 'relu' }
        : scaled(2, 'untruncated_normal');
    case 'torch_default':
      return gain === 1 ? { name: 'torch_default' } : scaled(1 / 3, 'uniform');
    case 'lecun_normal':
      return gain === 1 ? { name: 'lecun_normal' } : scaled(1, 'truncated_normal');
    case 'unscaled':
      return { name: 'normal', mean: 0, std: gain };
    case 'small':
      return { name: 'normal', mean: 0, std: 0.01 * gain };
    default:
      throw new Error(`Unknown init ${JSON.stringify(init)}`);
  }
}

/** σ_w² = n·Var(w) for a square layer of width n. */
export function sigmaW2Of(init: string, gain: number, width: number): number {
  const g2 = gain * gain;
  switch (init) {
    case 'kaiming_normal':
      return 2 * g2;
    case 'torch_default':
      return g2 / 3;
    case 'unscaled':
      return width * g2;
    case 'small':
      return width * 1e-4 * g2;
    default:
      return g2; // Xavier on square layers, LeCun, orthogonal
  }
}
