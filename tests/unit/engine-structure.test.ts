/**
 * The engine's structure, as facts: no import cycles (type-only imports included), no file far
 * past 300 lines, and no DOM.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve('src/engine');

function files(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) return f === 'wasm' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file (value and type-only), resolved to files. */
function imports(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gm)) {
    let p = path.resolve(path.dirname(file), m[1]!);
    if (fs.existsSync(`${p}.ts`)) p = `${p}.ts`;
    else if (fs.existsSync(path.join(p, 'index.ts'))) p = path.join(p, 'index.ts');
    out.push(p);
  }
  return out;
}

/** Every cycle found by a depth-first search, as a list of relative paths. */
export function cycles(all: readonly string[]): string[][] {
  const graph = new Map(all.map((f) => [f, imports(f)]));
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (u: string): void => {
    state.set(u, 1);
    stack.push(u);
    for (const v of graph.get(u) ?? []) {
      if (state.get(v) === 1)
        found.push([...stack.slice(stack.indexOf(v)), v].map((x) => path.relative(ROOT, x)));
      else if (state.get(v) === undefined) visit(v);
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const f of all) if (state.get(f) === undefined) visit(f);
  return found;
}

describe('engine structure', () => {
  const all = files(ROOT);

  it('has no import cycles, type-only imports included', () => {
    expect(cycles(all)).toEqual([]);
  });

  it('the cycle finder finds a cycle (it can fail)', () => {
    const tmp = fs.mkdtempSync(path.join(ROOT, '..', '..', '.cycle-'));
    try {
      fs.writeFileSync(
        path.join(tmp, 'a.ts'),
        "import type { B } from './b';\nexport type A = B;\n",
      );
      fs.writeFileSync(
        path.join(tmp, 'b.ts'),
        "import { a } from './a';\nexport type B = typeof a;\n",
      );
      expect(cycles([path.join(tmp, 'a.ts'), path.join(tmp, 'b.ts')])).toHaveLength(1);
    } finally {
      fs.rmSync(tmp, { recursive: true });
    }
  });

  it('keeps every file under 360 lines (one concept each; about 300 is the aim)', () => {
    const long = all
      .map((f) => [path.relative(ROOT, f), fs.readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 360);
    expect(long).toEqual([]);
  });

  it('touches no DOM and no clock', () => {
    const code = (f: string): string =>
      fs
        .readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
    const bad = all.filter((f) =>
      /\b(document|window|Math\.random|Date\.now|performance\.now)\b/.test(code(f)),
    );
    expect(bad.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

describe('the public API', () => {
  it('lists its exports by name (no `export *`), and the cells see exactly it', async () => {
    const index = fs.readFileSync(path.join(ROOT, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/^export \* from/m);
    const engine = await import('../../src/engine/index');
    const { CELL_BUILTINS } = await import('../../src/cells/scope');
    expect(Object.keys(CELL_BUILTINS).sort()).toEqual(Object.keys(engine).sort());
  });

  it('keeps internals out: kernels, samplers, the batch helper, validation helpers', async () => {
    const engine = (await import('../../src/engine/index')) as Record<string, unknown>;
    for (const name of [
      'setBatchHelper',
      'propagateSharedSteps',
      'wasmNormalFill',
      'wasmNormalDeviates',
      'wasmMoments',
      'createKernels',
      'checkMemory',
      'positiveInt',
      'rawMoments',
      'fillInit',
    ]) {
      expect(engine[name], name).toBeUndefined();
    }
    for (const name of [
      'propagate',
      'propagateNetwork',
      'train',
      'initTensor',
      'createRng',
      'meanField',
    ]) {
      expect(typeof engine[name], name).toBe('function');
    }
  });
});
