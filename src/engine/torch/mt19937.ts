/**
 * PyTorch's CPU random generator: the 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura,
 * "Mersenne Twister: a 623-dimensionally equidistributed uniform pseudo-random number generator",
 * ACM TOMACS 8(1), 1998) as `at::mt19937` seeds it and `CPUGeneratorImpl` draws from it.
 *
 * - `torch.manual_seed(seed)` keeps the seed as an unsigned 64-bit integer, but the twister is
 *   initialised from its low 32 bits only (`init_with_uint32`), so seeds `s` and `s + 2³²` give
 *   the same stream (checked by the fixtures for 2³² + 7 and 7).
 * - `random()` is one tempered 32-bit output; `random64()` is `(first << 32) | second` of two
 *   consecutive outputs (`detail::make64BitsFrom32Bits`).
 * - The generator also holds the cached second Box–Muller deviate of its scalar
 *   `normal_distribution<double>` (`next_double_normal_sample`), cleared by `manual_seed`.
 *
 * @module
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

/** The full state of PyTorch's CPU generator: twister words, position, cached normal. */
export interface TorchGeneratorState {
  /** The 624 twister words. */
  readonly words: Uint32Array;
  /** Index of the next word to temper (624: twist first). */
  index: number;
  /** The cached second deviate of the scalar Box–Muller (`next_double_normal_sample`), or null. */
  nextDoubleNormal: number | null;
  /** 32-bit outputs drawn since seeding (not PyTorch state: Initbook's fork uses it). */
  drawn: number;
}

/**
 * Seeds a generator as `torch.manual_seed(seed)` does: MT19937's `init_genrand` recurrence
 * word[j] = 1812433253·(word[j−1] ⊕ (word[j−1] ≫ 30)) + j (mod 2³²) from the seed's low 32 bits.
 *
 * @param seed - a non-negative safe integer (PyTorch's seed is an unsigned 64-bit integer)
 */
export function torchSeed(seed: number): TorchGeneratorState {
  const words = new Uint32Array(N);
  // Low 32 bits of the (possibly > 2³²) seed, exactly: seed mod 2³².
  words[0] = seed % 2 ** 32;
  for (let j = 1; j < N; j++) {
    const prev = words[j - 1] as number;
    words[j] = Math.imul(1812433253, prev ^ (prev >>> 30)) + j;
  }
  return { words, index: N, nextDoubleNormal: null, drawn: 0 };
}

/** Regenerates all 624 words (the twist). */
function twist(words: Uint32Array): void {
  for (let k = 0; k < N; k++) {
    const y = ((words[k] as number) & UPPER) | ((words[(k + 1) % N] as number) & LOWER);
    words[k] = (words[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
}

/** PyTorch's `random()`: the next tempered 32-bit output, an integer in [0, 2³²). */
export function torchRandom32(g: TorchGeneratorState): number {
  if (g.index >= N) {
    twist(g.words);
    g.index = 0;
  }
  g.drawn++;
  let y = g.words[g.index++] as number;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}

/**
 * PyTorch's `random64()` reduced to what its users keep: the low 53 bits of
 * `(first << 32) | second`, i.e. (first mod 2²¹)·2³² + second, as an exact double.
 * (`uniform_real_distribution<double>` masks random64 to 53 bits.)
 */
export function torchRandom53(g: TorchGeneratorState): number {
  const hi = torchRandom32(g);
  const lo = torchRandom32(g);
  return (hi & 0x1fffff) * 2 ** 32 + lo;
}

/** A deep copy of a generator state. */
export function cloneTorchState(g: TorchGeneratorState): TorchGeneratorState {
  return {
    words: g.words.slice(),
    index: g.index,
    nextDoubleNormal: g.nextDoubleNormal,
    drawn: g.drawn,
  };
}
