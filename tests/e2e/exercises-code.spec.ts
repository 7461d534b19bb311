import { cell, edit, output } from './cell-helpers';
import { expect, test } from './fixtures';

/**
 * Every auto-checked coding task added by issue 17, in its chapter, as a reader does it: a wrong
 * answer first (the check names the mistake with the measured numbers), then a right one (every
 * check passes).
 */
const LIVE = { timeout: 60_000 };

interface Case {
  readonly page: string;
  readonly title: string;
  readonly wrong: string;
  /** Text the failed check shows. */
  readonly says: RegExp;
  readonly right: string;
  readonly checks: number;
}

const kaiming = (
  std: string,
) => `function kaimingNormal(shape: number[], mode: 'fan_in' | 'fan_out', rng: Rng): Float32Array {
  const area = shape.slice(2).reduce((a, b) => a * b, 1);
  const fan = mode === 'fan_in' ? shape[1] * area : shape[0] * area;
  return rng.normalArray(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, ${std});
}`;

const layer = (
  ret: string,
) => `function layerFactors(nIn: number, nOut: number, varW: number, rng: Rng) {
  const batch = 64;
  const W = rng.normalArray(new Float32Array(nOut * nIn), 0, Math.sqrt(varW));
  const x = rng.normalArray(new Float32Array(batch * nIn));
  const g = rng.normalArray(new Float32Array(batch * nOut));
  const ms = (a: Float32Array) => a.reduce((s, v) => s + v * v, 0) / a.length;
  const y = new Float32Array(batch * nOut);
  const dx = new Float32Array(batch * nIn);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < nOut; i++)
      for (let j = 0; j < nIn; j++) {
        y[b * nOut + i] += W[i * nIn + j] * x[b * nIn + j];
        dx[b * nIn + j] += W[i * nIn + j] * g[b * nOut + i];
      }
  return ${ret};
}`;

const linear = (
  bound: string,
) => `function linearDefault(inFeatures: number, outFeatures: number, rng: Rng) {
  const c = 1 / Math.sqrt(inFeatures);
  const a = ${bound};
  const weight = rng.uniformArray(new Float32Array(inFeatures * outFeatures), -a, a);
  const bias = rng.uniformArray(new Float32Array(outFeatures), -c, c);
  return { weight, bias };
}`;

const loss = (
  draws: string,
  s: string,
) => `function initialLoss(K: number, s: number, rng: Rng): number {
  let total = 0;
  const o = new Float64Array(K);
  for (let d = 0; d < ${draws}; d++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) { o[k] = ${s} * rng.normal(); max = Math.max(max, o[k]); }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(o[k] - max);
    total += max + Math.log(sum) - o[0];
  }
  return total / ${draws};
}`;

const qstar = (
  step: string,
) => `function qStar(sigmaW2: number, sigmaB2: number, name: string): number {
  const phi = activation(name);
  let q = 1;
  for (let i = 0; i < 10000; i++) {
    const next = ${step};
    if (Math.abs(next - q) < 1e-13) return next;
    q = next;
  }
  return q;
}`;

const orthogonal = (normalize: string) => `function orthogonal(n: number, rng: Rng): Float32Array {
  const a = rng.normalArray(new Float32Array(n * n));
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => a[i * n + j]);
    for (const u of q) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= dot * u[i];
    }
    const norm = ${normalize};
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
  }
  const out = new Float32Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) out[i * n + j] = q[j][i];
  return out;
}`;

const flagged = (
  against: string,
) => `type LayerReading = { secondMoment: number; saturated: number | null; dead: number | null };
function firstFlagged(layers: LayerReading[], input: number): number | null {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    const ratio = l.secondMoment / ${against};
    if (ratio > 10 || ratio < 0.1 || (l.saturated ?? 0) > 0.5 || (l.dead ?? 0) > 0.5) return i + 1;
  }
  return null;
}`;

