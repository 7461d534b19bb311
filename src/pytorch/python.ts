/**
 * Python source pieces for the "Copy as PyTorch" scripts: literals that Python reads back as the
 * same double, and a small line builder.
 *
 * @module
 */

/**
 * A number as a Python literal that parses to the same double: JavaScript's shortest round-trip
 * form, which Python's float() reads exactly (both are correctly rounded). Integers stay integers.
 */
export function py(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (x === Infinity) return "float('inf')";
  if (x === -Infinity) return "-float('inf')";
  if (Object.is(x, -0)) return '-0.0';
  return String(x);
}

/** A Python string literal (double quotes, escaped). */
export function pyString(s: string): string {
  return JSON.stringify(s);
}

/** A Python list of numbers. */
export function pyList(xs: readonly number[]): string {
  return `[${xs.map(py).join(', ')}]`;
}

/** Joins lines into a script that ends with one newline, dropping runs of blank lines. */
export function script(lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out.at(-1) === '')) continue;
    out.push(line.replace(/\s+$/, ''));
  }
  while (out.at(-1) === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** Indents every non-empty line by `levels` × 4 spaces. */
export function indent(lines: readonly string[], levels = 1): string[] {
  const pad = ' '.repeat(4 * levels);
  return lines.map((l) => (l === '' ? l : pad + l));
}

/** A comment block, one `#` line per entry. */
export function comment(...lines: string[]): string[] {
  return lines.map((l) => (l === '' ? '#' : `# ${l}`));
}
