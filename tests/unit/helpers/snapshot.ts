/**
 * SVG snapshots, in the manner of Observable Plot's own tests: the chart is normalised (numbers
 * rounded, generated class names and ids renumbered) so the file changes only when the picture does.
 *
 * - Missing snapshot: written, and the test passes locally so it can be reviewed with `git diff`;
 *   under CI (CI=true) a missing snapshot fails, so CI never blesses an unreviewed picture.
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
  if (expected === actual) {
    if (existsSync(changedPath)) unlinkSync(changedPath);
    return null;
  }
  writeFileSync(changedPath, actual);
  return `Snapshot ${name}.svg changed; see tests/output/${name}-changed.svg (delete ${name}.svg to accept).`;
}
