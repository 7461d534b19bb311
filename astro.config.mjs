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

/**
 * `npm start` opens on the first chapter, whose figures are computed when it is first rendered
 * (about 2 s): the dev server renders it once as soon as it listens, so a reader who opens it finds
 * it ready.
 * @type {import('astro').AstroIntegration}
 */
const warmFirstChapter = {
  name: 'initbook-warm-first-chapter',
  hooks: {
    'astro:server:start': ({ address }) => {
      const listening = ['::', '0.0.0.0'].includes(address.address) ? 'localhost' : address.address;
      const host = listening.includes(':') ? `[${listening}]` : listening;
      fetch(`http://${host}:${address.port}${base}chapters/why-scale-matters/`).catch(() => {});
    },
  },
};

export default defineConfig({
  ...(process.env.SITE ? { site: process.env.SITE } : {}),
  base,
  trailingSlash: 'always',
  integrations: [mdx(), hostingHeaders, warmFirstChapter],
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
    // Every package the browser loads, listed so the dev server bundles them all at start: a
    // package found only when a reader first opens a cell or the lab would make Vite reload the
    // page (and lose what the reader typed).
    optimizeDeps: {
      include: [
        'comlink',
        'katex',
        'mathjs',
        '@observablehq/plot',
        'codemirror',
        '@codemirror/view',
        '@codemirror/state',
        '@codemirror/language',
        '@codemirror/lang-javascript',
        '@lezer/highlight',
        'sucrase/dist/index.js',
        'sucrase/dist/parser/index.js',
        'sucrase/dist/parser/tokenizer/index.js',
      ],
    },
    // The first chapter is what `npm start` opens on: transform it while the server starts.
    server: {
      warmup: {
        ssrFiles: ['./src/pages/chapters/[slug].astro', './src/pages/index.astro'],
        clientFiles: ['./src/client/figure-element.ts', './src/client/cell-element.ts'],
      },
    },
    // Module workers, so a worker's dynamic imports (mathjs for the activation lab) stay separate chunks.
    worker: { format: 'es' },
    // No script is inlined into the HTML, so the CSP needs no 'unsafe-inline' or hashes for scripts.
    build: {
      assetsInlineLimit: 0,
      rollupOptions: {
        // Astro marks MDX modules with its own "use astro:head-inject" directive and handles it
        // itself; the bundler's note that it may not keep module-level directives is not for us.
        onwarn(warning, warn) {
          if (
            warning.code === 'MODULE_LEVEL_DIRECTIVE' &&
            /astro:head-inject/.test(warning.message)
          )
            return;
          warn(warning);
        },
      },
    },
  },
});
