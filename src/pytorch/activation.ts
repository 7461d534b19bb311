/**
 * An engine activation as a PyTorch expression, for the "Copy as PyTorch" scripts.
 *
 * @module
 */
import { py } from './python';

/**
 * `phi(z)` for a built-in activation (see the engine's `ACTIVATIONS`), or undefined when PyTorch
 * has no single function for it.
 * @param param - leaky_relu's slope or elu's α (the engine's `activationParam`)
 */
export function activationExpr(name: string, z: string, param?: number): string | undefined {
  switch (name) {
    case 'linear':
      return z;
    case 'relu':
      return `torch.relu(${z})`;
    case 'leaky_relu':
      return `F.leaky_relu(${z}, ${py(param ?? 0.01)})`;
    case 'tanh':
      return `torch.tanh(${z})`;
    case 'sigmoid':
      return `torch.sigmoid(${z})`;
    case 'selu':
      return `F.selu(${z})`;
    case 'elu':
      return param === undefined || param === 1 ? `F.elu(${z})` : `F.elu(${z}, alpha=${py(param)})`;
    case 'gelu':
      return `F.gelu(${z})`;
    case 'silu':
      return `F.silu(${z})`;
    case 'softplus':
      return `F.softplus(${z})`;
    default:
      return undefined;
  }
}
