/**
 * SVG snapshots, in the manner of Observable Plot's own tests: the chart is normalised (numbers
 * rounded, generated class names and ids renumbered) so the file changes only when the picture does.
 *
 * - Missing snapshot: written, and the test passes locally so it can be reviewed with `git diff`;
 *   under CI (CI=true) a missing snapshot fails, so CI never blesses an unreviewed picture.
 * - Numbers may differ by rounding noise (0.02 + 1e-4·|x|): the engine runs WebAssembly SIMD
 *   kernels (float32 sums) or TypeScript ones (float64 sums), and a coordinate a hair from a rounding
 *   boundary may round either way. Any other difference, in text or in a number, is a change.
 * - Mismatch: `<name>-changed.svg` is written beside it (git-ignored) and the test fails.
 * - Regenerate: delete tests/output/<name>.svg, run `npm run test:unit`, read the diff.
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = join(import.meta.dirname, '..', '..', 'output');

/** Rounds decimals, renumbers Plot's generated class names and clip/pattern ids. */
export function normaliseSvg(svg: string): string {
  const names = new Map<string, string>();
  const rename = (name: string): string => {
    if (!names.has(name)) names.set(name, `plot-${names.size + 1}`);
    return names.get(name)!;
  };
  return svg
    .replace(/plot-[0-9a-f]{4,}(?:-[\w-]+)?/g, (m) => rename(m))
    .replace(/-?\d+\.\d+(?:e-?\d+)?/g, (m) => {
      const n = Number(m);
      return String(Math.abs(n) < 1e-9 ? 0 : Number(n.toFixed(2)));
    })
    .replace(/></g, '>\n<');
}

const NUMBER = /-?\d+(?:\.\d+)?(?:e-?\d+)?/g;

/** Whether two normalised SVGs are the same picture: equal text, numbers equal up to rounding noise. */
export function samePicture(expected: string, actual: string): boolean {
  if (expected === actual) return true;
  const textE = expected.split(NUMBER);
  const textA = actual.split(NUMBER);
  if (textE.length !== textA.length || textE.some((t, i) => t !== textA[i])) return false;
  const numE = expected.match(NUMBER) ?? [];
  const numA = actual.match(NUMBER) ?? [];
  return numE.every((e, i) => {
    const a = Number(e);
    return Math.abs(a - Number(numA[i])) <= 0.02 + 1e-4 * Math.abs(a);
  });
}

/** Compares `svg` with tests/output/<name>.svg as described above; returns a failure message or null. */
export function checkSnapshot(name: string, svg: string): string | null {
  mkdirSync(OUTPUT, { recursive: true });
  const expectedPath = join(OUTPUT, `${name}.svg`);
  const changedPath = join(OUTPUT, `${name}-changed.svg`);
  const actual = normaliseSvg(svg);
  if (!existsSync(expectedPath)) {
    if (process.env['CI'])
      return `Snapshot ${name}.svg is missing; generate it locally and commit it.`;
    writeFileSync(expectedPath, actual);
    return null;
  }
  const expected = readFileSync(expectedPath, 'utf8');
  if (samePicture(expected, actual)) {
    if (existsSync(changedPath)) unlinkSync(changedPath);
    return null;
  }
  writeFileSync(changedPath, actual);
  return `Snapshot ${name}.svg changed; see tests/output/${name}-changed.svg (delete ${name}.svg to accept).`;
}
