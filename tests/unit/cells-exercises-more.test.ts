import { describe, expect, it } from 'vitest';
import { CASES, referenceFlagged } from '../../src/cells/exercises/first-flagged';
import { referenceInitialLoss } from '../../src/cells/exercises/initial-loss';
import { referenceQStar } from '../../src/cells/exercises/q-star';
import { saturatedShareOf, simulatedShare } from '../../src/cells/exercises/saturated-share';
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

describe('exercise linear-default', () => {
  const answer = (bound: string, bias = 'rng.uniformArray(b, -c, c)') => `
    function linearDefault(inFeatures: number, outFeatures: number, rng: Rng) {
      const c = 1 / Math.sqrt(inFeatures);
      const a = ${bound};
      const weight = rng.uniformArray(new Float32Array(inFeatures * outFeatures), -a, a);
      const b = new Float32Array(outFeatures);
      ${bias};
      return { weight, bias: b };
    }`;
  const run = (source: string) => check(source, 'linear-default');

  it('passes PyTorch’s default: both bounds 1/√fan_in', () => {
    const checks = run(answer('c'));
    expect(failed(checks)).toEqual([]);
    expect(checks).toHaveLength(4);
  });

  it('names kaiming_uniform_ with a = 0, LeCun uniform, the fan-out, and a zero bias', () => {
    expect(firstMessage(run(answer('Math.sqrt(6 / inFeatures)')))).toMatch(/a = √5/);
    expect(firstMessage(run(answer('Math.sqrt(3 / inFeatures)')))).toMatch(/LeCun uniform/);
    expect(firstMessage(run(answer('1 / Math.sqrt(outFeatures)')))).toMatch(/the fan-out/);
    expect(firstMessage(run(answer('c', '')))).toMatch(/does not zero its bias/);
  });
});

describe('exercise initial-loss', () => {
  const simulate = `
    function initialLoss(K: number, s: number, rng: Rng): number {
      const draws = 20000;
      let total = 0;
      const o = new Float64Array(K);
      for (let d = 0; d < draws; d++) {
        let max = -Infinity;
        for (let k = 0; k < K; k++) { o[k] = s * rng.normal(); max = Math.max(max, o[k]); }
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(o[k] - max);
        total += max + Math.log(sum) - o[0];
      }
      return total / draws;
    }`;
  const run = (source: string) => check(source, 'initial-loss');

  it('passes a simulation, and the reference is near ln K + s²/2 for small s', () => {
    expect(failed(run(simulate))).toEqual([]);
    expect(referenceInitialLoss(10, 0.1, 200_000)).toBeCloseTo(Math.log(10) + 0.005, 2);
  });

  it('names the small-s formula where it fails, and ln K', () => {
    expect(
      firstMessage(
        run('function initialLoss(K: number, s: number) { return Math.log(K) + s * s / 2; }'),
      ),
    ).toMatch(/small-s formula: at s = 3/);
    expect(firstMessage(run('function initialLoss(K: number) { return Math.log(K); }'))).toMatch(
      /That is ln K/,
    );
  });
});

