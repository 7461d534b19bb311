// The catalogue of named initializations: every entry's predicted variance against a large seeded
// draw of its own spec, against PyTorch's fixed constants, and a guard that no figure, cell or
// client file grows its own label table or name switch again.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INIT_CATALOGUE,
  INIT_IDS,
  calculateGain,
  calculateGainSquared,
  createRng,
  initEntry,
  initLabel,
  initLaw,
  initTensor,
  initVariance,
  isInitId,
  sigmaW2Of,
  truncatedNormalVariance,
  type InitChoice,
} from '../../src/engine/index';
import { MODELS } from '../../src/figures/models';
import { INIT_COLORS } from '../../src/figures/palette';

/** Population variance of the sample, in float64. */
function sampleVariance(x: Float32Array): number {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let ss = 0;
  for (const v of x) ss += (v - mean) ** 2;
  return ss / x.length;
}

// The sample variance of N independent draws has relative standard error √((κ − 1)/N), κ the
// kurtosis: 3 for a normal, 1.8 for a uniform, less than 3 for a normal cut at ±2. With κ = 3 as
// the bound and N = 2¹⁷ entries, 5 standard errors is 5·√(2/131072) ≈ 2.0 % of the variance.
// Orthogonal weights' squares sum to min(rows, cols) exactly, so they meet it with room to spare.
const N = 2 ** 17;
const TOLERANCE = 5 * Math.sqrt(2 / N);

const SHAPES: readonly (readonly number[])[] = [
  [256, 512], // nn.Linear(512, 256): fan_in 512, fan_out 256
  [128, 64, 4, 4], // nn.Conv2d(64, 128, 4): fan_in 1024, fan_out 2048
];
const CHOICES: readonly InitChoice[] = [{ value: 0.1 }, { gain: 1.7, value: -0.3 }];

describe('init catalogue: predicted variance against a seeded draw of the same spec', () => {
  for (const entry of INIT_CATALOGUE) {
    for (const shape of SHAPES) {
      for (const choice of CHOICES) {
        // Orthogonal's QR of a 128 × 1024 conv weight is slow and no different from the linear one.
        if (entry.id === 'orthogonal' && shape.length > 2) continue;
        it(`${entry.id} on (${shape.join(', ')}) at gain ${choice.gain ?? 1}`, () => {
          const predicted = entry.variance(shape, choice);
          const draw = initTensor(shape, entry.spec(choice), createRng(20260));
          expect(draw.length).toBe(N);
          const measured = sampleVariance(draw);
          if (entry.distribution === 'constant') {
            expect(predicted).toBe(0);
            expect(measured).toBe(0);
          } else {
            expect(Math.abs(measured / predicted - 1)).toBeLessThan(TOLERANCE);
          }
        });
      }
    }
  }
});

