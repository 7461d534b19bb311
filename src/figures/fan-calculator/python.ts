/**
 * What Python prints: a float32 value as `f"{v:.8g}"` prints it (8 significant digits, exponent
 * form below 1e-4 or from 1e8, trailing zeros dropped), and the snippet that prints a module's
 * first values after `torch.manual_seed(seed)`, so the page and the reader's terminal show the
 * same characters.
 *
 * @module
 */

/** `format(v, '.8g')` for a finite number (a float32 value held as a double). */
export function formatG8(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  // The exponent after rounding to 8 digits decides the form, as in C's %g.
  const [mantissa, exp] = v.toExponential(7).split('e') as [string, string];
  const x = Number(exp);
  if (x < -4 || x >= 8) {
    const m = mantissa.replace(/\.?0+$/, '');
    const sign = x < 0 ? '-' : '+';
    return `${m}e${sign}${String(Math.abs(x)).padStart(2, '0')}`;
  }
  const fixed = v.toFixed(Math.max(0, 7 - x));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** How many leading values of each parameter the figure shows. */
export const FIRST_VALUES = 8;

/**
 * The Python that prints each parameter's first values as the figure shows them. For the default
 * CPU build the kernel choice must be made before torch is imported.
 */
export function pythonSnippet(call: string, seed: number, build: 'avx2' | 'default'): string {
  return [
    ...(build === 'default'
      ? ['import os', 'os.environ["ATEN_CPU_CAPABILITY"] = "default"  # before importing torch']
      : []),
    'import torch',
    'from torch import nn',
    '',
    `torch.manual_seed(${seed})`,
    `m = ${call}`,
    'for name, p in m.named_parameters():',
    `    print(name, [f"{v:.8g}" for v in p.detach().flatten()[:${FIRST_VALUES}].tolist()])`,
  ].join('\n');
}
