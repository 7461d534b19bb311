/**
 * The second moment E[W²] of a tensor drawn from an initializer, for the mean-field theories
 * (what a layer of fan-in n multiplies an input's second moment by is n·E[W²]).
 *
 * @module
 */
import { calculateGain, computeFans } from '../fans';
import type { InitSpec } from '../init';
import { EngineInputError } from '../validate';

/**
 * E[W²] of a tensor drawn from `spec`: normal mean² + std²; uniform (a² + ab + b²)/3; constants
 * their square; torch_default 1/(3·fan_in) (U(±1/√fan_in)); xavier gain²·2/(fan_in + fan_out);
 * kaiming gain²/fan (PyTorch's gain for the nonlinearity, default leaky_relu with a = 0).
 * @param shape - the tensor's shape (PyTorch layout)
 * @param fanIn - for `torch_default` on a bias (1-D)
 * @throws EngineInputError for an initializer the theory does not cover
 */
export function initSecondMoment(spec: InitSpec, shape: readonly number[], fanIn?: number): number {
  const fans = () => computeFans(shape);
  switch (spec.name) {
    case 'normal':
      return (spec.mean ?? 0) ** 2 + (spec.std ?? 1) ** 2;
    case 'uniform': {
      const a = spec.a ?? 0;
      const b = spec.b ?? 1;
      return (a * a + a * b + b * b) / 3;
    }
    case 'zeros':
      return 0;
    case 'ones':
      return 1;
    case 'constant':
      return spec.value ** 2;
    case 'torch_default':
      return 1 / (3 * (shape.length >= 2 ? fans().fanIn : fanIn!));
    case 'xavier_uniform':
    case 'xavier_normal':
      return ((spec.gain ?? 1) ** 2 * 2) / (fans().fanIn + fans().fanOut);
    case 'kaiming_uniform':
    case 'kaiming_normal': {
      const gain = calculateGain(spec.nonlinearity ?? 'leaky_relu', spec.a ?? 0);
      const f = (spec.mode ?? 'fan_in') === 'fan_in' ? fans().fanIn : fans().fanOut;
      return (gain * gain) / f;
    }
    default:
      throw new EngineInputError(
        'init',
        spec.name,
        'normal, uniform, zeros, ones, constant, torch_default, xavier_* or kaiming_* (for the theory)',
      );
  }
}
