import type { APIRoute } from 'astro';
import { chaptersInOrder } from '../lib/chapters';
import { chapterHref, withBase } from '../lib/paths';

/**
 * The sitemap: the home page and every chapter (embeds are parts of pages, not pages to list). With
 * SITE set the URLs are absolute, as the sitemap protocol wants; without it they are paths from the
 * host's root (base included), which a crawler cannot use: set SITE when deploying.
 */
export const GET: APIRoute = async ({ site }) => {
  const chapters = await chaptersInOrder();
  const paths = [withBase('/'), ...chapters.map((c) => chapterHref(c.id))];
  const url = (path: string) => (site ? new URL(path, site).href : path);
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    ...(site
      ? []
      : ['<!-- Relative URLs: build with SITE=https://your.host to make them absolute. -->']),
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...paths.map((p) => `  <url><loc>${url(p)}</loc></url>`),
    '</urlset>',
    '',
  ].join('\n');
  return new Response(body, { headers: { 'content-type': 'application/xml' } });
};
