// Reports the JavaScript each built page loads up front (gzip), so growth is visible in review.
// It reports; it does not fail. Usage: npm run build && npm run size
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(process.argv[2] ?? 'dist');
if (!existsSync(dist)) {
  console.error(`No build at ${dist}: run npm run build first.`);
  process.exit(1);
}

const pages = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.html')) pages.push(full);
  }
};
walk(dist);

const gz = (file) => gzipSync(readFileSync(file)).length;
/** Scripts a page pulls in: <script src>, module imports of those, and modulepreload links. */
function scriptsOf(html, page) {
  const urls = new Set();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    urls.add(m[1]);
  for (const m of html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) {
    for (const i of m[1].matchAll(/from\s*"([^"]+)"|import\s*"([^"]+)"/g)) urls.add(i[1] ?? i[2]);
  }
  const base = process.env.BASE ? `/${process.env.BASE.replace(/^\/+|\/+$/g, '')}/` : '/';
  const files = new Set();
  const add = (url, from) => {
    const file = url.startsWith('/')
      ? join(dist, url.slice(base.length - 1))
      : resolve(dirname(from), url);
    if (!existsSync(file) || files.has(file)) return;
    files.add(file);
    // Follow static imports inside bundled modules.
    const code = readFileSync(file, 'utf8');
    for (const i of code.matchAll(
      /(?:^|[;\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g,
    )) {
      if (i[1].startsWith('.') || i[1].startsWith('/')) add(i[1], file);
    }
  };
  for (const url of urls) add(url, page);
  return [...files];
}

let rows = [];
for (const page of pages.sort()) {
  const files = scriptsOf(readFileSync(page, 'utf8'), page);
  const total = files.reduce((sum, f) => sum + gz(f), 0);
  rows.push({
    page: `/${relative(dist, page)}`,
    scripts: files.length,
    gzipKB: (total / 1024).toFixed(1),
  });
}
console.log('Up-front JavaScript per page (gzip; lazily loaded chunks are not counted):');
console.table(rows);
