/**
 * Reads the fixtures of scripts/fixtures/torch-normal.py: for each seed and size, the uniforms
 * PyTorch's float32 `normal_` kernel starts from and, for each (mean, std), the float32 bits it
 * wrote. Uniforms are stored as 24-bit integers `k` (u = k·2⁻²⁴ exactly), outputs as uint32 bits,
 * both little-endian and base64-encoded.
 */
import fs from 'node:fs';

/** One (seed, size) of a fixture with its decoded uniforms and expected outputs. */
export interface NormalCase {
  seed: number;
  n: number;
  uniforms: Float32Array;
  outputs: { mean: number; std: number; bits: Uint32Array }[];
}

interface RawCase {
  seed: number;
  n: number;
  uniforms24: string;
  outputs: { mean: number; std: number; bits: string }[];
}

function decodeU24(b64: string): Float32Array {
  const raw = Buffer.from(b64, 'base64');
  const out = new Float32Array(raw.length / 3);
  for (let i = 0; i < out.length; i++) {
    const k = (raw[3 * i] ?? 0) | ((raw[3 * i + 1] ?? 0) << 8) | ((raw[3 * i + 2] ?? 0) << 16);
    out[i] = k * 2 ** -24;
  }
  return out;
}

function decodeU32(b64: string): Uint32Array {
  const raw = Buffer.from(b64, 'base64');
  const out = new Uint32Array(raw.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = raw.readUInt32LE(4 * i);
  return out;
}

/** Loads `tests/fixtures/torch/<name>` and decodes every case. */
export function loadNormalFixture(name: string): { capability: string; cases: NormalCase[] } {
  const fx = JSON.parse(fs.readFileSync(`tests/fixtures/torch/${name}`, 'utf8')) as {
    capability: string;
    cases: RawCase[];
  };
  return {
    capability: fx.capability,
    cases: fx.cases.map((c) => ({
      seed: c.seed,
      n: c.n,
      uniforms: decodeU24(c.uniforms24),
      outputs: c.outputs.map((o) => ({ mean: o.mean, std: o.std, bits: decodeU32(o.bits) })),
    })),
  };
}

/** Indices where the float32 bits of `got` differ from `want`. */
export function mismatches(got: Float32Array, want: Uint32Array): number[] {
  const bits = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const bad: number[] = [];
  for (let i = 0; i < want.length; i++) if (bits[i] !== want[i]) bad.push(i);
  if (got.length !== want.length) bad.push(-1);
  return bad;
}
