/** Loading the PyTorch random-stream fixtures (scripts/fixtures/torch-rng.py) and comparing bits. */
import { readFileSync } from 'node:fs';

/** One fixture file of tests/fixtures/torch/, parsed. */
export const torchFixture = <T>(name: string): T =>
  JSON.parse(readFileSync(`tests/fixtures/torch/${name}`, 'utf8')) as T;

/** The uint32 bit patterns of float32 values. */
export const bitsOf = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Indices where `got`'s bits differ from `want` (empty when bit-identical). */
export function bitMismatches(got: Float32Array, want: readonly number[]): number[] {
  const bits = bitsOf(got);
  const bad: number[] = [];
  if (bits.length !== want.length) return [-1];
  for (let i = 0; i < want.length; i++) if (bits[i] !== want[i]) bad.push(i);
  return bad;
}

/** The two numbers of an op label such as `uniform_(-0.3,0.3)`, or the defaults. */
export function opArgs(op: string, defaults: [number, number]): [number, number] {
  const m = /\(([-\d.e]+),([-\d.e]+)\)/.exec(op);
  return m ? [Number(m[1]), Number(m[2])] : defaults;
}

/** A case of values drawn after torch.manual_seed(seed). */
export interface BitsCase {
  seed: number;
  n: number;
  op: string;
  bits: number[];
}
