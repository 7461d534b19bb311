/**
 * Seeded random numbers: xoshiro128** (Blackman & Vigna) seeded through splitmix32.
 *
 * Everything here uses 32-bit integer operations and IEEE-exact arithmetic only (+ − × ÷,
 * `Math.sqrt`, and the engine's own {@link detLog}), so a seed produces bit-identical numbers in
 * Node and in every browser. `Math.random`, `Math.log` and `Math.cos` are never used.
 *
 * @module
 */
import { wasmNormalDeviates, wasmNormalFill } from './backend';
import type { RngState } from './kernels-wasm';
import { detLog } from './special';
import type { Rng } from './rng-interface';
import { type TorchStreamOptions, createTorchRng } from './torch/torch-rng';
import { EngineInputError } from './validate';

/** Arrays at least this long are filled by the wasm sampler, when the wasm backend is in use. */
const WASM_FILL_MIN = 256;

/** Normal arrays at least this long go through the draw cache ({@link cachedDeviates}). */
const CACHE_MIN = 4096;

/** At most this many float64 deviates (32 MiB) are kept in the draw cache of one realm. */
const CACHE_LIMIT = 2 ** 22;

export { detLog } from './special';

export type { Rng } from './rng-interface';

const TWO_32 = 2 ** 32;
const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;

/**
 * splitmix32 output function (a bijection on 32-bit words): golden-ratio increment, then
 * xor-shift/multiply mixing.
 */
