import { describe, expect, it } from 'vitest';
import { nextTokenTask } from '../../src/engine/tasks/next-token';

describe('nextTokenTask: a seeded first-order Markov chain', () => {
  const o = { vocab: 12, seq: 10, samples: 400, seed: 7 };

  it('is pure and seeded', () => {
    expect(nextTokenTask(o)).toEqual(nextTokenTask(o));
    expect(nextTokenTask({ ...o, seed: 8 }).inputs).not.toEqual(nextTokenTask(o).inputs);
  });

  it('targets are the next inputs, and every transition follows the table', () => {
    const t = nextTokenTask(o);
    expect(t.inputs.length).toBe(o.samples * o.seq);
    for (let s = 0; s < o.samples; s++) {
      for (let i = 0; i < o.seq; i++) {
        const at = s * o.seq + i;
        if (i + 1 < o.seq) expect(t.targets[at]).toBe(t.inputs[at + 1]);
        const v = t.inputs[at]!;
        expect([t.successors[2 * v], t.successors[2 * v + 1]]).toContain(t.targets[at]);
      }
    }
    // Each row holds distinct successors.
    for (let v = 0; v < o.vocab; v++) expect(t.successors[2 * v]).not.toBe(t.successors[2 * v + 1]);
  });

  it('the table does not depend on samples or seq; losses are ln(branching) and ln(vocab)', () => {
    const a = nextTokenTask(o);
    const b = nextTokenTask({ ...o, samples: 3, seq: 2 });
    expect(b.successors).toEqual(a.successors);
    const c = nextTokenTask({ ...o, branching: 3 });
    expect(c.optimalLoss).toBeCloseTo(Math.log(3), 14);
    expect(c.uniformLoss).toBeCloseTo(Math.log(12), 14);
    // The empirical conditional entropy of the targets is near ln 3 (4 000 transitions).
    const counts = new Map<string, number>();
    const per = new Map<number, number>();
    for (let i = 0; i < c.inputs.length; i++) {
      const key = `${c.inputs[i]}>${c.targets[i]}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      per.set(c.inputs[i]!, (per.get(c.inputs[i]!) ?? 0) + 1);
    }
    let h = 0;
    for (const [key, n] of counts) {
      const from = Number(key.split('>')[0]);
      h -= (n / c.inputs.length) * Math.log(n / per.get(from)!);
    }
    expect(Math.abs(h - Math.log(3))).toBeLessThan(0.02);
  });

  it('rejects bad options by name', () => {
    expect(() => nextTokenTask({ ...o, branching: 13 })).toThrow(
      /branching must be an integer from 1 to 12/,
    );
    expect(() => nextTokenTask({ ...o, vocab: 0 })).toThrow(/vocab/);
  });
});
