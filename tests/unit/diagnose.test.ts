import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, initTensor } from '../../src/engine/index';
import { diagnose, expectedInitialLoss, RANGE, torchGain } from '../../src/diagnose/analyse';
import { MAX_BYTES, MAX_LAYERS, readStats, type ModelStats } from '../../src/diagnose/format';

/** Fixtures written by scripts/pytorch-fixtures.sh with Debian's PyTorch 1.13 and the reader's script. */
const fixture = (name: string): string =>
  readFileSync(`tests/fixtures/diagnose/${name}.json`, 'utf8');

const stats = (name: string): ModelStats => {
  const read = readStats(fixture(name));
  if (!read.ok) throw new Error(read.messages.join('\n'));
  return read.stats;
};

const messages = (text: string): string[] => {
  const read = readStats(text);
  expect(read.ok).toBe(false);
  return read.ok ? [] : [...read.messages];
};

const good = JSON.parse(fixture('good-relu-kaiming')) as Record<string, unknown> & {
  layers: Record<string, unknown>[];
};
const edited = (change: (d: typeof good) => void): string => {
  const copy = structuredClone(good);
  change(copy);
  return JSON.stringify(copy);
};

describe('reading a statistics file', () => {
  it('reads every PyTorch fixture: ten layers, the activations the models used', () => {
    const s = stats('good-relu-kaiming');
    expect(s.batchSize).toBe(256);
    expect(s.layers).toHaveLength(10);
    expect(s.layers.map((l) => l.activation)).toEqual([...Array(9).fill('relu'), 'linear']);
    expect(stats('bad-tanh-std001').layers[0]!.activation).toBe('tanh');
  });

  it('says where a cut-short file stops being JSON', () => {
    const [m] = messages(fixture('malformed'));
    expect(m).toMatch(/^This is not valid JSON/);
    expect(m).toMatch(/line 10/);
  });

  it('refuses a file over the size limit before parsing it, and states the limit', () => {
    const big = `{"format": "initbook-layer-stats", "pad": "${'x'.repeat(MAX_BYTES)}"}`;
    const [m] = messages(big);
    expect(m).toContain('up to 1.0 MB');
    expect(m).toMatch(/^The file is 1\.0 MB/);
  });

  it('names the field that holds NaN or Infinity (as Python writes them)', () => {
    const text = fixture('good-relu-kaiming').replace(
      /"forward_second_moment": [^,]+,/,
      '"forward_second_moment": Infinity,',
    );
    const [m] = messages(text);
    expect(m).toContain('layers[0] ("0").forward_second_moment');
    expect(m).toContain('received Infinity (not a finite number');
    // The same token inside a string is text, not a number.
    const inName = edited((d) => (d.layers[0]!['name'] = 'NaN Infinity'));
    expect(readStats(inName).ok).toBe(true);
  });

  it('checks the format and the version', () => {
    expect(messages(edited((d) => (d['format'] = 'other'))).join()).toMatch(
      /^format must be "initbook-layer-stats"; received "other"/,
    );
    expect(messages(edited((d) => (d['version'] = 2))).join()).toMatch(
      /^version must be 1; received 2\. The file is newer/,
    );
    expect(messages('[1, 2]').join()).toMatch(/one JSON object; it holds a list/);
  });

  it('lists bad fields with their place, five at most', () => {
    const text = edited((d) => {
      for (const l of d.layers) l['fan_in'] = -1;
    });
    const m = messages(text);
    expect(m).toHaveLength(6);
    expect(m[0]).toBe('layers[0] ("0").fan_in must be a whole number of 1 or more; received -1.');
    expect(m[5]).toBe('… and 5 more problems.');
    const act = messages(edited((d) => (d.layers[2]!['activation'] = 'swish')));
    expect(act[0]).toMatch(/^layers\[2\] \("4"\)\.activation must be one of linear, relu/);
    const frac = messages(edited((d) => (d.layers[1]!['dead_fraction'] = 1.5)));
    expect(frac[0]).toContain('dead_fraction must be a number from 0 to 1 or null; received 1.5');
  });

  it('refuses more layers than it reads', () => {
    const text = edited((d) => {
      d.layers = Array.from({ length: MAX_LAYERS + 1 }, () => good.layers[0]!);
    });
    expect(messages(text)).toEqual([
      `The file lists ${MAX_LAYERS + 1} layers; the page reads at most ${MAX_LAYERS}.`,
    ]);
  });

  it('keeps hostile strings as plain data', () => {
    const s = stats('hostile');
    expect(s.model).toBe('<script>window.__pwned = 1</script>');
    expect(s.layers[0]!.name).toBe('<img src=x onerror="window.__pwned = 2">');
  });
});

