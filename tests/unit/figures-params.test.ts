import { describe, expect, it } from 'vitest';
import {
  clampNumber,
  defaults,
  logIndex,
  logValue,
  parseParams,
  sameParams,
  sanitizeParams,
  writeParams,
  type Schema,
} from '../../src/figures/params';
import { STREAM_PARAM } from '../../src/figures/stream';

const schema = {
  depth: { kind: 'number', label: 'Depth', min: 1, max: 100, step: 1, integer: true, default: 30 },
  gain: {
    kind: 'number',
    label: 'Gain',
    min: 0.01,
    max: 100,
    step: 0.01,
    scale: 'log',
    default: 1,
  },
  activation: {
    kind: 'choice',
    label: 'Activation',
    default: 'tanh',
    options: [
      { value: 'tanh', label: 'tanh' },
      { value: 'relu', label: 'ReLU' },
    ],
  },
  inits: {
    kind: 'multi',
    label: 'Inits',
    default: ['xavier'],
    options: [
      { value: 'xavier', label: 'Xavier' },
      { value: 'he', label: 'He' },
    ],
  },
  residual: { kind: 'toggle', label: 'Residual', default: false },
} as const satisfies Schema;

const parse = (query: string) => parseParams(schema, new URLSearchParams(query), 'f');

describe('figure parameters from the URL', () => {
  it('reads valid values and leaves the rest at their defaults', () => {
    const { params, messages } = parse(
      'f.depth=50&f.activation=relu&f.inits=he,xavier&f.residual=1&other.depth=7',
    );
    expect(messages).toEqual([]);
    expect(params).toEqual({
      depth: 50,
      gain: 1,
      activation: 'relu',
      inits: ['xavier', 'he'],
      residual: true,
    });
  });

  it('clamps numbers out of range and snaps them to the grid, saying so', () => {
    const { params, messages } = parse('f.depth=1e9&f.gain=0');
    expect(params.depth).toBe(100);
    expect(params.gain).toBe(0.01);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/Depth: 1e9 is outside 1–100; using 100/);
    expect(parse('f.depth=12.4').params.depth).toBe(12);
  });

  it('rejects hostile or malformed values with a message and keeps the default', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const { params, messages } = parse(
      `f.depth=NaN&f.activation=${encodeURIComponent(hostile)}&f.inits=evil&f.residual=maybe&f.__proto__=1&f.gain=${'9'.repeat(300)}`,
    );
    expect(params).toEqual(defaults(schema));
    expect(messages).toHaveLength(6);
    expect(messages.join(' ')).toMatch(/not a number/);
    expect(messages.join(' ')).toMatch(/Unknown setting “f.__proto__”/);
    expect(messages.join(' ')).toMatch(/too long/);
    // Messages quote at most a short excerpt of what was sent.
    for (const m of messages) expect(m.length).toBeLessThan(160);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('names the fallback of a choice by the label its control shows', () => {
    const { params, messages } = sanitizeParams({ stream: STREAM_PARAM }, { stream: 'evil' });
    expect(params.stream).toBe('torch');
    expect(messages).toEqual([
      'Random stream: “evil” is not one of the options; using PyTorch 1.13, x86 CPU (AVX2).',
    ]);
  });

  it('drops unknown entries from a list but keeps the known ones', () => {
    const { params, messages } = parse('f.inits=he,bogus');
    expect(params.inits).toEqual(['he']);
    expect(messages[0]).toMatch(/ignored unknown “bogus”/);
  });

  it('round-trips through the URL, writing only what differs from the baseline', () => {
    const params = { ...defaults(schema), depth: 12, inits: ['xavier', 'he'], residual: true };
    const search = writeParams(schema, params, 'f', new URLSearchParams('keep=1&f.gain=3'));
    expect(search.toString()).toBe('keep=1&f.depth=12&f.inits=xavier%2Che&f.residual=1');
    expect(parseParams(schema, search, 'f').params).toEqual(params);
    const baseline = { ...defaults(schema), depth: 12 };
    expect(writeParams(schema, params, 'f', new URLSearchParams(), baseline).has('f.depth')).toBe(
      false,
    );
  });

  it('sanitizes parameter objects from any source the same way', () => {
    const { params, messages } = sanitizeParams(schema, {
      depth: -5,
      activation: 'relu',
      inits: ['he'],
    });
    expect(params).toMatchObject({ depth: 1, activation: 'relu', inits: ['he'] });
    expect(messages).toHaveLength(1);
  });

  it('clamps and compares', () => {
    expect(clampNumber(schema.depth, Number.NaN)).toBeNull();
    expect(clampNumber(schema.gain, 1234)).toBe(100);
    expect(sameParams({ a: [1, 2], b: 'x' }, { a: [1, 2], b: 'x' })).toBe(true);
    expect(sameParams({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });

  it('keeps an integer parameter on a log slider whole, at both ends and from the URL', () => {
    const width = {
      kind: 'number',
      label: 'Width',
      min: 8,
      max: 512,
      step: 1,
      integer: true,
      scale: 'log',
      default: 32,
    } as const;
    for (let i = 0; i <= 100; i++) expect(Number.isInteger(logValue(width, i))).toBe(true);
    expect([logValue(width, 0), logValue(width, 50), logValue(width, 100)]).toEqual([8, 64, 512]);
    expect(logValue(width, logIndex(width, 32))).toBe(32);
    expect(clampNumber(width, 100.4)).toBe(100);
    expect(clampNumber(width, 5000)).toBe(512);
    // Non-integer log parameters keep their 3 significant digits.
    expect(logValue(schema.gain, 37)).toBe(0.302); // 0.01·10^1.48
  });
});
