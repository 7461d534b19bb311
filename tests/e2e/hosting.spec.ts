import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, builtPages, chapterPages, expect, test } from './fixtures';

const SUB_ORIGIN = process.env['E2E_SUB_ORIGIN'] ?? 'http://127.0.0.1:4322';
const SUB_BASE = '/initbook/sub/';

test('every built page has the CSP meta tag and no inline script', () => {
  const pages = builtPages();
  expect(pages.length).toBeGreaterThan(10);
  for (const path of pages) {
    const html = readFileSync(
      join(DIST, path.endsWith('/') || path === '' ? `${path}index.html` : path),
      'utf8',
    );
    expect(html, path).toContain('<meta http-equiv="Content-Security-Policy"');
    // Every <script> has a src, or is a data block (a figure's numbers, type application/json, which
    // a browser never runs): nothing for a policy without 'unsafe-inline' to refuse.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) {
      if (/\stype="application\/json"/.test(tag)) expect(tag, path).not.toMatch(/\ssrc=/);
      else expect(tag, path).toMatch(/\ssrc=/);
    }
  }
});

test('_headers frames embeds for anyone and chapter pages only from the site', () => {
  const headers = readFileSync(join(DIST, '_headers'), 'utf8');
  const rule = (path: string) =>
    headers.split(/\n(?=\/)/).find((r) => r.startsWith(`${path}\n`)) ?? '';
  expect(rule('/chapters/*')).toContain("frame-ancestors 'self'");
  expect(rule('/')).toContain("frame-ancestors 'self'");
  expect(rule('/embed/*')).toContain("default-src 'self'");
  expect(rule('/embed/*')).not.toContain('frame-ancestors');
  expect(rule('/embed/*')).not.toContain('X-Frame-Options');
});

test('the sitemap lists the home page and every chapter, under the base path', async ({
  request,
}) => {
  const root = await (await request.get('sitemap.xml')).text();
  const sub = await (await request.get(`${SUB_ORIGIN}${SUB_BASE}sitemap.xml`)).text();
  const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  expect(locs(root)).toEqual(['/', ...chapterPages().map((p) => `/${p}`)]);
  expect(locs(sub)).toEqual([SUB_BASE, ...chapterPages().map((p) => `${SUB_BASE}${p}`)]);
});

test('each chapter names its own social image, which the site serves', async ({
  watched: page,
  request,
}) => {
  for (const path of chapterPages()) {
    await page.goto(path);
    const image = await page.locator('meta[property="og:image"]').getAttribute('content');
    const slug = path.split('/')[1];
    expect(image).toBe(`/social/${slug}.svg`);
    const response = await request.get(image!);
    expect(response.status()).toBe(200);
    const title = (await page.locator('h1').textContent())!.trim();
    // The card carries the chapter title (the wrap may split it into lines).
    const svg = await response.text();
    expect(svg).toContain('<svg');
    for (const word of title.split(/\s+/).slice(0, 2)) {
      expect(svg).toContain(word.replace(/&/g, '&amp;'));
    }
    // Built without SITE: no absolute canonical URL is guessed.
    await expect(page.locator('link[rel="canonical"]')).toHaveCount(0);
  }
});