describe('diagnosis', () => {
  it('good model (10-layer ReLU MLP, kaiming_normal_): nothing flagged, prediction within 20%', () => {
    const d = diagnose(stats('good-relu-kaiming'));
    expect(d.firstFlagged).toBeNull();
    expect(d.fix).toBeNull();
    for (const l of d.layers) {
      // Mean field: σ_w² = 2 keeps q = 2·E[x²]; width 256 and batch 256 move it by a few 10%.
      expect(Math.abs(l.measured / l.predicted! - 1), `layer ${l.layer}`).toBeLessThan(0.2);
      expect(Math.abs(l.grad! / l.gradPredicted! - 1), `layer ${l.layer}`).toBeLessThan(0.2);
    }
    expect(d.layers[0]!.predicted).toBeCloseTo(2 * d.inputSecondMoment, 1);
  });

  it('tanh with std 0.01: layer 1 shrinks (σ_w² = 0.0256), gain 5/3 proposed and checked', () => {
    const d = diagnose(stats('bad-tanh-std001'));
    expect(d.firstFlagged).toBe(1);
    expect(d.layers[0]!.reason).toBe('shrinks');
    expect(d.layers[0]!.sigmaW2).toBeCloseTo(256 * 1e-4, 3);
    expect(d.fix!.currentGain).toBeCloseTo(0.16, 2);
    expect(d.fix!.torchGain).toBeCloseTo(5 / 3, 12);
    expect(d.fix!.proposed).toBeCloseTo(5 / 3, 12);
    // 1/√E[tanh(z)²] = 1.5925 (E[tanh(z)²] = 0.39429).
    expect(d.fix!.unitGain).toBeCloseTo(1.5925, 4);
    expect(d.fix!.fixStaysInRange).toBe(true);
    // Each layer multiplies q by about σ_w²: the prediction follows the measurement over 16 decades.
    for (const l of d.layers) expect(Math.abs(l.measured / l.predicted! - 1)).toBeLessThan(0.1);
  });

  it('N(0, 1) ReLU weights: layer 1 grows 256-fold; gain √2 proposed', () => {
    const d = diagnose(stats('bad-relu-unscaled'));
    expect(d.firstFlagged).toBe(1);
    expect(d.layers[0]!.reason).toBe('grows');
    expect(d.layers[0]!.ratio).toBeGreaterThan(200);
    expect(d.fix!.proposed).toBeCloseTo(Math.SQRT2, 12);
    expect(d.fix!.predictedWithFix[0]! / d.inputSecondMoment).toBeCloseTo(2, 2);
    // The loss says the same: logits of second moment 2e21 start far above ln 10.
    expect(d.loss!.loss).toBeGreaterThan(1e9);
  });

  it("PyTorch's default on a ReLU stack: layer 1 is in range, layer 2 (q/6 per layer) is not", () => {
    const d = diagnose(stats('bad-relu-torch-default'));
    // σ_w² = 1/3, so q¹ ≈ E[x²]/3; q² ≈ q¹/6 = 0.056 < 1/10.
    expect(d.layers[0]!.sigmaW2).toBeCloseTo(1 / 3, 2);
    expect(d.layers[0]!.reason).toBeNull();
    expect(d.firstFlagged).toBe(2);
    expect(d.layers[1]!.ratio).toBeLessThan(1 / RANGE);
    expect(d.layers[1]!.ratio).toBeGreaterThan(1 / 30);
    expect(d.fix!.layer).toBe(2);
    expect(d.fix!.currentGain).toBeCloseTo(Math.sqrt(1 / 3), 2);
    expect(d.fix!.proposed).toBeCloseTo(Math.SQRT2, 12);
  });

  it("proposes PyTorch 1.13's own calculate_gain values (recorded by the fixture script)", () => {
    const recorded = JSON.parse(fixture('torch-gains')) as { gains: Record<string, number> };
    for (const [name, gain] of Object.entries(recorded.gains)) {
      const leaky = /^leaky_relu\((.+)\)$/.exec(name);
      const ours = leaky ? torchGain('leaky_relu', Number(leaky[1])) : torchGain(name);
      expect(ours, name).toBeCloseTo(gain, 14);
    }
    // Activations PyTorch has no gain for get the unit-second-moment gain instead.
    expect(torchGain('gelu')).toBeNull();
  });

  it('initial loss: ln K + (1 − 1/K)·s²/2 matches the kaiming model and a simulation', () => {
    const d = diagnose(stats('good-relu-kaiming'));
    // Logits with s² ≈ 1.9: expected 3.16 against ln 10 = 2.30; PyTorch measured 3.19.
    expect(d.loss!.lnK).toBeCloseTo(Math.log(10), 12);
    expect(Math.abs(d.loss!.loss - d.loss!.expected)).toBeLessThan(0.1);
    // Simulation: K = 10 logits N(0, s²) at s = 0.5, 20,000 draws; standard error about 0.002.
    const K = 10;
    const s = 0.5;
    const rng = createRng(7);
    let total = 0;
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const z = initTensor([K], { name: 'normal', std: s }, rng);
      const top = Math.max(...z);
      total += top + Math.log(z.reduce((a, v) => a + Math.exp(v - top), 0)) - z[0]!;
    }
    expect(Math.abs(total / draws - expectedInitialLoss(K, s * s))).toBeLessThan(0.01);
  });
});
