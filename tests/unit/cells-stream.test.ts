/**
 * The cells' random stream (src/cells/scope.ts): PyTorch's unless the code chooses. A cell's
 * `createRng(0).uniformArray` is `torch.manual_seed(0); torch.rand(n)` bit for bit (fixture of
 * PyTorch 1.13, tests/fixtures/torch/rng-uniform.json), `propagate` draws what the engine's torch
 * stream draws, and `{ stream: 'initbook' }` still gives the engine's own generator.
 */
import { describe, expect, it } from 'vitest';
import { createNodeRealm } from '../../src/cells/node-realm';
import { CELL_BUILTINS } from '../../src/cells/scope';
import { Session } from '../../src/cells/session';
import { createRng, propagate, train } from '../../src/engine/index';
import { type BitsCase, bitMismatches, torchFixture } from './helpers/torch-fixtures';

/** Runs one cell and returns its value (the realm's completion value, not the formatted output). */
function cellValue(source: string): unknown {
  const node = createNodeRealm(10_000);
  let last: unknown;
  const realm = {
    global: node.global,
    evaluate: (program: string) => (last = node.evaluate(program)),
  };
  const result = new Session(realm, CELL_BUILTINS).run(0, source);
  if (result.error) throw new Error(result.error.message);
  return last;
}

const bitsOf = (x: Float32Array): number[] => [...new Uint32Array(x.buffer)];

describe("cells draw from PyTorch's stream by default", () => {
  const { cases } = torchFixture<{ cases: BitsCase[] }>('rng-uniform.json');
  const rand1000 = cases.find((c) => c.seed === 0 && c.op === 'rand' && c.n === 1000)!;

  it('createRng(0).uniformArray is torch.manual_seed(0); torch.rand(1000), bit for bit', () => {
    const value = cellValue('createRng(0).uniformArray(new Float32Array(1000))');
    expect(bitMismatches(value as Float32Array, rand1000.bits)).toEqual([]);
  });

  it("createRng(0, { stream: 'initbook' }) is the engine's own generator (and so is 'default')", () => {
    const own = bitsOf(createRng(0).uniformArray(new Float32Array(1000)));
    for (const stream of ['initbook', 'default']) {
      const value = cellValue(
        `createRng(0, { stream: '${stream}' }).uniformArray(new Float32Array(1000))`,
      );
      expect(bitsOf(value as Float32Array)).toEqual(own);
    }
    expect(own).not.toEqual(rand1000.bits);
  });

  it("normalKernel alone keeps the torch stream: 'default' is the build without AVX2", () => {
    const code = (kernel: string) =>
      `createRng(5, { normalKernel: '${kernel}' }).normalArray(new Float32Array(64))`;
    const torch = (kernel: 'avx2' | 'default') =>
      bitsOf(
        createRng(5, { stream: 'torch', normalKernel: kernel }).normalArray(new Float32Array(64)),
      );
    expect(bitsOf(cellValue(code('default')) as Float32Array)).toEqual(torch('default'));
    expect(bitsOf(cellValue(code('avx2')) as Float32Array)).toEqual(torch('avx2'));
    expect(torch('default')).not.toEqual(torch('avx2'));
  });

  it("propagate without a stream is propagate on the torch stream; 'initbook' is the engine's", () => {
    const config = {
      depth: 2,
      width: 32,
      batch: 16,
      activation: 'tanh',
      seed: 3,
      weightInit: { name: 'xavier_normal' },
    } as const;
    const shown = (stream: string) =>
      cellValue(`propagate({ ...${JSON.stringify(config)}${stream} }).layers[1].post.meanSquare`);
    const torch = propagate({ ...config, stream: 'torch' }).layers[1]!.post.meanSquare;
    const own = propagate(config).layers[1]!.post.meanSquare;
    expect(torch).not.toBe(own);
    expect(shown('')).toBe(torch);
    expect(shown(", stream: 'initbook'")).toBe(own);
  });

  it('propagateNetwork without a stream draws from the torch stream too', () => {
    const net =
      "mlp({ depth: 2, width: 16, batch: 8, activation: 'relu', seed: 2, weightInit: { name: 'torch_default' } })";
    const run = (stream: string) =>
      cellValue(`propagateNetwork({ ...${net}${stream} }).layers.at(-1).output.meanSquare`);
    expect(run('')).toBe(run(", stream: 'torch'"));
    expect(run('')).not.toBe(run(", stream: 'initbook'"));
  });

  it('train without a stream trains on the torch stream too', () => {
    const config = {
      task: { name: 'spirals', samples: 32 },
      depth: 2,
      width: 8,
      activation: 'relu',
      weightInit: { name: 'kaiming_normal' },
      optimizer: { name: 'sgd', lr: 0.05 },
      batch: 16,
      steps: 3,
      seed: 1,
    } as const;
    const loss = (stream: string) =>
      cellValue(`train({ ...${JSON.stringify(config)}${stream} }).records.at(-1).loss`);
    const torch = train({ ...config, stream: 'torch' }).records.at(-1)!.loss;
    expect(loss('')).toBe(torch);
    expect(loss(", stream: 'initbook'")).toBe(train(config).records.at(-1)!.loss);
    expect(train(config).records.at(-1)!.loss).not.toBe(torch);
  });
});
