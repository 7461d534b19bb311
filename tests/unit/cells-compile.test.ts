import { describe, expect, it } from 'vitest';
import { compileCell, positionOf } from '../../src/cells/compile';
import { isCellFence, parseCellOptions } from '../../src/cells/options';

describe('compileCell', () => {
  it('strips types and keeps every line where it was', () => {
    const source = [
      'const n: number = 4;',
      'type Pair = [number, number];',
      'interface Box {',
      '  size: number;',
      '}',
      'const f = (x: Box): number => x.size!;',
      'f({ size: n }) as number',
    ].join('\n');
    const compiled = compileCell(source);
    if (!compiled.ok) throw new Error(compiled.message);
    const lines = compiled.js.split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('const n = 4;');
    expect(lines[5]).toContain('const f = (x) => x.size;');
    expect(lines[6]?.trim()).toBe('f({ size: n })');
    expect(compiled.js).not.toMatch(/interface|type Pair/);
  });

  it('lists top-level bindings, including destructured ones, but not inner or type names', () => {
    const compiled = compileCell(
      [
        'const { fanIn, fanOut } = computeFans([2, 3]);',
        'let [a, b] = [1, 2];',
        'function f(x: number) { const inner = x; return inner; }',
        'class C {}',
        'var v = 1;',
        'type T = number;',
        'for (let i = 0; i < 2; i++) { const z = i; }',
      ].join('\n'),
    );
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.names).toEqual(['fanIn', 'fanOut', 'a', 'b', 'f', 'C', 'v']);
  });

  it('reports a syntax error at its line and column in the reader’s code', () => {
    const result = compileCell('const a = 1;\nconst b = (2;\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.at).toEqual({ line: 2, column: 13 });
    expect(result.message).toMatch(/Unexpected token/);
  });

  it('refuses imports, pointing at the line', () => {
    const result = compileCell("const x = 1;\nimport { createRng } from 'initbook';");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.at?.line).toBe(2);
  });

  it('positionOf counts 1-based lines and columns', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionOf('ab', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('cell options', () => {
  it('recognises the fence and parses options with defaults', () => {
    expect(isCellFence('ts', 'cell')).toBe(true);
    expect(isCellFence('ts', 'cell timeout=2000')).toBe(true);
    expect(isCellFence('ts', 'cellar')).toBe(false);
    expect(isCellFence('js', 'cell')).toBe(false);
    expect(parseCellOptions('cell')).toEqual({
      timeout: 5000,
      hidden: false,
      fold: false,
      autorun: false,
      exercise: null,
      static: false,
    });
    expect(parseCellOptions('cell timeout=10000 fold exercise=xavier-uniform')).toMatchObject({
      timeout: 10000,
      fold: true,
      exercise: 'xavier-uniform',
    });
  });

  it('rejects unknown or malformed options, saying what it expected', () => {
    expect(() => parseCellOptions('cell timeout=fast')).toThrow(/whole milliseconds/);
    expect(() => parseCellOptions('cell folded')).toThrow(/Unknown cell option "folded"/);
  });
});
