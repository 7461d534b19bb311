// @ts-check
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { defineConfig } from 'astro/config';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import remarkCells from './src/markdown/remark-cells.mjs';
import rehypeEquations from './src/markdown/rehype-equations.mjs';
import rehypeTables from './src/markdown/rehype-tables.mjs';

/** Sub-path hosting: `BASE=/some/path/ npm run build`. Always ends with a slash. */
const base = `/${(process.env.BASE ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');

export default defineConfig({
  ...(process.env.SITE ? { site: process.env.SITE } : {}),
  base,
  trailingSlash: 'always',
  integrations: [mdx()],
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
  },
});
