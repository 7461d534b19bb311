/**
 * initTensor on the torch stream against torch.nn.init after torch.manual_seed (PyTorch 1.13.1,
 * CPU, AVX2 build; fixtures from scripts/fixtures/torch-rng.py), bit for bit: uniform-based
 * inits on every shape, normal-based ones below 16 values (the scalar path) and from 16 values up
 * (the AVX2 normal_ kernel).
 */
import { describe, expect, it } from 'vitest';
import { initTensor } from '../../src/engine/init';
import type { InitSpec } from '../../src/engine/init-spec';
import { createRng } from '../../src/engine/rng';
import { torchRandperm } from '../../src/engine/torch/torch-rng';
import { bitMismatches, torchFixture } from './helpers/torch-fixtures';

interface InitCase {
  seed: number;
  shape: number[];
  op: string;
  bits: number[];
}

interface LinearCase {
  seed: number;
  in: number;
  out: number;
  weight: number[];
  bias: number[];
}

/** The InitSpec of each PyTorch call in the fixture, and whether it draws normals. */
const SPECS: Record<string, InitSpec> = {
  kaiming_uniform_: { name: 'kaiming_uniform' },
  'kaiming_uniform_(a=sqrt5)': { name: 'kaiming_uniform', a: Math.sqrt(5) },
  'kaiming_uniform_(relu,fan_out)': {
    name: 'kaiming_uniform',
    mode: 'fan_out',
    nonlinearity: 'relu',
  },
  xavier_uniform_: { name: 'xavier_uniform' },
  'xavier_uniform_(tanh)': { name: 'xavier_uniform', gain: 5 / 3 },
  xavier_normal_: { name: 'xavier_normal' },
  'kaiming_normal_(relu,fan_out)': {
    name: 'kaiming_normal',
    mode: 'fan_out',
    nonlinearity: 'relu',
  },
  'uniform_(-0.1,0.2)': { name: 'uniform', a: -0.1, b: 0.2 },
  'normal_(0.1,0.02)': { name: 'normal', mean: 0.1, std: 0.02 },
};

describe('initTensor on the torch stream = torch.nn.init after torch.manual_seed', () => {
  const cases = [
    ...torchFixture<{ cases: InitCase[] }>('rng-init.json').cases,
    ...torchFixture<{ cases: InitCase[] }>('rng-init-large.json').cases,
  ];
  for (const c of cases) {
    const spec = SPECS[c.op];
    if (!spec) throw new Error(`no spec for ${c.op}`);
    const label = `${c.op} on [${c.shape.join(', ')}], seed ${c.seed}`;
    it(label, () => {
      const rng = createRng(c.seed, { stream: 'torch' });
      expect(bitMismatches(initTensor(c.shape, spec, rng), c.bits)).toEqual([]);
    });
  }

  const { linear } = torchFixture<{ linear: LinearCase[] }>('rng-init.json');
  it.each(linear.map((c) => [c.in, c.out, c.seed, c] as const))(
    'nn.Linear(%i, %i) weight then bias, seed %s (torch_default)',
    (fanIn, fanOut, _, c) => {
      const rng = createRng(c.seed, { stream: 'torch' });
      const w = initTensor([fanOut, fanIn], { name: 'torch_default' }, rng);
      const b = initTensor([fanOut], { name: 'torch_default' }, rng, { fanIn });
      expect(bitMismatches(w, c.weight)).toEqual([]);
      expect(bitMismatches(b, c.bias)).toEqual([]);
    },
  );
});

