/**
 * Running "Copy as PyTorch" scripts under Debian's python3-torch in tests, and reading back what
 * they print. Tests that need PyTorch skip, with the reason, where it is not installed
 * (scripts/ensure-torch.mjs installs it in CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export const PYTHON = '/usr/bin/python3';

/** The torch version, or undefined when `import torch` fails. */
export function torchVersion(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Runs a script and returns what it printed (throws with its stderr when it fails).
 * @param kernel - 'default' runs PyTorch's non-vectorized CPU kernels (ATEN_CPU_CAPABILITY=default),
 *   as builds without AVX2 do
 */
export function runPython(script: string, kernel: 'avx2' | 'default' = 'avx2'): string {
  const env = {
    ...process.env,
    ...(kernel === 'default' ? { ATEN_CPU_CAPABILITY: 'default' } : {}),
  };
  return execFileSync(PYTHON, ['-'], { input: script, encoding: 'utf8', env, maxBuffer: 1 << 26 });
}

/** One run's printout: its label, layer 1's first weights and the rows of per-layer numbers. */
export interface PrintedRun {
  readonly label: string;
  readonly firstWeights: number[];
  readonly rows: { readonly layer: number; readonly values: number[] }[];
}

/** Parses the printout of a stack script (src/pytorch/stack-script.ts). */
export function parseStackOutput(text: string): PrintedRun[] {
  const runs: {
    label: string;
    firstWeights: number[];
    rows: { layer: number; values: number[] }[];
  }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const current = runs.at(-1);
    if (!line.startsWith(' ')) runs.push({ label: line, firstWeights: [], rows: [] });
    else if (line.includes('first weights')) {
      current!.firstWeights = JSON.parse(line.slice(line.indexOf('['))) as number[];
    } else if (/^\s+\d+\s/.test(line)) {
      const [layer, ...values] = line.trim().split(/\s+/).map(Number);
      current!.rows.push({ layer: layer!, values });
    }
  }
  return runs;
}

/** |a − b| within a relative tolerance (and an absolute floor, for values near zero). */
export function close(a: number, b: number, rel: number, abs = 0): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

/** What a set of scripts printed under PyTorch, committed beside the scripts' hashes. */
export interface ScriptFixture {
  readonly torch: string;
  readonly cases: Record<string, { readonly sha256: string; readonly output: string }>;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * The committed printouts in `file`. With UPDATE_PYTORCH_FIXTURES=1 (scripts/pytorch-fixtures.sh)
 * it first runs every script of `scripts()` under python3-torch and rewrites the file.
 */
export function scriptFixture(
  file: string,
  scripts: () => Record<string, { readonly script: string; readonly kernel: 'avx2' | 'default' }>,
): ScriptFixture {
  if (process.env['UPDATE_PYTORCH_FIXTURES'] === '1') {
    const torch = torchVersion();
    if (!torch) throw new Error('UPDATE_PYTORCH_FIXTURES needs python3-torch');
    const cases = Object.fromEntries(
      Object.entries(scripts()).map(([name, { script, kernel }]) => [
        name,
        { sha256: sha256(script), output: runPython(script, kernel) },
      ]),
    );
    fs.writeFileSync(file, `${JSON.stringify({ torch, cases }, null, 1)}\n`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ScriptFixture;
}
