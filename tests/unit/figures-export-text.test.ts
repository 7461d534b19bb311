import { describe, expect, it } from 'vitest';
import {
  MAX_NAME_LENGTH,
  exportFileName,
  firstSentence,
  parameterLine,
} from '../../src/figures/export-text';
import { defaults, type ParamsOf, type Schema } from '../../src/figures/params';
import { model } from '../../src/figures/variance-by-depth/model';

const schema = model.schema as Schema;
const base = defaults(schema) as ParamsOf<Schema>;

describe('exportFileName', () => {
  it('names the figure, its primary settings, then the other settings that differ', () => {
    const params = { ...base, depth: 12, seed: 7, inits: ['xavier_normal'] } as ParamsOf<Schema>;
    expect(exportFileName('variance-by-depth', schema, params, model.primary, 'png')).toBe(
      'variance-by-depth_activation-relu_depth-12_gain-1_quantity-pre_inits-xavier-normal_seed-7.png',
    );
  });

  it('writes camelCase keys, lists, toggles and odd values as safe lowercase tokens', () => {
    const params = { ...base, zeroInitLast: true, sigmaB: 0.05 } as ParamsOf<Schema>;
    const name = exportFileName(
      'variance-by-depth',
      schema,
      params,
      ['inits', 'zeroInitLast'],
      'svg',
    );
    expect(name).toBe(
      'variance-by-depth_inits-xavier-normal+kaiming-normal_zero-init-last-on_sigma-b-0.05.svg',
    );
    expect(name).toMatch(/^[a-z0-9._+-]+$/);
  });

  it('stays within the length limit, and different long states keep different names', () => {
    const long = {
      ...base,
      inits: ['xavier_normal', 'xavier_uniform', 'kaiming_normal', 'torch_default'],
      seed: 9,
      batch: 8,
      residual: '2',
      alpha: 0.5,
    } as ParamsOf<Schema>;
    const a = exportFileName('variance-by-depth', schema, long, model.primary, 'png');
    const b = exportFileName(
      'variance-by-depth',
      schema,
      { ...long, alpha: 0.25 },
      model.primary,
      'png',
    );
    expect(a.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(b.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^variance-by-depth_activation-relu_depth-30_.*_[0-9a-z]+\.png$/);
  });
});

describe('parameterLine', () => {
  it('lists every setting as key = value, never breaking inside a pair', () => {
    const line = parameterLine(schema, { ...base, zeroInitLast: true } as ParamsOf<Schema>);
    expect(line.replaceAll('\u00a0', ' ')).toBe(
      'inits = xavier_normal, kaiming_normal · activation = relu · depth = 30 · width = 256 · ' +
        'gain = 1 · sigmaB = 0 · batch = 64 · seed = 3 · quantity = pre · residual = none · ' +
        'zeroInitLast = on · alpha = 1 · stream = torch',
    );
    expect(line).toContain('depth\u00a0=\u00a030');
  });
});

describe('firstSentence', () => {
  it('ends at a full stop before a capital, not inside numbers or calls', () => {
    expect(firstSentence('Starts at nn.Conv2d(64, 128, 3). Set groups to 64.')).toBe(
      'Starts at nn.Conv2d(64, 128, 3).',
    );
    expect(firstSentence('  A value of 2.09\n is shown.  ')).toBe('A value of 2.09 is shown.');
    expect(firstSentence('No full stop at all')).toBe('No full stop at all');
  });
});
