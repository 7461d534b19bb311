// @ts-check
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { writeFile } from 'node:fs/promises';
import { defineConfig } from 'astro/config';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import remarkCells from './src/markdown/remark-cells.mjs';
import rehypeEquations from './src/markdown/rehype-equations.mjs';
import rehypeTables from './src/markdown/rehype-tables.mjs';
import { headersFile } from './src/lib/csp.ts';

/** Sub-path hosting: `BASE=/some/path/ npm run build`. Always ends with a slash. */
const base = `/${(process.env.BASE ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');

/**
 * Writes `_headers` (the CSP with its framing rules, for hosts that read one) next to the pages.
 * @type {import('astro').AstroIntegration}
 */
const hostingHeaders = {
  name: 'initbook-hosting-headers',
  hooks: {
    'astro:build:done': async ({ dir }) => {
      await writeFile(new URL('_headers', dir), headersFile(base));
    },
  },
};

export default defineConfig({
  ...(process.env.SITE ? { site: process.env.SITE } : {}),
  base,
  trailingSlash: 'always',
  integrations: [mdx(), hostingHeaders],
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath, remarkCells],
      rehypePlugins: [rehypeEquations, [rehypeKatex, { strict: 'error' }], rehypeTables],
    }),
    // Two Shiki themes whose comment colours pass WCAG AA on their own backgrounds; CSS picks one.
    shikiConfig: {
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
    },
  },
  devToolbar: { enabled: false },
  vite: {
    optimizeDeps: { include: ['comlink'] },
    // Module workers, so a worker's dynamic imports (mathjs for the activation lab) stay separate chunks.
    worker: { format: 'es' },
    // No script is inlined into the HTML, so the CSP needs no 'unsafe-inline' or hashes for scripts.
    build: { assetsInlineLimit: 0 },
  },
});
