/**
 * The engine's dense kernels in WebAssembly SIMD (built from scripts/wasm/*.mjs by
 * scripts/build-wasm.mjs), behind the same {@link Kernels} interface as the plain TypeScript ones.
 *
 * One module instance per kernels object, with one linear memory used as a workspace: each call
 * copies its operands in, packs A in blocks of rows and B in 8-column panels, runs the 6×8
 * register-tiled product and copies the result out (the fused layers keep their intermediates in). The workspace grows only when a call needs more than any before it, and
 * never shrinks, so thousands of calls of one size allocate nothing after the first.
 *
 * Accumulation is float32 (fused multiply-add where relaxed SIMD is available), in index order per
 * output, starting from zero (or the bias, in the fused layer): results differ from the float64-accumulating TypeScript kernels by a
 * few float32 ulps of the dot product, and two outputs from identical rows are still identical.
 *
 * @module
 */
import { isBuiltInActivation, type Activation } from './activations';
import type { RawMoments } from './raw-moments';
import type { Kernels } from './kernels';
import { RESERVED, compile, globals, type Exports, type WasmVariant } from './kernels-wasm-module';
import { PANEL, TILE_ROWS } from './wasm/kernels.generated';

export { wasmVariant, type WasmVariant } from './kernels-wasm-module';

/** The moments of a layer, as `summarize` needs them (see src/engine/stats.ts). */
export type LayerMoments = RawMoments;

/** The engine generator's state (src/engine/rng.ts), read and written by {@link WasmKernels.normalFill}. */
export interface RngState {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  spare: number;
  hasSpare: boolean;
}

/** Kernels that also say which variant they run and how large their workspace is. */
export interface WasmKernels extends Kernels {
  readonly variant: WasmVariant;
  /**
   * The moments of a rows × cols layer, in SIMD.
   * @param saturation - count |v| > 0.97 (`'tanh'`), v < 0.03 or v > 0.97 (`'sigmoid'`), or nothing
   */
  moments(
    x: Float32Array,
    rows: number,
    cols: number,
    saturation: 'tanh' | 'sigmoid' | 'none',
  ): LayerMoments;
  /**
   * out[i] = float32(mean + std·z) with z the generator's next standard normal deviates: bit for
   * bit what the TypeScript generator gives, and the state moves on exactly as it would.
   */
  normalFill(state: RngState, out: Float32Array, mean: number, std: number): void;
  /**
   * The generator's next `n` standard normal deviates as float64, the state moving on as in
   * {@link normalFill}: float32(mean + std·z[i]) is then bit for bit what `normalFill` writes.
   */
  normalDeviates(state: RngState, n: number): Float64Array;
  /** Bytes of linear memory in use by the workspace. */
  memoryBytes(): number;
}

/**
 * WebAssembly SIMD kernels, or null where the engine cannot run them (then use the TypeScript ones).
 * @param prefer - force a variant (tests compare them); by default the best available
 */
