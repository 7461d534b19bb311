/**
 * Which dense kernels the engine runs: WebAssembly SIMD where the JavaScript engine supports it
 * (relaxed SIMD's fused multiply-add when present), else the plain TypeScript ones. Both give the
 * same results within float32 rounding; tests run the engine suite on each.
 *
 * @module
 */
import { createTsKernels, type Kernels } from './kernels';
import { createWasmKernels, wasmVariant, type WasmKernels } from './kernels-wasm';

/** What to use: the best available (`'auto'`), or one forced. */
export type KernelPreference = 'auto' | 'wasm' | 'ts';

/** What runs: the wasm variant, or TypeScript. */
export type KernelBackend = 'wasm-relaxed-simd' | 'wasm-simd' | 'ts';

let preference: KernelPreference = 'auto';
let shared: { backend: KernelBackend; kernels: Kernels; wasm: WasmKernels | null } | undefined;

/**
 * Chooses the kernels for every later run in this realm (page, worker or process).
 * @param value - `'auto'` (default), `'wasm'` (throws later if unavailable) or `'ts'`
 */
export function setKernelPreference(value: KernelPreference): void {
  if (value !== 'auto' && value !== 'wasm' && value !== 'ts') {
    throw new TypeError(
      `kernel preference must be 'auto', 'wasm' or 'ts'; received ${String(value)}`,
    );
  }
  preference = value;
  shared = undefined;
}

/** The backend {@link createKernels} returns under the current preference. */
export function kernelBackend(): KernelBackend {
  return current().backend;
}

function current(): { backend: KernelBackend; kernels: Kernels; wasm: WasmKernels | null } {
  if (shared) return shared;
  if (preference !== 'ts') {
    const variant = wasmVariant();
    const kernels = variant === null ? null : createWasmKernels();
    if (kernels) {
      const backend = variant === 'relaxed-simd' ? 'wasm-relaxed-simd' : 'wasm-simd';
      shared = { backend, kernels, wasm: kernels };
      return shared;
    }
    if (preference === 'wasm') {
      throw new Error('WebAssembly SIMD is not available here: use the TypeScript kernels');
    }
  }
  shared = { backend: 'ts', kernels: createTsKernels(), wasm: null };
  return shared;
}

/** The wasm normal sampler when the wasm backend is in use, else null (sample in TS). */
export function wasmNormalFill(): WasmKernels['normalFill'] | null {
  const { wasm } = current();
  return wasm ? wasm.normalFill : null;
}

/** The wasm sampler of float64 deviates when the wasm backend is in use, else null (sample in TS). */
export function wasmNormalDeviates(): WasmKernels['normalDeviates'] | null {
  const { wasm } = current();
  return wasm ? wasm.normalDeviates : null;
}

/** The wasm kernels' layer moments when the wasm backend is in use, else null (compute in TS). */
export function wasmMoments(): WasmKernels['moments'] | null {
  const { wasm } = current();
  return wasm ? wasm.moments : null;
}

/**
 * The kernels for a run. One instance per realm is shared by all runs: every kernel call is
 * synchronous and self-contained, so interleaved runs (sliced generators) cannot disturb each
 * other, and the wasm workspace is allocated once, not per run.
 */
export function createKernels(): Kernels {
  return current().kernels;
}
