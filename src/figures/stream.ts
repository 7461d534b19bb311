/**
 * The random stream a figure draws from, one setting shared by every figure that draws: PyTorch's
 * CPU stream by default (so `torch.manual_seed(seed)` and the figure's "Copy as PyTorch" script draw
 * the same weights), for the x86 build with AVX2 or for builds without it (ARM, Apple silicon), or
 * Initbook's own generator.
 *
 * @module
 */
import type { ChoiceParam } from './params';

export const STREAM_PARAM = {
  kind: 'choice',
  label: 'Random stream',
  default: 'torch',
  options: [
    { value: 'torch', label: 'PyTorch 1.13, x86 CPU (AVX2)' },
    { value: 'torch_other', label: 'PyTorch 1.13, other CPUs (ARM, Apple)' },
    { value: 'initbook', label: 'Initbook’s own generator' },
  ],
  hint: 'PyTorch’s: torch.manual_seed(seed) in your notebook draws the same weights (CPU, float32). The two builds round normal_ differently.',
} as const satisfies ChoiceParam;

/** The engine options for a value of {@link STREAM_PARAM}. */
export function streamOptions(value: string): {
  readonly stream: 'torch' | 'initbook';
  readonly normalKernel?: 'avx2' | 'default';
} {
  if (value === 'initbook') return { stream: 'initbook' };
  return { stream: 'torch', normalKernel: value === 'torch_other' ? 'default' : 'avx2' };
}

/** A sentence for the script's header and the figure's notes: which stream the numbers come from. */
export function streamText(value: string): string {
  if (value === 'initbook') return "Initbook's own generator (PyTorch will draw other weights)";
  return value === 'torch_other'
    ? "PyTorch's CPU stream as builds without AVX2 round it (ARM, Apple silicon)"
    : "PyTorch's CPU stream as x86 builds with AVX2 round it";
}
