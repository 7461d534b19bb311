/**
 * Running "Copy as PyTorch" scripts under Debian's python3-torch in tests, and reading back what
 * they print. Tests that need PyTorch skip, with the reason, where it is not installed
 * (scripts/ensure-torch.mjs installs it in CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';

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
