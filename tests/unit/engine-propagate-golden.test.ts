/**
 * `propagate`'s results, bit for bit, against hashes written by the implementation before the
 * engine-v2 core (commit 55e14ee): 128 configurations (four activations, both summary levels,
 * forward and backward, three losses, plain and residual stacks with one- and two-layer
 * branches and zero-initialized branch ends), whole batches, parts of a split batch and their
 * merge. Any change of any number (even the sign of a zero) changes a hash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kernelBackend } from '../../src/engine/backend';
import {
  mergePropagateParts,
  propagate,
  propagatePart,
  type PropagateConfig,
} from '../../src/engine/propagate';

const golden = JSON.parse(
  fs.readFileSync('tests/fixtures/propagate/golden-hashes.json', 'utf8'),
) as Record<'ts' | 'wasm', { out: string[]; parts: string[]; merged: string[] }>;

function cases(): PropagateConfig[] {
  const out: PropagateConfig[] = [];
  for (const activation of ['tanh', 'relu', 'gelu', 'sigmoid'])
    for (const summaries of ['full', 'moments'] as const)
      for (const backward of [false, true])
        for (const loss of ['sum', 'mse', 'readout'] as const)
          for (const residual of [
            undefined,
            { alpha: 0.7 },
            { alpha: 1, branch: 2 as const },
            { alpha: 0.5, branch: 2 as const, zeroInitLast: true },
          ]) {
            if (!backward && loss !== 'sum') continue;
            out.push({
              depth: 7,
              width: [24, 24, 16, 24, 24, 24, 8],
              batch: 12,
              activation,
              weightInit: { name: 'kaiming_normal' },
              biasInit: { name: 'normal', std: 0.1 },
              seed: 11,
              backward,
              loss,
              summaries,
              ...(residual ? { residual } : {}),
            });
          }
  return out;
}

/** SHA-256 of a result with every number exact (−0, NaN and ±∞ spelled out; typed arrays listed). */
const hash = (v: unknown): string =>
  createHash('sha256')
    .update(
      JSON.stringify(v, (_k, x: unknown) =>
        typeof x === 'number'
          ? Object.is(x, -0)
            ? '-0'
            : Number.isNaN(x)
              ? 'NaN'
              : x === Infinity
                ? 'Inf'
                : x
          : x instanceof Float32Array
            ? Array.from(x)
            : x,
      ),
    )
    .digest('hex');

describe('propagate is unchanged bit for bit', () => {
  const g = golden[kernelBackend() === 'ts' ? 'ts' : 'wasm'];
  const all = cases();
  const moments = all.filter((c) => c.summaries === 'moments');

  it('whole batches: 128 configurations', () => {
    expect(all.map((c) => hash(propagate(c)))).toEqual(g.out);
  });

  it('parts of a split batch, and their merge', () => {
    const parts = moments.map((c) => [0, 1, 2].map((i) => propagatePart(c, { index: i, of: 3 })));
    expect(parts.map(hash)).toEqual(g.parts);
    expect(moments.map((c, i) => hash(mergePropagateParts(c, parts[i]!)))).toEqual(g.merged);
  });

  it('the hash sees a one-ulp change', () => {
    const r = propagate(all[0]!);
    const nudged = { ...r, input: { ...r.input, mean: r.input.mean * (1 + Number.EPSILON) } };
    expect(hash(nudged)).not.toBe(hash(r));
  });
});
