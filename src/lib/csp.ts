/**
 * The site's Content-Security-Policy, in one place: the layouts put it in a `<meta>` tag (so it holds
 * on any plain file server) and the build writes it, with the framing rules a `<meta>` policy cannot
 * carry, into `_headers` for hosts that read one (Netlify, Cloudflare Pages).
 *
 * Why each source is allowed:
 * - script-src 'self' 'wasm-unsafe-eval': every script is a file from the site (no inline scripts);
 *   Pagefind compiles its search index reader from a same-origin WebAssembly file.
 * - style-src 'self' 'unsafe-inline': KaTeX, Shiki and Observable Plot write `style` attributes and Plot
 *   adds `<style>` elements to each chart; their values are computed, never taken from a reader.
 *   Hashing them is not possible (they change with every redraw). Styles cannot run code.
 * - img-src blob:: the PNG export draws the chart's SVG through a blob: URL into a canvas.
 * - worker-src 'self': the figure engine and the cell runner are module workers under /_astro/.
 *
 * @module
 */

const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' blob:"],
  ['font-src', "'self'"],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['frame-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'self'"],
  ['form-action', "'self'"],
];

/** The policy for a `<meta http-equiv>` tag (browsers ignore frame-ancestors there, and warn). */
export function contentSecurityPolicy(): string {
  return DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');
}

/**
 * A `_headers` file for the site under `base` ("/" or "/some/path/"). Pages get the policy plus
 * `frame-ancestors 'self'`; `/embed/` pages get the policy with no frame-ancestors at all, so any page
 * (including a slide deck opened from file://, which `frame-ancestors *` would refuse) may frame them.
 * Rules are listed per path, not as one `/*` rule, because hosts join repeated headers from
 * overlapping rules and two policies would both be enforced.
 */
export function headersFile(base: string): string {
  const policy = contentSecurityPolicy();
  const page = [
    `  Content-Security-Policy: ${policy}; frame-ancestors 'self'`,
    '  X-Frame-Options: SAMEORIGIN',
  ];
  const embed = [`  Content-Security-Policy: ${policy}`];
  const rules: [string, string[]][] = [
    ['', page],
    ['index.html', page],
    ['404.html', page],
    ['chapters/*', page],
    ['embed/*', embed],
    [
      '*',
      ['  X-Content-Type-Options: nosniff', '  Referrer-Policy: strict-origin-when-cross-origin'],
    ],
  ];
  const lines = [
    '# Written by the build from src/lib/csp.ts for hosts that read _headers. Do not edit by hand.',
  ];
  for (const [path, headers] of rules) lines.push(`${base}${path}`, ...headers);
  return `${lines.join('\n')}\n`;
}
