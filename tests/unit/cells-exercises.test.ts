import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/index';
import { getExercise } from '../../src/cells/exercises/index';
import { ksUniform } from '../../src/cells/exercises/xavier-uniform';
import { createNodeRealm } from '../../src/cells/node-realm';
import { CELL_BUILTINS } from '../../src/cells/scope';
import { Session } from '../../src/cells/session';

/** Runs an answer as a reader would: a cell carrying the exercise, evaluated in a session. */
function check(body: string) {
  const source = `function xavierUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {\n${body}\n}`;
  const result = new Session(createNodeRealm(10_000), CELL_BUILTINS).run(
    0,
    source,
    'xavier-uniform',
  );
  if (!result.checks) throw new Error(`no checks: ${JSON.stringify(result.error)}`);
  return result.checks;
}
const failures = (checks: ReturnType<typeof check>) => checks.filter((c) => !c.pass);
const firstFailure = (checks: ReturnType<typeof check>) => failures(checks)[0]?.message ?? '';

const withBound = (bound: string) => `
  const a = ${bound};
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * a;
  return w;`;

describe('exercise xavier-uniform', () => {
  it('passes the right answer on every check', () => {
    const checks = check(withBound('Math.sqrt(6 / (fanIn + fanOut))'));
    expect(failures(checks)).toEqual([]);
    expect(checks).toHaveLength(5);
  });

  it('passes the right answer written with uniformArray', () => {
    const checks = check(`
      const a = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniformArray(new Float32Array(fanIn * fanOut), -a, a);`);
    expect(failures(checks)).toEqual([]);
  });

  it('names the missing √3', () => {
    const checks = check(withBound('Math.sqrt(2 / (fanIn + fanOut))'));
    expect(firstFailure(checks)).toMatch(/standard deviation Xavier wants, not the bound.*√3/);
  });

  it('names a bound that uses the fan-in only', () => {
    expect(firstFailure(check(withBound('Math.sqrt(3 / fanIn)')))).toMatch(/fan-in only/);
    expect(firstFailure(check(withBound('Math.sqrt(6 / fanIn)')))).toMatch(/fan-in only/);
  });

  it('names Math.random, normal draws, an uncentred range, the wrong type, and the untouched starter', () => {
    expect(
      firstFailure(
        check(
          withBound('Math.sqrt(6 / (fanIn + fanOut))').replace('rng.uniform()', 'Math.random()'),
        ),
      ),
    ).toMatch(/not Math\.random/);
    expect(
      firstFailure(
        check(`
          const w = new Float32Array(fanIn * fanOut);
          for (let i = 0; i < w.length; i++) w[i] = rng.normal() * Math.sqrt(2 / (fanIn + fanOut));
          return w;`),
      ),
    ).toMatch(/look normal, not uniform/);
    expect(
      firstFailure(
        check(
          withBound('Math.sqrt(6 / (fanIn + fanOut))').replace(
            '(2 * rng.uniform() - 1)',
            'rng.uniform()',
          ),
        ),
      ),
    ).toMatch(/mean .* not 0/);
    expect(
      firstFailure(check('return Array.from({ length: fanIn * fanOut }, () => rng.uniform());')),
    ).toMatch(/Expected a Float32Array, got Array/);
    expect(firstFailure(check('return new Float32Array(fanIn * fanOut);'))).toMatch(
      /Every weight is 0/,
    );
  });

  it('reports an exception with the line in the reader’s code', () => {
    const checks = check('  const w = null as unknown as Float32Array;\n  return w.fill(1);');
    expect(firstFailure(checks)).toMatch(/threw: .*line 3 of your code/);
  });

  it('says what to define when the function is missing', () => {
    const checks = getExercise('xavier-uniform').check(undefined, String);
    expect(checks[0]?.message).toMatch(/Define a function named xavierUniform/);
    expect(checks.every((c) => !c.pass)).toBe(true);
  });

  it('has a KS statistic that separates uniform from a narrower uniform (oracle check)', () => {
    const rng = createRng(5);
    const n = 100_000;
    const a = 0.1;
    const right = rng.uniformArray(new Float32Array(n), -a, a);
    const narrow = rng.uniformArray(new Float32Array(n), -0.9 * a, 0.9 * a);
    // For U(−0.9a, 0.9a) against U(−a, a) the true D is 0.05: far above 1.95/√n ≈ 0.0062.
    expect(ksUniform(right, a) * Math.sqrt(n)).toBeLessThan(1.95);
    expect(ksUniform(narrow, a)).toBeCloseTo(0.05, 2);
  });
});
