/**
 * PyTorch's modules as their constructors build them (`torchModule`), against torch 1.13
 * (tests/fixtures/torch/modules.json from scripts/fixtures/torch-modules.py, whose draw orders are
 * verified there by replaying each constructor's draws bit for bit): parameter names, shapes and
 * defaults in draw order, `named_parameters()` order, and counts.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EngineInputError,
  drawTorchModule,
  torchModule,
  type TorchModuleSpec,
  type TorchParameter,
} from '../../src/engine';

interface Drawn {
  readonly name: string;
  readonly init: string;
  readonly fan_in?: number;
  readonly bound?: number;
  readonly after?: string;
  readonly row?: number;
}
const fx = JSON.parse(fs.readFileSync('tests/fixtures/torch/modules.json', 'utf8')) as {
  replay_verified: boolean;
  cases: {
    spec: TorchModuleSpec;
    named: { name: string; shape: number[] }[];
    draw_order: Drawn[];
    first_bits: Record<string, number[]>;
    sha256: Record<string, string>;
    count: number;
  }[];
};

/** The fixture's wording of one of our parameters' initializers. */
function asDrawn(p: TorchParameter): Drawn {
  const i = p.init;
  const base =
    i.name === 'torch_default'
      ? {
          init: 'torch_default',
          ...(p.context?.fanIn === undefined ? {} : { fan_in: p.context.fanIn }),
        }
      : i.name === 'uniform'
        ? { init: 'uniform', bound: i.b! }
        : { init: i.name };
  const after =
    p.after === undefined
      ? {}
      : 'zeroRow' in p.after
        ? { after: 'zero_row', row: p.after.zeroRow }
        : { after: 'zero' };
  return { name: p.name, ...base, ...after };
}

describe('torchModule: PyTorch 1.13’s constructors', () => {
  it('the fixture’s draw orders were replayed against PyTorch bit for bit', () => {
    expect(fx.replay_verified).toBe(true);
    expect(fx.cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of fx.cases) {
    it(`${JSON.stringify(c.spec)}: draw order, defaults, names and shapes`, () => {
      const m = torchModule(c.spec);
      const drawn = m.parameters.map(asDrawn);
      expect(drawn.map((d) => d.name)).toEqual(c.draw_order.map((d) => d.name));
      drawn.forEach((d, i) => {
        const want = c.draw_order[i]!;
        expect(d.init).toBe(want.init);
        if (want.fan_in !== undefined) expect(d.fan_in).toBe(want.fan_in);
        if (want.bound !== undefined) expect(d.bound).toBeCloseTo(want.bound, 15);
        expect(d.after).toBe(want.after);
        if (want.row !== undefined) expect(d.row).toBe(want.row);
      });
      const shapes = new Map(m.parameters.map((p) => [p.name, [...p.shape]]));
      expect(m.named).toEqual(c.named.map((n) => n.name));
      for (const n of c.named) expect(shapes.get(n.name)).toEqual(n.shape);
      expect(m.count).toBe(c.count);
    });
  }

  it('torch.manual_seed(0); Module(…): every parameter, every value, bit for bit (AVX2 build)', () => {
    for (const c of fx.cases) {
      const drawn = drawTorchModule(c.spec, 0);
      for (const [name, bits] of Object.entries(c.first_bits)) {
        const got = Array.from(new Int32Array(drawn.get(name)!.slice(0, bits.length).buffer));
        expect(got, `${c.spec.module} ${name}`).toEqual(bits);
      }
      for (const [name, digest] of Object.entries(c.sha256)) {
        const t = drawn.get(name)!;
        const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
        expect(createHash('sha256').update(bytes).digest('hex'), `${c.spec.module} ${name}`).toBe(
          digest,
        );
      }
    }
  });

  it('a transposed conv’s fan_in is out/groups·∏k, PyTorch’s quirk', () => {
    const m = torchModule({ module: 'ConvTranspose2d', in: 16, out: 8, kernel: 4, groups: 2 });
    expect(m.parameters[0]!.shape).toEqual([16, 4, 4, 4]);
    expect(m.parameters[1]!.context).toEqual({ fanIn: 64 });
  });

  it('refuses bad modules with a clear message', () => {
    expect(() => torchModule({ module: 'Conv4d' } as never)).toThrow(EngineInputError);
    expect(() => torchModule({ module: 'Conv4d' } as never)).toThrow(
      /module must be one of 'Linear'/,
    );
    expect(() => torchModule({ module: 'MultiheadAttention', embed: 10, heads: 3 })).toThrow(
      /heads must be a divisor of embed = 10/,
    );
    expect(() => torchModule({ module: 'Linear', in: 0, out: 3 })).toThrow(/^in must be/);
  });
});
