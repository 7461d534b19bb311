import { test as base, expect, type Page } from '@playwright/test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every browser test runs with two watchers on the page: console errors (and uncaught exceptions)
 * and requests that leave the origin. Either one fails the test after it ran.
 */
export const test = base.extend<{ watched: Page }>({
  watched: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (['data:', 'blob:', 'about:'].includes(url.protocol)) return;
      if (url.hostname !== '127.0.0.1') problems.push(`off-origin request: ${request.url()}`);
    });
    await use(page);
    expect(problems, 'console errors or off-origin requests').toEqual([]);
  },
});

export { expect };

/** The build the tests read from disk: dist, or E2E_DIST for a run against a build elsewhere. */
export const DIST = process.env['E2E_DIST'] ?? 'dist';

/** Every HTML page of a build, as site-relative paths ("", "chapters/x/", "404.html"). */
export function builtPages(dir = DIST): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.html')) {
        const rel = relative(dir, full).replaceAll('\\', '/');
        found.push(rel.endsWith('index.html') ? rel.slice(0, -'index.html'.length) : rel);
      }
    }
  };
  walk(dir);
  return found.sort();
}

/** Chapter pages of the build in course order (the `order` in each chapter's front matter). */
export function chapterPages(): string[] {
  const dir = 'content/chapters';
  return readdirSync(dir)
    .filter((name) => /\.mdx?$/.test(name))
    .map((name) => {
      const order = /^order:\s*(\d+)/m.exec(readFileSync(join(dir, name), 'utf8'))?.[1];
      return { path: `chapters/${name.replace(/\.mdx?$/, '')}/`, order: Number(order) };
    })
    .sort((a, b) => a.order - b.order)
    .map((c) => c.path);
}
