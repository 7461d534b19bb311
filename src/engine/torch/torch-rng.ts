/**
 * The `torch` stream: an {@link Rng} that draws exactly what PyTorch 1.13's CPU generator draws
 * after `torch.manual_seed(seed)`, for float32 tensors. Create it with
 * `createRng(seed, { stream: 'torch' })`.
 *
 * | method | PyTorch |
 * | --- | --- |
 * | `nextUint32()` | `random()`, one MT19937 output |
 * | `uniform()` | one float64 `uniform_(0, 1)` element (53 bits of `random64()`) |
 * | `int(n)` | `torch.randint(0, n, ())`: `random() % n` (n < 2³²), low word of `random64()` (n = 2³²) |
 * | `normal()` | one float64 `normal_()` element of the scalar path (uses the cached deviate) |
 * | `uniformArray(out, lo, hi)` | `out.uniform_(lo, hi)` (float32) |
 * | `normalArray(out, mean, std)` | `out.normal_(mean, std)` (float32): scalar path below 16 values, the chosen kernel from 16 on |
 * | `fork(stream)` | no PyTorch equivalent: a new generator `torch.Generator().manual_seed(torchForkSeed(…))` |
 *
 * @module
 */
import type { Rng } from '../rng-interface';
import { EngineInputError } from '../validate';
import { type TorchGeneratorState, cloneTorchState, torchRandom32, torchSeed } from './mt19937';
import { torchNormalDouble, torchUniformDouble } from './normal';
import { normalFill16 } from './normal-fill';
import { type TorchCapability, torchUniformFill } from './uniform';

const TWO_32 = 2 ** 32;

/** Options of the `torch` stream. */
export interface TorchStreamOptions {
  /**
   * Which PyTorch CPU build to reproduce (default `'avx2'`, what x86 builds run on AVX2
   * machines): it selects the kernel of `normal_` on ≥ 16 values and `uniform_`'s rounding
   * (the AVX2 build fuses its multiply-add). `'default'` is the build without AVX2
   * (`ATEN_CPU_CAPABILITY=default`).
   */
  readonly normalKernel?: TorchCapability;
}

/** splitmix32-style 32-bit mixer (a bijection), used only by {@link torchForkSeed}. */
function mix32(x: number): number {
  let t = (x + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/**
 * The seed of the child generator that `fork(stream)` of a torch stream returns: a 32-bit hash
 * of the parent's seed (its low 32 bits, the only ones PyTorch uses), the number of 32-bit
 * outputs the parent has drawn since seeding, and the stream number. PyTorch has no fork; a
 * script reproduces one with `g = torch.Generator().manual_seed(torchForkSeed(seed, drawn,
 * stream))` and draws from `g`. The hash depends on the parent's position, so forks taken at
 * different points differ; the parent is not advanced.
 */
export function torchForkSeed(seed: number, drawn: number, stream: number): number {
  let h = mix32(seed >>> 0);
  h = mix32(h ^ (drawn >>> 0));
  h = mix32(h ^ (Math.floor(drawn / TWO_32) >>> 0));
  h = mix32(h ^ (stream >>> 0));
  return mix32(h ^ (Math.floor(stream / TWO_32) >>> 0));
}

/** Low 32 bits of a safe-integer seed, two's complement for negatives (as PyTorch's uint64). */
function low32(seed: number): number {
  return ((seed % TWO_32) + TWO_32) % TWO_32;
}

/** The torch stream: PyTorch's CPU generator state plus the build it reproduces. */
class TorchRng implements Rng {
  constructor(
    private readonly seed: number,
    private readonly state: TorchGeneratorState,
    private readonly kernel: TorchCapability,
  ) {}

  nextUint32(): number {
    return torchRandom32(this.state);
  }

  uniform(): number {
    return torchUniformDouble(this.state);
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new EngineInputError('n', n, 'an integer from 1 to 2^32');
    }
    if (n < TWO_32) return this.nextUint32() % n;
    this.nextUint32(); // random64() % 2³² keeps the second output
    return this.nextUint32();
  }

  normal(): number {
    return torchNormalDouble(this.state);
  }

  uniformArray(out: Float32Array, lo = 0, hi = 1): Float32Array {
    if (!(hi >= lo)) throw new EngineInputError('hi', hi, `a number ≥ lo (${lo})`);
    return torchUniformFill(this.state, out, lo, hi, this.kernel);
  }

  normalArray(out: Float32Array, mean = 0, std = 1): Float32Array {
    if (!(std >= 0)) throw new EngineInputError('std', std, 'a number ≥ 0');
    if (out.length < 16) {
      for (let i = 0; i < out.length; i++) out[i] = this.normal() * std + mean;
      return out;
    }
    return normalFill16(this.state, out, mean, std, this.kernel);
  }

  fork(stream: number): Rng {
    if (!Number.isSafeInteger(stream) || stream < 0) {
      throw new EngineInputError('stream', stream, 'a non-negative safe integer');
    }
    const child = torchForkSeed(this.seed, this.state.drawn, stream);
    return new TorchRng(child, torchSeed(child), this.kernel);
  }

  clone(): Rng {
    return new TorchRng(this.seed, cloneTorchState(this.state), this.kernel);
  }
}

/** Whether `rng` is a torch stream (made by {@link createTorchRng}). */
export function isTorchStream(rng: Rng): boolean {
  return rng instanceof TorchRng;
}

/**
 * `torch.randperm(n)` on the CPU (1.13's `randperm_cpu`, for n below 2³²/20): start from the
 * identity and, for i = 0 … n − 2, swap entry i with entry i + (random() mod (n − i)). On a
 * torch stream `rng.int(k)` is exactly `random() mod k`.
 */
export function torchRandperm(rng: Rng, n: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = i + rng.int(n - i);
    const saved = perm[i] as number;
    perm[i] = perm[z] as number;
    perm[z] = saved;
  }
  return perm;
}

/**
 * A torch stream seeded as `torch.manual_seed(seed)`: any safe integer, negative ones read as
 * 64-bit two's complement (PyTorch: −1 ≡ 2⁶⁴ − 1); only the low 32 bits reach the twister.
 *
 * @throws EngineInputError for a non-integer seed or an unknown kernel
 */
export function createTorchRng(seed: number, options: TorchStreamOptions = {}): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new EngineInputError('seed', seed, 'a safe integer (|seed| ≤ 2^53 − 1)');
  }
  const kernel = options.normalKernel ?? 'avx2';
  if (kernel !== 'avx2' && kernel !== 'default') {
    throw new EngineInputError('normalKernel', kernel, "'avx2' or 'default'");
  }
  const s = low32(seed);
  return new TorchRng(s, torchSeed(s), kernel);
}
