/**
 * The torch stream's Rng interface: options, fork, clone, int, the ≥ 16 normal_ hook, and the
 * default (non-AVX2) normal_fill kernel against PyTorch 1.13.1 run with
 * ATEN_CPU_CAPABILITY=default, bit for bit, with the glibc float functions it calls
 * (fixtures from scripts/fixtures/torch-rng.py; glibc 2.36 of Debian 12).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/rng';
import { torchForkSeed } from '../../src/engine/torch/torch-rng';
import { torchCosf, torchLogf, torchSinf } from '../../src/engine/torch/glibc-float';
import { type BitsCase, bitMismatches, opArgs, torchFixture } from './helpers/torch-fixtures';

describe('torch stream: the Rng interface', () => {
  it('the default stream is unchanged when no options (or stream: default) are given', () => {
    const a = createRng(5);
    const b = createRng(5, { stream: 'default' });
    for (let i = 0; i < 10; i++) expect(a.nextUint32()).toBe(b.nextUint32());
    expect(() => createRng(5, { normalKernel: 'default' })).toThrow(/normalKernel/);
    expect(() => createRng(5, { stream: 'numpy' as 'torch' })).toThrow(/stream/);
    expect(() => createRng(5, { stream: 'torch', normalKernel: 'sse' as 'avx2' })).toThrow(
      /normalKernel/,
    );
    expect(() => createRng(0.5, { stream: 'torch' })).toThrow(/seed/);
  });

  it('int(n) is torch.randint(0, n): random() mod n', () => {
    const a = createRng(3, { stream: 'torch' });
    const b = createRng(3, { stream: 'torch' });
    for (const n of [1, 2, 7, 1000, 2 ** 31, 2 ** 32 - 1])
      expect(a.int(n)).toBe(b.nextUint32() % n);
    b.nextUint32();
    expect(a.int(2 ** 32)).toBe(b.nextUint32()); // random64() mod 2³²: the second output
    expect(() => a.int(0)).toThrow(/n must be/);
  });

  it('clone continues identically, cached normal included', () => {
    const a = createRng(11, { stream: 'torch' });
    a.normal(); // leaves the twin deviate cached
    const b = a.clone();
    expect(b.normal()).toBe(a.normal());
    expect(b.uniformArray(new Float32Array(20))).toEqual(a.uniformArray(new Float32Array(20)));
  });

  it('fork(stream) = torch.Generator().manual_seed(torchForkSeed(seed, drawn, stream)), parent untouched', () => {
    const parent = createRng(42, { stream: 'torch' });
    parent.uniformArray(new Float32Array(10)); // 10 outputs drawn
    const child = parent.fork(2);
    const direct = createRng(torchForkSeed(42, 10, 2), { stream: 'torch' });
    expect(child.nextUint32()).toBe(direct.nextUint32());
    const fresh = createRng(42, { stream: 'torch' });
    fresh.uniformArray(new Float32Array(10));
    expect(parent.nextUint32()).toBe(fresh.nextUint32()); // fork did not advance the parent
    expect(torchForkSeed(42, 10, 2)).not.toBe(torchForkSeed(42, 10, 3));
    expect(torchForkSeed(42, 10, 2)).not.toBe(torchForkSeed(42, 11, 2));
    expect(() => parent.fork(-1)).toThrow(/stream/);
  });

  it('normal_ on ≥ 16 values: the AVX2 kernel by default, the default kernel on request, and they differ', () => {
    const avx2 = createRng(0, { stream: 'torch' }).normalArray(new Float32Array(32));
    const plain = createRng(0, { stream: 'torch', normalKernel: 'default' }).normalArray(
      new Float32Array(32),
    );
    expect(avx2).toHaveLength(32);
    expect(Array.from(avx2)).not.toEqual(Array.from(plain));
  });
});

describe('torch stream: the default (non-AVX2) normal_fill kernel, bit for bit', () => {
  const { cases } = torchFixture<{ cases: BitsCase[] }>('rng-normal-default.json');
  it.each(cases.map((c) => [c.op, c.n, c.seed, c] as const))(
    '%s on %i values, seed %s',
    (op, n, _, c) => {
      const rng = createRng(c.seed, { stream: 'torch', normalKernel: 'default' });
      const [mean, std] = opArgs(op, [0, 1]);
      expect(bitMismatches(rng.normalArray(new Float32Array(n), mean, std), c.bits)).toEqual([]);
    },
  );
});

describe("glibc's logf, sinf, cosf as normal_fill calls them", () => {
  const libm = torchFixture<{
    log: number[][];
    sin: number[][];
    cos: number[][];
    exhaustive: { logf: number; sinf: number; cosf: number };
  }>('libm.json');
  for (const [name, fn] of [
    ['log', torchLogf],
    ['sin', torchSinf],
    ['cos', torchCosf],
  ] as const) {
    it(`${name}f on ${libm[name].length} float32 inputs equals glibc bit for bit`, () => {
      const x = new Float32Array(new Uint32Array(libm[name].map((p) => p[0]!)).buffer);
      const got = Float32Array.from(x, (v) => fn(v));
      expect(
        bitMismatches(
          got,
          libm[name].map((p) => p[1]!),
        ),
      ).toEqual([]);
    });
  }

  // Every argument normal_fill can pass: u1 = 1 − k·2⁻²⁴ and θ = float(2π·k·2⁻²⁴), k < 2²⁴.
  // Checksums of glibc's results (scripts/fixtures/glibc-float-exhaustive.c) and of ours agree,
  // so the default kernel's transcendental calls are exact on its whole input set (~1 s).
  it('logf, sinf, cosf on all 2^24 arguments of normal_fill: checksums equal glibc', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    const bits = (x: number): number => {
      f[0] = x;
      return u[0]!;
    };
    let hl = 2166136261;
    let hs = 2166136261;
    let hc = 2166136261;
    for (let k = 0; k < 2 ** 24; k++) {
      const d = k * 2 ** -24;
      const theta = Math.fround(2 * Math.PI * d);
      hl = Math.imul(hl ^ bits(torchLogf(Math.fround(1 - d))), 16777619) >>> 0;
      hs = Math.imul(hs ^ bits(torchSinf(theta)), 16777619) >>> 0;
      hc = Math.imul(hc ^ bits(torchCosf(theta)), 16777619) >>> 0;
    }
    expect({ logf: hl, sinf: hs, cosf: hc }).toEqual(libm.exhaustive);
  }, 30_000);
});