describe('init catalogue: PyTorch and JAX constants', () => {
  const fanIn = 512;
  const fanOut = 256;
  const linear = [fanOut, fanIn];
  const v = (id: string, choice?: InitChoice) => initEntry(id).variance(linear, choice);

  it('torch_default is U(±1/√fan_in): variance 1/(3·fan_in), for weights and conv weights', () => {
    expect(v('torch_default')).toBeCloseTo(1 / (3 * fanIn), 15);
    // ResNet stem Conv2d(3, 64, 7): fan_in 3·7·7 = 147.
    expect(initEntry('torch_default').variance([64, 3, 7, 7])).toBeCloseTo(1 / 441, 15);
    // A bias: U(±1/√fan_in) of its layer's weight.
    expect(initVariance([fanOut], { name: 'torch_default' }, { fanIn })).toBeCloseTo(
      1 / (3 * fanIn),
      15,
    );
  });

  it('He (kaiming, relu): 2/fan_in, or 2/fan_out in fan_out mode; uniform and normal alike', () => {
    expect(v('kaiming_normal')).toBeCloseTo(2 / fanIn, 15);
    expect(v('kaiming_uniform')).toBeCloseTo(2 / fanIn, 15);
    expect(v('kaiming_normal_fan_out')).toBeCloseTo(2 / fanOut, 15);
    expect(v('he_normal')).toBeCloseTo(2 / fanIn, 15);
    expect(v('he_uniform')).toBeCloseTo(2 / fanIn, 15);
  });

  it('Xavier/Glorot: gain²·2/(fan_in + fan_out)', () => {
    for (const id of ['xavier_normal', 'xavier_uniform', 'glorot_normal', 'glorot_uniform']) {
      expect(v(id)).toBeCloseTo(2 / (fanIn + fanOut), 15);
      expect(v(id, { gain: 5 / 3 })).toBeCloseTo((25 / 9) * (2 / (fanIn + fanOut)), 15);
    }
  });

  it('LeCun: 1/fan_in, the truncated normal restored to its target after the cut at ±2', () => {
    expect(v('lecun_normal')).toBeCloseTo(1 / fanIn, 15);
    expect(v('lecun_uniform')).toBeCloseTo(1 / fanIn, 15);
    // trunc_normal_'s N(0, 1) cut at ±2 keeps 0.7737… of the variance (JAX's 0.87962566² ).
    expect(initVariance([10], { name: 'trunc_normal' })).toBeCloseTo(0.87962566103423978 ** 2, 14);
    // The recipe states scale/n for JAX's truncated normal; the moments of the cut agree.
    for (const id of ['lecun_normal', 'glorot_normal', 'he_normal']) {
      const law = initLaw(linear, initEntry(id).spec());
      if (law.kind !== 'truncated') throw new Error(`${id} is not truncated`);
      const cut = truncatedNormalVariance(law.mean, law.std, law.low, law.high);
      expect(Math.abs(cut / law.variance - 1), id).toBeLessThan(1e-14);
    }
  });

  it('orthogonal: gain²/max(rows, cols); unscaled 1; small 10⁻⁴; zeros and constants 0', () => {
    expect(v('orthogonal')).toBeCloseTo(1 / fanIn, 15);
    expect(v('orthogonal', { gain: 2 })).toBeCloseTo(4 / fanIn, 15);
    expect(v('unscaled')).toBe(1);
    expect(v('small')).toBeCloseTo(1e-4, 18);
    expect(v('zeros')).toBe(0);
    expect(v('constant', { value: 0.5 })).toBe(0);
  });

  it('the squared gains are calculateGain² in closed form', () => {
    for (const [nl, param, exact] of [
      ['relu', undefined, 2],
      ['tanh', undefined, 25 / 9],
      ['selu', undefined, 9 / 16],
      ['leaky_relu', Math.sqrt(5), 1 / 3],
      ['linear', undefined, 1],
    ] as const) {
      expect(calculateGainSquared(nl, param)).toBeCloseTo(calculateGain(nl, param) ** 2, 15);
      expect(calculateGainSquared(nl, param)).toBeCloseTo(exact, 15);
    }
    expect(calculateGainSquared('relu')).toBe(2);
  });

  it('gain multiplies the std of every scaled rule', () => {
    for (const entry of INIT_CATALOGUE) {
      if (entry.distribution === 'constant') continue;
      const ratio = entry.variance(linear, { gain: 3 }) / entry.variance(linear);
      expect(ratio, entry.id).toBeCloseTo(9, 12);
    }
  });

  it('σ_w² on a square layer: He 2, PyTorch default 1/3, Xavier/LeCun/orthogonal 1, N(0, 1) n', () => {
    // Exact where the rule is, so a theory that should be flat is flat: (σ_w²/2)^L = 1.
    for (const n of [16, 64, 256]) expect(sigmaW2Of('kaiming_normal', n)).toBe(2);
    expect(sigmaW2Of('torch_default', 256, { gain: 2 })).toBeCloseTo(4 / 3, 14);
    for (const id of ['xavier_normal', 'xavier_uniform', 'lecun_normal', 'orthogonal']) {
      expect(sigmaW2Of(id, 100)).toBeCloseTo(1, 14);
    }
    expect(sigmaW2Of('unscaled', 100)).toBe(100);
    expect(sigmaW2Of('small', 100)).toBeCloseTo(0.01, 16);
  });

  it('at gain 1 each spec is exactly the call its label names', () => {
    expect(initEntry('kaiming_normal').spec()).toEqual({
      name: 'kaiming_normal',
      mode: 'fan_in',
      nonlinearity: 'relu',
    });
    expect(initEntry('torch_default').spec()).toEqual({ name: 'torch_default' });
    expect(initEntry('lecun_normal').spec()).toEqual({ name: 'lecun_normal' });
    expect(initLaw(linear, initEntry('xavier_uniform').spec())).toEqual({
      kind: 'uniform',
      low: -Math.sqrt(3) * Math.sqrt(2 / (fanIn + fanOut)),
      high: Math.sqrt(3) * Math.sqrt(2 / (fanIn + fanOut)),
      variance: 2 / (fanIn + fanOut),
    });
  });

  it('patterns: eye and dirac variance is that of their entries, exactly', () => {
    for (const [shape, spec] of [
      [[6, 9], { name: 'eye' }],
      [[8, 4, 3, 3], { name: 'dirac', groups: 2 }],
    ] as const) {
      const data = initTensor(shape, spec, createRng(1));
      expect(initVariance(shape, spec)).toBeCloseTo(sampleVariance(data), 7);
    }
  });

  it('unknown ids and a constant without its value are refused by name', () => {
    expect(() => initEntry('he')).toThrow(/init/);
    expect(() => initEntry('constant').spec()).toThrow(/value/);
    expect(isInitId('he')).toBe(false);
    expect(initLabel('he')).toBe('he');
  });
});

