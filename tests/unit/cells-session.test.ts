import { describe, expect, it } from 'vitest';
import { createNodeRealm } from '../../src/cells/node-realm';
import { CELL_BUILTINS } from '../../src/cells/scope';
import { Session } from '../../src/cells/session';

const session = () => new Session(createNodeRealm(2000), CELL_BUILTINS);

describe('Session', () => {
  it('returns the last expression’s value and captures console output in order', () => {
    const result = session().run(0, "console.log('first', 1);\nconst x = 2 + 3;\nx * 2");
    expect(result.ok).toBe(true);
    expect(result.outputs).toEqual([
      {
        kind: 'log',
        level: 'log',
        parts: [
          { kind: 'string', text: 'first' },
          { kind: 'number', text: '1' },
        ],
      },
      { kind: 'value', node: { kind: 'number', text: '10' } },
    ]);
  });

  it('shows nothing for a cell that ends with a declaration, and display() adds outputs', () => {
    const result = session().run(0, 'display(1);\ndisplay("two");\nconst y = 3;');
    expect(result.outputs.map((o) => o.kind)).toEqual(['display', 'display']);
  });

  it('has the engine API in scope, with the same numbers as calling the engine directly', () => {
    const result = session().run(
      0,
      "const { fanIn, fanOut } = computeFans([128, 64, 3, 3]);\n({ fanIn, fanOut, gain: calculateGain('relu') })",
    );
    expect(result.outputs[0]).toMatchObject({
      node: {
        kind: 'tree',
        entries: [
          ['fanIn', { text: '576' }],
          ['fanOut', { text: '1152' }],
          ['gain', { text: '1.4142' }],
        ],
      },
    });
  });

  it('shares top-level bindings with later cells only, in page order', () => {
    const s = session();
    expect(s.run(0, 'const n = 4;\nfunction twice(x: number) { return 2 * x; }').ok).toBe(true);
    expect(s.run(1, 'twice(n) + 1').outputs[0]).toMatchObject({ node: { text: '9' } });
    // A later cell may declare the same name again: it shadows the earlier one.
    expect(s.run(2, 'const n = 10;\nn').outputs[0]).toMatchObject({ node: { text: '10' } });
    expect(s.run(3, 'n').outputs[0]).toMatchObject({ node: { text: '10' } });
    // An earlier cell does not see bindings of cells below it.
    const early = s.run(0, 'typeof twice === "function" ? n : -1');
    expect(early.outputs[0]).toMatchObject({ node: { text: '-1' } });
  });

  it('carries an earlier binding reassigned by a later cell forward', () => {
    const s = session();
    s.run(0, 'let total = 1;');
    s.run(1, 'total += 41;');
    expect(s.run(2, 'total').outputs[0]).toMatchObject({ node: { text: '42' } });
  });

  it('maps a runtime error to the line of the reader’s TypeScript', () => {
    const result = session().run(
      4,
      'const a: number = 1;\ntype T = { x: number };\nconst o = null as unknown as T;\no.x + a',
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ kind: 'runtime', name: 'TypeError', at: { line: 4 } });
  });

  it('finds the cell’s line when the error is thrown inside the engine', () => {
    const result = session().run(
      0,
      "// bad depth\npropagate({ depth: -1, width: 4, batch: 2, activation: 'relu', seed: 1 })",
    );
    expect(result.ok).toBe(false);
    expect(result.error?.at?.line).toBe(2);
    expect(result.error?.message).toMatch(/depth/);
  });

  it('reports a syntax error before running anything', () => {
    const result = session().run(0, "console.log('ran');\nconst = 3;");
    expect(result.outputs).toEqual([]);
    expect(result.error).toMatchObject({ kind: 'syntax', at: { line: 2 } });
  });

  it('locates a name declared twice (an error sucrase lets through)', () => {
    const result = session().run(0, 'const a = 1;\nconst b = 2;\nlet a = 3;');
    expect(result.error).toMatchObject({ kind: 'syntax', at: { line: 3, column: 5 } });
  });

  it('cannot reach the build’s globals', () => {
    const result = session().run(
      0,
      'typeof process + " " + typeof require + " " + typeof document',
    );
    expect(result.outputs[0]).toMatchObject({ node: { text: 'undefined undefined undefined' } });
  });

  it('stops an endless loop at the time limit (build realm)', () => {
    const realm = createNodeRealm(200);
    const s = new Session(realm, CELL_BUILTINS);
    expect(() => s.run(0, 'while (true) {}')).toThrow(/timed out/);
  });

  it('returns a checked, plain plot spec from plot()', () => {
    const result = session().run(
      0,
      "plot({ marks: [{ type: 'line', data: [{ l: 1, v: 2 }], x: 'l', y: 'v' }], y: { type: 'log' } })",
    );
    expect(result.outputs[0]).toEqual({
      kind: 'value',
      node: {
        kind: 'plot',
        spec: {
          marks: [{ type: 'line', data: [{ l: 1, v: 2 }], x: 'l', y: 'v' }],
          y: { type: 'log' },
        },
      },
    });
    const bad = session().run(0, "plot({ marks: [{ type: 'pie', data: [] }] })");
    expect(bad.error?.message).toMatch(/must be one of line/);
  });
});
