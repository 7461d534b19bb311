import { describe, expect, it } from 'vitest';
import { referenceQStar } from '../../src/cells/exercises/q-star';
import { createNodeRealm } from '../../src/cells/node-realm';
import { CELL_BUILTINS } from '../../src/cells/scope';
import { Session } from '../../src/cells/session';

/** Runs an answer as a reader would: a cell carrying the exercise, evaluated in a session. */
function check(source: string, exercise: string) {
  const result = new Session(createNodeRealm(20_000), CELL_BUILTINS).run(0, source, exercise);
  if (!result.checks) throw new Error(`no checks: ${JSON.stringify(result.error)}`);
  return result.checks;
}
const failed = (checks: ReturnType<typeof check>) => checks.filter((c) => !c.pass);
const firstMessage = (checks: ReturnType<typeof check>) => failed(checks)[0]?.message ?? '';

describe('exercise kaiming-normal', () => {
  const answer = (std: string, draw = 'rng.normalArray(w, 0, std)') => `
    function kaimingNormal(shape: number[], mode: 'fan_in' | 'fan_out', rng: Rng): Float32Array {
      const area = shape.slice(2).reduce((a, b) => a * b, 1);
      const fanIn = shape[1] * area;
      const fanOut = shape[0] * area;
      const fan = mode === 'fan_in' ? fanIn : fanOut;
      const std = ${std};
      const w = new Float32Array(shape.reduce((a, b) => a * b, 1));
      ${draw};
      return w;
    }`;
  const run = (source: string) => check(source, 'kaiming-normal');

  it('passes the right answer on every check', () => {
    const checks = run(answer('Math.sqrt(2 / fan)'));
    expect(failed(checks)).toEqual([]);
    expect(checks).toHaveLength(4);
  });

  it('names the missing gain, the variance for the std, and the other fan', () => {
    expect(firstMessage(run(answer('1 / Math.sqrt(fan)')))).toMatch(/ReLU gain √2 is missing/);
    expect(firstMessage(run(answer('2 / fan')))).toMatch(/the variance: take its square root/);
    expect(
      firstMessage(run(answer("Math.sqrt(2 / (mode === 'fan_in' ? fanOut : fanIn))"))),
    ).toMatch(/the other fan/);
  });

  it('names a conv fan without the kernel area', () => {
    const source = answer('Math.sqrt(2 / (mode === "fan_in" ? shape[1] : shape[0]))');
    expect(firstMessage(run(source))).toMatch(/includes the kernel area.*147/);
  });

  it('names uniform draws and Math.random', () => {
    const uniform = answer(
      'Math.sqrt(2 / fan)',
      'const a = Math.sqrt(3) * std; rng.uniformArray(w, -a, a)',
    );
    expect(firstMessage(run(uniform))).toMatch(/looks uniform/);
    const random = answer(
      'Math.sqrt(2 / fan)',
      'for (let i = 0; i < w.length; i++) w[i] = std * (Math.random() + Math.random() + Math.random() - 1.5) * 2',
    );
    expect(firstMessage(run(random))).toMatch(/not Math\.random/);
  });
});

describe('exercise q-star', () => {
  const run = (body: string) =>
    check(
      `function qStar(sigmaW2: number, sigmaB2: number, name: string): number {
        const phi = activation(name);
        const step = (q: number) => ${body};
        let q = 1;
        for (let i = 0; i < 10000; i++) {
          const next = step(q);
          if (Math.abs(next - q) < 1e-13) return next;
          q = next;
        }
        return q;
      }`,
      'q-star',
    );

  it('passes fixed-point iteration of the q-map', () => {
    const checks = run(
      'sigmaW2 * gaussianExpectation((x) => phi.f(x) ** 2, q, phi.kinks) + sigmaB2',
    );
    expect(failed(checks)).toEqual([]);
    expect(checks[1]!.message).toContain('tanh (1.76, 0.05): 0.569');
  });

  it('names a missing σ_w² and a missing σ_b²', () => {
    expect(
      firstMessage(run('gaussianExpectation((x) => phi.f(x) ** 2, q, phi.kinks) + sigmaB2')),
    ).toMatch(/σ_w² is missing/);
    expect(
      firstMessage(run('sigmaW2 * gaussianExpectation((x) => phi.f(x) ** 2, q, phi.kinks)')),
    ).toMatch(/σ_b² is missing/);
  });

  it('names a single step of the map', () => {
    const checks = check(
      `function qStar(w2: number, b2: number, name: string): number {
        const phi = activation(name);
        return w2 * gaussianExpectation((x) => phi.f(x) ** 2, 1, phi.kinks) + b2;
      }`,
      'q-star',
    );
    expect(firstMessage(checks)).toMatch(/one application of the map/);
  });

  it('the reference is the engine’s fixed point: the chapter’s q* = 0.569 at (1.76, 0.05)', () => {
    expect(referenceQStar(1.76, 0.05, 'tanh')).toBeCloseTo(0.569, 3);
  });

  it('says what a non-number answer is', () => {
    const checks = check(`function qStar(): number { return NaN; }`, 'q-star');
    expect(firstMessage(checks)).toContain('returned NaN; expected a finite number');
  });
});