export function createWasmKernels(prefer?: WasmVariant): WasmKernels | null {
  const found = compile(prefer);
  if (!found) return null;
  const instance = new globals.WebAssembly!.Instance(found.module, {});
  const x = instance.exports as unknown as Exports;
  const memory = x.memory;
  let f32 = new Float32Array(memory.buffer);

  /** Makes sure the workspace holds `bytes`; grows (rarely) and refreshes the view. */
  function reserve(bytes: number): void {
    const need = bytes - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    if (f32.buffer !== memory.buffer) f32 = new Float32Array(memory.buffer);
  }

  /** Lays out regions of `sizes` floats, each 16-byte aligned; returns their byte addresses. */
  function layout(...sizes: number[]): number[] {
    const addresses: number[] = [];
    let at = RESERVED;
    for (const size of sizes) {
      addresses.push(at);
      at += Math.ceil((size * 4) / 16) * 16;
    }
    reserve(at);
    return addresses;
  }

  /** Copies `src` (first `n` floats) to the byte address `at`. */
  function put(src: Float32Array, at: number, n: number): void {
    f32.set(n === src.length ? src : src.subarray(0, n), at >> 2);
  }

  /** Copies an m × ldc result at `at` into the m × n array `dst`. */
  function take(at: number, dst: Float32Array, m: number, n: number, ldc: number): void {
    const base = at >> 2;
    if (n === ldc) {
      dst.set(f32.subarray(base, base + m * n));
      return;
    }
    for (let i = 0; i < m; i++) {
      dst.set(f32.subarray(base + i * ldc, base + i * ldc + n), i * n);
    }
  }

  /**
   * Runs a sampling export on the generator state `state`, copied into the workspace at `ps` and
   * back afterwards, so the state moves on exactly as the TypeScript generator's would.
   */
  function sample(
    fill: (state: number, out: number, n: number, mean: number, std: number) => void,
    state: RngState,
    ps: number,
    po: number,
    n: number,
    mean: number,
    std: number,
  ): void {
    const words = new Int32Array(memory.buffer, ps, 8);
    words[0] = state.s0;
    words[1] = state.s1;
    words[2] = state.s2;
    words[3] = state.s3;
    new Float64Array(memory.buffer, ps + 16, 1)[0] = state.spare;
    words[6] = state.hasSpare ? 1 : 0;
    fill(ps, po, n, mean, std);
    const after = new Int32Array(memory.buffer, ps, 8);
    state.s0 = after[0]!;
    state.s1 = after[1]!;
    state.s2 = after[2]!;
    state.s3 = after[3]!;
    state.spare = new Float64Array(memory.buffer, ps + 16, 1)[0]!;
    state.hasSpare = after[6] === 1;
  }

  /** Raw moments of the m × n floats at byte address `at` (already in the workspace). */
  function momentsAt(
    at: number,
    out: number,
    m: number,
    n: number,
    saturation: 'tanh' | 'sigmoid' | 'none',
  ): LayerMoments {
    x.moments(at, m * n, saturation === 'tanh' ? 1 : saturation === 'sigmoid' ? 2 : 0, out);
    const r = new Float64Array(memory.buffer, out, 8);
    return {
      count: r[0]!,
      sum: r[1]!,
      min: r[2]!,
      max: r[3]!,
      zeros: r[4]!,
      saturated: r[5]!,
      deviation2: r[6]!,
      squares: r[7]!,
      unitSpread: x.unit_spread(at, m, n),
    };
  }

  /**
   * C (m×n) = A·Bᵀ with A read through strides (ars, acs) from a copy of `a` (`aLen` floats) and B
   * element (j, p) at b[j·sj + p·sp] (`bLen` floats).
   */
  function product(
    a: Float32Array,
    aLen: number,
    ars: number,
    acs: number,
    b: Float32Array,
    bLen: number,
    sj: number,
    sp: number,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
  ): void {
    const panels = Math.ceil(n / PANEL);
    const ldc = panels * PANEL;
    const blocks = Math.ceil(m / TILE_ROWS);
    // A is packed in whole blocks of rows: the last tile computes its padding rows but stores only real ones.
    const [pa, pb, packedA, packedB, pc] = layout(
      aLen,
      bLen,
      blocks * TILE_ROWS * k,
      panels * PANEL * k,
      m * ldc,
    ) as [number, number, number, number, number];
    put(a, pa, aLen);
    put(b, pb, bLen);
    x.pack_a(pa, ars, acs, m, k, packedA);
    x.pack_b(pb, sj, sp, n, k, packedB);
    x.gemm(packedA, packedB, 0, pc, m, panels, k, ldc);
    take(pc, c, m, n, ldc);
  }

  return {
    variant: found.variant,
    normalFill(state, out, mean, std) {
      const n = out.length;
      const [ps, po] = layout(8, n) as [number, number];
      sample(x.normal_fill, state, ps, po, n, mean, std);
      out.set(new Float32Array(memory.buffer, po, n));
    },
    normalDeviates(state, n) {
      const [ps, po] = layout(8, 2 * n) as [number, number];
      sample(x.normal_fill64, state, ps, po, n, 0, 1);
      return new Float64Array(memory.buffer, po, n).slice();
    },
    moments(values, rows, cols, saturation) {
      const n = rows * cols;
      const [px, out] = layout(n, 8) as [number, number];
      put(values, px, n);
      return momentsAt(px, out, rows, cols, saturation);
    },
    backwardLayer(g, deriv, scale, xIn, w, below, m, n, k) {
      const panelsK = Math.ceil(k / PANEL);
      const ldk = panelsK * PANEL;
      const [pg, pd, px, pw, pgp, pA1, pB1, pdw, pdb, pA2, pB2, pbelow, out] = layout(
        m * n,
        m * n,
        m * k,
        n * k,
        m * n,
        Math.ceil(n / TILE_ROWS) * TILE_ROWS * m,
        ldk * m,
        n * ldk,
        n,
        below === null ? 0 : Math.ceil(m / TILE_ROWS) * TILE_ROWS * n,
        below === null ? 0 : ldk * n,
        below === null ? 0 : m * ldk,
        8,
      ) as number[] as [
        number, number, number, number, number, number, number,
        number, number, number, number, number, number,
      ]; // prettier-ignore
      put(g, pg, m * n);
      put(deriv, pd, m * n);
      put(xIn, px, m * k);
      put(w, pw, n * k);
      x.mul_scaled(pg, pd, pgp, m * n, scale);
      // dW (n × k) = gPreᵀ·X: A(o, b) = gPre[b][o] (strides 1, n); B(i, b) = X[b][i] (strides 1, k).
      x.pack_a(pgp, 1, n, n, m, pA1);
      x.pack_b(px, 1, k, k, m, pB1);
      x.gemm(pA1, pB1, 0, pdw, n, panelsK, m, ldk);
      if (ldk !== k) {
        const c = pdw >> 2;
        for (let i = 1; i < n; i++) f32.copyWithin(c + i * k, c + i * ldk, c + i * ldk + k);
      }
      x.col_sums(pgp, m, n, pdb);
      const result = {
        gradPre: momentsAt(pgp, out, m, n, 'none'),
        gradPost: momentsAt(pg, out, m, n, 'none'),
        gradWeight: momentsAt(pdw, out, n, k, 'none'),
        gradBias: momentsAt(pdb, out, 1, n, 'none'),
      };
      if (below !== null) {
        // below (m × k) = gPre·W: A = gPre (m × n, strides n, 1); B(i, o) = W[o][i] (strides 1, k).
        x.pack_a(pgp, n, 1, m, n, pA2);
        x.pack_b(pw, 1, k, k, n, pB2);
        x.gemm(pA2, pB2, 0, pbelow, m, panelsK, n, ldk);
        take(pbelow, below, m, k, ldk);
      }
      return result;
    },
    forwardLayer(xIn, w, bias, pre, post, deriv, m, n, k, act, rules) {
      const fn = x[`act_${act.name}`];
      if (typeof fn !== 'function' || !isBuiltInActivation(act)) return false;
      const panels = Math.ceil(n / PANEL);
      const ldc = panels * PANEL;
      const blocks = Math.ceil(m / TILE_ROWS);
      const [pa, pb, packedA, packedB, pbias, pc, ppost, pd, out] = layout(
        m * k,
        n * k,
        blocks * TILE_ROWS * k,
        panels * PANEL * k,
        ldc,
        m * ldc,
        m * n,
        deriv === null ? 0 : m * n,
        8,
      ) as [number, number, number, number, number, number, number, number, number];
      put(xIn, pa, m * k);
      put(w, pb, n * k);
      if (bias !== null) {
        f32.fill(0, pbias >> 2, (pbias >> 2) + ldc);
        put(bias, pbias, n);
      }
      x.pack_a(pa, k, 1, m, k, packedA);
      x.pack_b(pb, k, 1, n, k, packedB);
      x.gemm(packedA, packedB, bias === null ? 0 : pbias, pc, m, panels, k, ldc);
      // Close the row padding up, so pre is m × n contiguous (each row moves down, never over one
      // not yet moved).
      if (ldc !== n) {
        const c = pc >> 2;
        for (let i = 1; i < m; i++) f32.copyWithin(c + i * n, c + i * ldc, c + i * ldc + n);
      }
      fn(pc, ppost, deriv === null ? 0 : pd, m * n, act.param ?? 0);
      const result = {
        ...(rules ? { pre: momentsAt(pc, out, m, n, rules.pre) } : {}),
        ...(rules && rules.post !== null ? { post: momentsAt(ppost, out, m, n, rules.post) } : {}),
      };
      pre.set(f32.subarray(pc >> 2, (pc >> 2) + m * n));
      post.set(f32.subarray(ppost >> 2, (ppost >> 2) + m * n));
      if (deriv !== null) deriv.set(f32.subarray(pd >> 2, (pd >> 2) + m * n));
      return result;
    },
    memoryBytes: () => memory.buffer.byteLength,
    matmul(a, b, y, m, n, k) {
      product(a, m * k, k, 1, b, n * k, k, 1, y, m, n, k);
    },
    matmulGradInput(dy, w, dx, batch, out, inp) {
      // dX[b][i] = Σ_o dY[b][o]·W[o][i]: B(j = i, p = o) = W[o][i], read with strides (1, inp).
      product(dy, batch * out, out, 1, w, out * inp, 1, inp, dx, batch, inp, out);
    },
    matmulGradWeight(dy, xIn, dw, batch, out, inp) {
      // dW[o][i] = Σ_b dY[b][o]·X[b][i]: A(o, b) = dY[b][o] (strides 1, out), B(i, b) = X[b][i].
      product(dy, batch * out, 1, out, xIn, batch * inp, 1, inp, dw, out, inp, batch);
    },
    biasActivation(pre, bias, post, deriv, rows, cols, act: Activation) {
      if (bias !== null) {
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          for (let c = 0; c < cols; c++) pre[o + c] = pre[o + c]! + bias[c]!;
        }
      }
      const n = rows * cols;
      const fn = x[`act_${act.name}`];
      // Linear is a copy in TypeScript: through wasm it would only add two more.
      if (typeof fn !== 'function' || !isBuiltInActivation(act) || act.name === 'linear') {
        act.apply(pre, post, n);
        if (deriv !== null) act.applyDerivative(pre, deriv, n);
        return;
      }
      const [px, py, pd] = layout(n, n, deriv === null ? 0 : n) as [number, number, number];
      put(pre, px, n);
      fn(px, py, deriv === null ? 0 : pd, n, act.param ?? 0);
      post.set(f32.subarray(py >> 2, (py >> 2) + n));
      if (deriv !== null) deriv.set(f32.subarray(pd >> 2, (pd >> 2) + n));
    },
  };
}