describe('torch stream: randperm, sparse_ and orthogonal_', () => {
  interface Extra {
    randperm: { seed: number; sizes: number[]; perms: number[][] }[];
    sparse: { seed: number; shape: number[]; sparsity: number; std: number; bits: number[] }[];
    orthogonal: { seed: number; shape: number[]; gain: number; bits: number[] }[];
  }
  const extra = torchFixture<Extra>('rng-init.json');

  it.each(extra.randperm.map((c) => [c.seed, c] as const))(
    'seed %s: torch.randperm(1), (2), (5), (10), (100) in a row',
    (_, c) => {
      const rng = createRng(c.seed, { stream: 'torch' });
      expect(c.sizes.map((n) => Array.from(torchRandperm(rng, n)))).toEqual(c.perms);
    },
  );

  it.each(extra.sparse.map((c) => [c.shape.join('×'), c.sparsity, c.seed, c] as const))(
    'sparse_ on %s, sparsity %s, seed %s: bit-exact',
    (_, sparsity, __, c) => {
      const rng = createRng(c.seed, { stream: 'torch' });
      const got = initTensor(c.shape, { name: 'sparse', sparsity, std: c.std }, rng);
      expect(bitMismatches(got, c.bits)).toEqual([]);
    },
  );

  // PyTorch's QR runs in float32 LAPACK, ours in double on the same float32 Gaussian draws:
  // equal within float32 rounding of a small QR: |Δ| < 5e-7, four float32 steps at the scale
  // of gain = 1.5 (measured: at most 3.2e-7, 2.4e-7 on most).
  it.each(extra.orthogonal.map((c) => [c.shape.join('×'), c.seed, c] as const))(
    'orthogonal_ on %s, seed %s: same draws, equal within float32 rounding (5e-7)',
    (_, __, c) => {
      const rng = createRng(c.seed, { stream: 'torch' });
      const got = initTensor(c.shape, { name: 'orthogonal', gain: c.gain }, rng);
      const want = new Float32Array(new Uint32Array(c.bits).buffer);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(5e-7);
    },
  );

  // trunc_normal_ on the torch stream (within float32 rounding): engine-torch-trunc.test.ts.
});

describe("torch stream, PyTorch's default (non-AVX2) build: normal-based inits on ≥ 16 values", () => {
  interface DefaultFixture {
    cases: InitCase[];
    sparse: { seed: number; shape: number[]; sparsity: number; std: number; bits: number[] }[];
    orthogonal: { seed: number; shape: number[]; gain: number; bits: number[] }[];
  }
  // Written under ATEN_CPU_CAPABILITY=default, so normal_ ran normal_fill and uniform_ rounded
  // without a fused multiply-add.
  const fx = torchFixture<DefaultFixture>('rng-init-default.json');
  const torchDefault = (seed: number) =>
    createRng(seed, { stream: 'torch', normalKernel: 'default' });

  it.each(fx.cases.map((c) => [c.op, c.shape.join('×'), c.seed, c] as const))(
    '%s on %s, seed %s: bit-exact',
    (op, _, __, c) => {
      const spec = SPECS[op];
      expect(spec).toBeDefined();
      expect(bitMismatches(initTensor(c.shape, spec!, torchDefault(c.seed)), c.bits)).toEqual([]);
    },
  );

  it.each(fx.sparse.map((c) => [c.shape.join('×'), c.seed, c] as const))(
    'sparse_ on %s, seed %s: bit-exact',
    (_, __, c) => {
      const spec: InitSpec = { name: 'sparse', sparsity: c.sparsity, std: c.std };
      expect(bitMismatches(initTensor(c.shape, spec, torchDefault(c.seed)), c.bits)).toEqual([]);
    },
  );

  // Same float32 Gaussian draws; QR in double here, float32 LAPACK in PyTorch (|Δ| < 5e-7).
  it.each(fx.orthogonal.map((c) => [c.shape.join('×'), c.seed, c] as const))(
    'orthogonal_ on %s, seed %s: within float32 rounding (5e-7)',
    (_, __, c) => {
      const got = initTensor(c.shape, { name: 'orthogonal', gain: c.gain }, torchDefault(c.seed));
      const want = new Float32Array(new Uint32Array(c.bits).buffer);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst).toBeLessThan(5e-7);
    },
  );
});