describe('init catalogue: the one table', () => {
  it('has every id once, in INIT_IDS order, with distinct labels', () => {
    expect(INIT_CATALOGUE.map((e) => e.id)).toEqual([...INIT_IDS]);
    expect(new Set(INIT_CATALOGUE.map((e) => e.label)).size).toBe(INIT_CATALOGUE.length);
  });

  it('every figure control that offers inits offers catalogue ids with catalogue labels', () => {
    let seen = 0;
    for (const model of Object.values(MODELS)) {
      for (const [key, param] of Object.entries(model.schema)) {
        if (!(key === 'init' || key === 'inits')) continue;
        if (param.kind !== 'choice' && param.kind !== 'multi') continue;
        for (const option of param.options) {
          expect(isInitId(option.value), `${model.id}.${key}: ${option.value}`).toBe(true);
          expect(option.label).toBe(initLabel(option.value));
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('palette colours are keyed by catalogue ids', () => {
    for (const id of Object.keys(INIT_COLORS)) expect(isInitId(id), id).toBe(true);
  });

  it('no file under src/figures, src/cells or src/client keeps its own init labels or name switch', () => {
    const root = join(import.meta.dirname, '..', '..');
    const files = ['src/figures', 'src/cells', 'src/client'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(root, dir, f)),
    );
    // Ids that are also plain words (a `small` head, an `orthogonal` exercise) are left out of
    // the id patterns; their tables would still show as options of a figure's init control above.
    const WORDS = new Set(['small', 'zeros', 'constant', 'orthogonal', 'unscaled']);
    const named = INIT_CATALOGUE.filter((e) => !WORDS.has(e.id));
    const ids = named.map((e) => e.id).join('|');
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const labels = named.map((e) => escape(e.label)).join('|');
    const shapes: readonly [string, RegExp][] = [
      // { value: 'xavier_normal', label: 'Xavier normal' }: an options table.
      ['an options table', new RegExp(`value:\\s*'(${ids})',\\s*label:`)],
      // xavier_normal: 'Xavier': a label map (palette's colour map holds calls, not strings).
      ['a label map', new RegExp(`^\\s*(${ids}):\\s*'`, 'm')],
      // case 'kaiming_normal': a switch on init names.
      ['a switch on init names', new RegExp(`case\\s+'(${ids})'`)],
      // init === 'xavier_normal': a comparison that re-derives what the catalogue knows.
      ['a comparison with an init name', new RegExp(`\\binit\\w*\\s*[!=]==\\s*'(${ids})'`)],
      // 'He normal' or 'He normal': a catalogue label (or a variant) spelt out again.
      ['a catalogue label spelt out', new RegExp(`'(${labels})(?: \\([^']*\\))?'`)],
    ];
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [what, pattern] of shapes) {
        const match = pattern.exec(text);
        if (match) offenders.push(`${relative(root, file)}: ${what} (${match[0].trim()})`);
      }
    }
    expect(offenders).toEqual([]);
    expect(files.length).toBeGreaterThan(30);
  });
});