const CASES: readonly Case[] = [
  {
    page: 'chapters/variance-rule/',
    title: 'Write layerFactors(nIn, nOut, varW, rng)',
    wrong: layer('{ forward: ms(dx) / ms(g), backward: ms(y) / ms(x) }'),
    says: /near n_out·Var\(w\) = 0\.125/,
    right: layer('{ forward: ms(y) / ms(x), backward: ms(dx) / ms(g) }'),
    checks: 3,
  },
  {
    page: 'chapters/he-kaiming/',
    title: 'Write kaimingNormal(shape, mode, rng)',
    wrong: kaiming('1 / Math.sqrt(fan)'),
    says: /expected √2\/√784 = 0\.05051\. That is 1\/√784: the ReLU gain √2 is missing/,
    right: kaiming('Math.sqrt(2 / fan)'),
    checks: 4,
  },
  {
    page: 'chapters/what-fails/',
    title: 'Write saturatedShare(std)',
    wrong:
      'function saturatedShare(std: number): number {\n  return 2 * (1 - normalCdf(0.97 / std));\n}',
    says: /the threshold applies to tanh\(y\)/,
    right:
      'function saturatedShare(std: number): number {\n  return 2 * (1 - normalCdf(Math.atanh(0.97) / std));\n}',
    checks: 2,
  },
  {
    page: 'chapters/biases-and-output-layers/',
    title: 'Write initialLoss(K, s, rng)',
    wrong:
      'function initialLoss(K: number, s: number, rng: Rng): number {\n  return Math.log(K) + (s * s) / 2;\n}',
    says: /the small-s formula: at s = 3/,
    right: loss('20000', 's'),
    checks: 2,
  },
  {
    page: 'chapters/pytorch-defaults/',
    title: 'Write linearDefault(inFeatures, outFeatures, rng)',
    wrong: linear('Math.sqrt(6 / inFeatures)'),
    says: /a = √5/,
    right: linear('c'),
    checks: 4,
  },
  {
    page: 'chapters/signal-propagation/',
    title: 'Write qStar(sigmaW2, sigmaB2, name)',
    wrong: qstar('gaussianExpectation((x) => phi.f(x) ** 2, q, phi.kinks) + sigmaB2'),
    says: /σ_w² is missing/,
    right: qstar('sigmaW2 * gaussianExpectation((x) => phi.f(x) ** 2, q, phi.kinks) + sigmaB2'),
    checks: 3,
  },
  {
    page: 'chapters/beyond-rules-of-thumb/',
    title: 'Write orthogonal(n, rng)',
    wrong: orthogonal('1'),
    says: /normalize each column/,
    right: orthogonal('Math.hypot(...v)'),
    checks: 4,
  },
  {
    page: 'chapters/diagnose/',
    title: 'Write firstFlagged(layers, input)',
    wrong: flagged('(i === 0 ? input : layers[i - 1].secondMoment)'),
    says: /not with the layer below/,
    right: flagged('input'),
    checks: 2,
  },
  {
    page: 'chapters/xavier-glorot/',
    title: 'Write secondMomentGain(name)',
    wrong: 'function secondMomentGain(name: string): number {\n  return calculateGain(name);\n}',
    says: /a table value/,
    right:
      'function secondMomentGain(name: string): number {\n  const phi = activation(name);\n  return 1 / Math.sqrt(gaussianExpectation((x) => phi.f(x) ** 2, 1, phi.kinks));\n}',
    checks: 2,
  },
];

test.describe.configure({ mode: 'parallel', timeout: 180_000 });

for (const c of CASES) {
  test(`${c.title} in /${c.page}: a wrong answer is explained, the right one passes`, async ({
    watched: page,
  }) => {
    await page.goto(c.page);
    const exercise = cell(page, `Exercise: ${c.title}`);
    await edit(page, exercise, c.wrong);
    await exercise.getByRole('button', { name: 'Run' }).click();
    await expect(output(exercise)).toContainText(c.says, LIVE);
    await edit(page, exercise, c.right);
    await exercise.getByRole('button', { name: 'Run' }).click();
    await expect(output(exercise)).toContainText(`All ${c.checks} checks pass`, LIVE);
  });
}