function splitmix32(x: number): number {
  let t = (x + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/** Checks a seed/stream argument and splits it into its low and high 32-bit words. */
function seedWords(param: string, seed: number): [number, number] {
  if (!Number.isSafeInteger(seed)) {
    throw new EngineInputError(param, seed, 'a safe integer (|seed| ≤ 2^53 − 1)');
  }
  // Two's complement of the 64-bit value: −1 ↦ (0xffffffff, 0xffffffff).
  return [seed >>> 0, Math.floor(seed / TWO_32) >>> 0];
}

/** xoshiro128** generator state plus the cached second deviate of the polar method. */
class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  nextUint32(): number {
    const s1 = this.s1;
    const t = s1 << 9;
    let r = Math.imul(s1, 5); // result = rotl(s1·5, 7)·9
    r = Math.imul((r << 7) | (r >>> 25), 9);
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return r >>> 0;
  }

  uniform(): number {
    // 26 + 27 high bits of two outputs make a 53-bit integer, scaled into [0, 1).
    const a = this.nextUint32() >>> 6;
    const b = this.nextUint32() >>> 5;
    return (a * 134217728 + b) * TWO_M53;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new EngineInputError('n', n, 'an integer from 1 to 2^32');
    }
    // Reject the top (2³² mod n) outputs so every residue is equally likely.
    const limit = TWO_32 - (TWO_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // Polar method: (u, v) uniform in the unit disc; then u·m and v·m are independent N(0, 1)
    // with m = √(−2 ln s / s), s = u² + v².
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * detLog(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }

  uniformArray(out: Float32Array, lo = 0, hi = 1): Float32Array {
    const width = hi - lo;
    for (let i = 0; i < out.length; i++) {
      out[i] = lo + width * ((this.nextUint32() >>> 8) * TWO_M24);
    }
    return out;
  }

  normalArray(out: Float32Array, mean = 0, std = 1): Float32Array {
    // Large arrays: the same deviates, perhaps remembered from an earlier draw (see the cache).
    const z =
      out.length >= CACHE_MIN && out.length <= CACHE_LIMIT
        ? cachedDeviates(this, out.length)
        : null;
    if (z) {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * z[i]!;
      return out;
    }
    // Long arrays go to the wasm port of this same algorithm (bit-identical, several times faster).
    const fill = out.length >= WASM_FILL_MIN ? wasmNormalFill() : null;
    if (fill) {
      fill(this as unknown as RngState, out, mean, std);
      return out;
    }
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  fork(stream: number): Rng {
    const [lo, hi] = seedWords('stream', stream);
    // Chain splitmix32 through the state words and the stream, then expand to a new state.
    let h = splitmix32(lo ^ splitmix32(hi));
    for (const word of [this.s0, this.s1, this.s2, this.s3]) h = splitmix32(h ^ word);
    return fromWords(h, splitmix32(h ^ 0x5bd1e995));
  }

  clone(): Rng {
    const copy = new Xoshiro128(this.s0, this.s1, this.s2, this.s3);
    copy.spare = this.spare;
    copy.hasSpare = this.hasSpare;
    return copy;
  }
}

/**
 * Expands two 32-bit words into a xoshiro128** state with two splitmix32 counter streams.
 * splitmix32 is a bijection, so distinct word pairs give distinct states, and s0 ≠ s1 means
 * the state is never all zeros (the one state xoshiro must avoid).
 */
function fromWords(lo: number, hi: number): Xoshiro128 {
  const g = 0x9e3779b9;
  const k = hi ^ 0x6a09e667; // separate the two streams even when lo = hi
  return new Xoshiro128(splitmix32(lo), splitmix32(lo + g), splitmix32(k), splitmix32(k + g));
}

/** Which generator {@link createRng} makes, and for `'torch'`, which PyTorch build it follows. */
export interface RngOptions extends TorchStreamOptions {
  /**
   * `'default'` (the default): Initbook's xoshiro128** stream. `'torch'`: PyTorch 1.13's CPU
   * generator after `torch.manual_seed(seed)`, drawing float32 tensors bit for bit as PyTorch
   * does (see `torch/torch-rng.ts`; only 32 bits of the seed matter there).
   */
  readonly stream?: 'default' | 'torch';
}

/**
 * Creates a seeded generator.
 *
 * @param seed - any safe integer (|seed| ≤ 2⁵³ − 1). Negative seeds are read as 64-bit two's
 *   complement; distinct seeds give distinct generator states. Non-integers, NaN and ±Infinity
 *   are rejected rather than silently rounded, so two different inputs never share a stream.
 * @param options - `{ stream: 'torch', normalKernel }` for PyTorch's stream (see {@link RngOptions})
 * @throws EngineInputError when `seed` is not a safe integer, or for unknown options
 */
export function createRng(seed: number, options?: RngOptions): Rng {
  const stream = options?.stream ?? 'default';
  if (stream === 'torch') return createTorchRng(seed, options);
  if (stream !== 'default') throw new EngineInputError('stream', stream, "'default' or 'torch'");
  if (options?.normalKernel !== undefined) {
    throw new EngineInputError(
      'normalKernel',
      options.normalKernel,
      "unset unless stream is 'torch'",
    );
  }
  const [lo, hi] = seedWords('seed', seed);
  return fromWords(lo, hi);
}

/** One remembered draw: the deviates, and the generator state after them. */
interface CachedDraw {
  readonly z: Float64Array;
  readonly after: RngState;
}

/**
 * The draw cache: standard normal deviates keyed by the generator state they were drawn from and
 * their number. A figure redrawn with the same seed and shapes but another scale (a gain, an
 * activation, a bias std) draws the same deviates again; remembering them makes that redraw skip
 * the sampling, which is most of its time. Values are unchanged: float32(mean + std·z) is what
 * sampling afresh gives, bit for bit, and the generator ends in the same state. Oldest entries go
 * first once more than {@link CACHE_LIMIT} deviates are kept.
 */
const drawCache = new Map<string, CachedDraw>();
let drawCacheSize = 0;
let drawCacheHits = 0;

function stateKey(g: RngState, n: number): string {
  return `${g.s0},${g.s1},${g.s2},${g.s3},${g.hasSpare ? g.spare : '-'},${n}`;
}

/** The next `n` deviates of `g` (moving `g` on), from the cache or drawn and remembered. */
function cachedDeviates(g: Xoshiro128, n: number): Float64Array {
  const state = g as unknown as RngState;
  const key = stateKey(state, n);
  const hit = drawCache.get(key);
  if (hit) {
    drawCacheHits++;
    drawCache.delete(key); // most recently used last
    drawCache.set(key, hit);
    Object.assign(state, hit.after);
    return hit.z;
  }
  const draw = wasmNormalDeviates();
  let z: Float64Array;
  if (draw) {
    z = draw(state, n);
  } else {
    z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = g.normal();
  }
  const { s0, s1, s2, s3, spare, hasSpare } = state;
  for (const [oldest, entry] of drawCache) {
    if (drawCacheSize + n <= CACHE_LIMIT) break;
    drawCache.delete(oldest);
    drawCacheSize -= entry.z.length;
  }
  drawCache.set(key, { z, after: { s0, s1, s2, s3, spare, hasSpare } });
  drawCacheSize += n;
  return z;
}

/** Empties the draw cache (tests; or to give its memory back). */
export function clearDrawCache(): void {
  drawCache.clear();
  drawCacheSize = 0;
  drawCacheHits = 0;
}

/** What the draw cache holds: draws, deviates (at most 2²²) and hits since it was last cleared. */
export function drawCacheStats(): { entries: number; deviates: number; hits: number } {
  return { entries: drawCache.size, deviates: drawCacheSize, hits: drawCacheHits };
}
