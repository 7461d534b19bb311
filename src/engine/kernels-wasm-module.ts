/**
 * Loading the WebAssembly SIMD kernels: the narrow slice of the WebAssembly API the engine uses,
 * the module's exports, and compiling the best variant this engine validates (once).
 *
 * @module
 */
import { KERNELS_RELAXED, KERNELS_SIMD } from './wasm/kernels.generated';

/** Which variant a kernels object runs. */
export type WasmVariant = 'relaxed-simd' | 'simd';

/**
 * The parts of the WebAssembly JS API used here. The engine compiles without the DOM library (it
 * runs in workers and Node alike), so it reads the global through this narrow type.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmApi {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
/** The global WebAssembly API and `atob`, read through the narrow types above. */
export const globals = globalThis as unknown as {
  readonly WebAssembly?: WasmApi;
  readonly atob?: (text: string) => string;
};

/** The module's exports. */
export interface Exports {
  readonly memory: WasmMemory;
  pack_a(src: number, ars: number, acs: number, m: number, k: number, dst: number): void;
  pack_b(src: number, sj: number, sp: number, n: number, k: number, dst: number): void;
  gemm(
    ap: number,
    bp: number,
    bias: number,
    c: number,
    m: number,
    panels: number,
    k: number,
    ldc: number,
  ): void;
  moments(x: number, n: number, sat: number, out: number): void;
  normal_fill(state: number, out: number, n: number, mean: number, std: number): void;
  normal_fill64(state: number, out: number, n: number, mean: number, std: number): void;
  mul_scaled(a: number, b: number, out: number, n: number, s: number): void;
  col_sums(x: number, rows: number, cols: number, out: number): void;
  unit_spread(x: number, rows: number, cols: number): number;
  [name: `act_${string}`]:
    ((x: number, y: number, d: number, n: number, alpha: number) => void) | undefined;
}

/** Bytes kept free at address 0, so a null pointer never aliases data. */
export const RESERVED = 64;

function decode(base64: string, atob: (text: string) => string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let compiled: { module: WasmModule; variant: WasmVariant } | null | undefined;

/**
 * Compiles the best variant this engine validates, once: relaxed SIMD, else plain simd128.
 * @returns null where WebAssembly or SIMD is missing (or synchronous compilation is refused)
 */
export function compile(prefer?: WasmVariant): { module: WasmModule; variant: WasmVariant } | null {
  if (prefer === undefined && compiled !== undefined) return compiled;
  let found: { module: WasmModule; variant: WasmVariant } | null = null;
  const { WebAssembly: wasm, atob } = globals;
  if (typeof wasm === 'object' && typeof atob === 'function') {
    const candidates: [WasmVariant, string][] = [
      ['relaxed-simd', KERNELS_RELAXED],
      ['simd', KERNELS_SIMD],
    ];
    for (const [variant, code] of candidates) {
      if (prefer !== undefined && variant !== prefer) continue;
      const bytes = decode(code, atob);
      if (!wasm.validate(bytes)) continue;
      try {
        found = { module: new wasm.Module(bytes), variant };
        break;
      } catch {
        // e.g. a main thread that refuses synchronous compilation of large modules
      }
    }
  }
  if (prefer === undefined) compiled = found;
  return found;
}

/** Which variant {@link createWasmKernels} would use here, or null if none works. */
export function wasmVariant(): WasmVariant | null {
  return compile()?.variant ?? null;
}