describe('exercise orthogonal', () => {
  const gramSchmidt = (after = '', normalize = true) => `
    function orthogonal(n: number, rng: Rng): Float32Array {
      const a = rng.normalArray(new Float32Array(n * n));
      const col = (j: number) => Float64Array.from({ length: n }, (_, i) => a[i * n + j]);
      const q: Float64Array[] = [];
      for (let j = 0; j < n; j++) {
        const v = col(j);
        for (const u of q) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += u[i] * v[i];
          for (let i = 0; i < n; i++) v[i] -= dot * u[i];
        }
        const norm = ${normalize ? 'Math.hypot(...v)' : '1'};
        for (let i = 0; i < n; i++) v[i] /= norm;
        q.push(v);
      }
      ${after}
      const out = new Float32Array(n * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i * n + j] = q[j][i];
      return out;
    }`;
  const run = (source: string) => check(source, 'orthogonal');

  it('passes Gram–Schmidt on Gaussian columns', () => {
    const checks = run(gramSchmidt());
    expect(failed(checks)).toEqual([]);
    expect(checks).toHaveLength(4);
  });

  it('names unnormalized columns, and a diagonal that is never positive (QR without the sign fix)', () => {
    expect(firstMessage(run(gramSchmidt('', false)))).toMatch(/normalize each column/i);
    const signFlipped = gramSchmidt(
      'for (let j = 0; j < n; j++) if (q[j][j] > 0) for (let i = 0; i < n; i++) q[j][i] = -q[j][i];',
    );
    expect(firstMessage(run(signFlipped))).toMatch(/sign of R's diagonal entry/);
  });
});

describe('exercise saturated-share', () => {
  const run = (expr: string) =>
    check(
      `function saturatedShare(std: number): number {
        const t = Math.atanh(0.97);
        return ${expr};
      }`,
      'saturated-share',
    );

  it('passes 2·(1 − Φ(atanh(0.97)/std)); at std 64 about 97 % of units are on the flat ends', () => {
    const checks = run('2 * (1 - normalCdf(t / std))');
    expect(failed(checks)).toEqual([]);
    expect(checks[1]!.message).toContain('At std 64, 97.39 %');
    expect(simulatedShare(64)).toBeCloseTo(saturatedShareOf(64), 2);
    expect(simulatedShare(1)).toBeCloseTo(saturatedShareOf(1), 2);
  });

  it('names the threshold on y, one tail, and a multiplied std', () => {
    expect(firstMessage(run('2 * (1 - normalCdf(0.97 / std))'))).toMatch(/applies to tanh\(y\)/);
    expect(firstMessage(run('1 - normalCdf(t / std)'))).toMatch(/That is one tail/);
    expect(firstMessage(run('2 * (1 - normalCdf(t * std))'))).toMatch(/dividing/);
    expect(firstMessage(run('2'))).toContain('a share is a number in [0, 1]');
  });
});

describe('exercise layer-factors', () => {
  const answer = (forwardSum: string) => `
    function layerFactors(nIn: number, nOut: number, varW: number, rng: Rng) {
      const batch = 64;
      const W = rng.normalArray(new Float32Array(nOut * nIn), 0, Math.sqrt(varW));
      const x = rng.normalArray(new Float32Array(batch * nIn));
      const g = rng.normalArray(new Float32Array(batch * nOut));
      const meanSquare = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0) / a.length;
      const y = new Float32Array(batch * nOut);
      const dx = new Float32Array(batch * nIn);
      for (let b = 0; b < batch; b++)
        for (let i = 0; i < nOut; i++)
          for (let j = 0; j < nIn; j++) {
            ${forwardSum}
            dx[b * nIn + j] += W[i * nIn + j] * g[b * nOut + i];
          }
      return { forward: meanSquare(y) / meanSquare(x), backward: meanSquare(dx) / meanSquare(g) };
    }`;
  const run = (source: string) => check(source, 'layer-factors');

  it('passes a simulation of both passes', () => {
    expect(failed(run(answer('y[b * nOut + i] += W[i * nIn + j] * x[b * nIn + j];')))).toEqual([]);
  });

  it('names swapped fans and standard deviations compared instead of variances', () => {
    const right = answer('y[b * nOut + i] += W[i * nIn + j] * x[b * nIn + j];');
    const swapped = right.replace(
      'return { forward: meanSquare(y) / meanSquare(x), backward: meanSquare(dx) / meanSquare(g) }',
      'return { forward: meanSquare(dx) / meanSquare(g), backward: meanSquare(y) / meanSquare(x) }',
    );
    expect(firstMessage(run(swapped))).toMatch(/near n_out·Var\(w\).*sums n_in products/);
    const roots = right.replace(
      'forward: meanSquare(y) / meanSquare(x)',
      'forward: Math.sqrt(meanSquare(y) / meanSquare(x))',
    );
    expect(firstMessage(run(roots))).toMatch(/square root: compare variances/);
  });
});

describe('exercise first-flagged', () => {
  const rule = (against: string, extra = '') => `
    function firstFlagged(layers: { secondMoment: number; saturated: number | null; dead: number | null }[], input: number) {
      for (let i = 0; i < layers.length; i++) {
        const l = layers[i];
        const ratio = l.secondMoment / ${against};
        if (ratio > 10 || ratio < 0.1${extra}) return i + 1;
      }
      return null;
    }`;
  const full = ' || (l.saturated ?? 0) > 0.5 || (l.dead ?? 0) > 0.5';
  const run = (source: string) => check(source, 'first-flagged');

  it('the cases flag what the tool flags: none, 3, 3, 2, 2', () => {
    expect(CASES.map(referenceFlagged)).toEqual([null, 3, 3, 2, 2]);
  });

  it('passes the tool’s rule', () => {
    expect(failed(run(rule('input', full)))).toEqual([]);
  });

  it('names the ratio to the layer below, forgotten dead units, and a 0-based index', () => {
    expect(firstMessage(run(rule('(i === 0 ? input : layers[i - 1].secondMoment)', full)))).toMatch(
      /not with the layer below/,
    );
    expect(firstMessage(run(rule('input', ' || (l.saturated ?? 0) > 0.5')))).toMatch(
      /Count the dead units/,
    );
    expect(firstMessage(run(rule('input', full).replace('return i + 1', 'return i')))).toMatch(
      /Off by one/,
    );
  });
});

describe('exercise second-moment-gain', () => {
  const run = (expr: string) =>
    check(
      `function secondMomentGain(name: string): number {
        const phi = activation(name);
        const m = gaussianExpectation((x) => phi.f(x) ** 2, 1, phi.kinks);
        const s = gaussianExpectation((x) => phi.df(x) ** 2, 1, phi.kinks);
        return ${expr};
      }`,
      'second-moment-gain',
    );

  it('passes 1/√E[φ(z)²]; tanh gives 1.5925', () => {
    const checks = run('1 / Math.sqrt(m)');
    expect(failed(checks)).toEqual([]);
    expect(checks[1]!.message).toContain('tanh: 1.593');
  });

  it('names the missing inverse, the backward moment, and PyTorch’s table', () => {
    expect(firstMessage(run('Math.sqrt(m)'))).toMatch(/the gain is its inverse/);
    expect(firstMessage(run('1 / Math.sqrt(s)'))).toMatch(/gain for the backward pass/);
    expect(firstMessage(run('calculateGain(name)'))).toMatch(/a table value/);
  });
});
