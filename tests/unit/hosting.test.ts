import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, headersFile } from '../../src/lib/csp';
import { socialImage, wrapText } from '../../src/lib/social-image';

describe('contentSecurityPolicy', () => {
  it('allows only the site itself, and no inline or evaluated script', () => {
    const policy = contentSecurityPolicy();
    expect(policy).toContain("default-src 'self'");
    expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(policy).toContain("object-src 'none'");
    // A <meta> policy cannot carry frame-ancestors (browsers ignore it and warn).
    expect(policy).not.toContain('frame-ancestors');
  });
});

describe('headersFile', () => {
  const rules = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .reduce<[string, string[]][]>((all, line) => {
          if (line.startsWith('/')) all.push([line, []]);
          else all.at(-1)?.[1].push(line.trim());
          return all;
        }, []),
    );

  it('prefixes every path with the base, and frames embeds for anyone', () => {
    const sub = rules(headersFile('/initbook/sub/'));
    expect(Object.keys(sub)).toEqual([
      '/initbook/sub/',
      '/initbook/sub/index.html',
      '/initbook/sub/404.html',
      '/initbook/sub/chapters/*',
      '/initbook/sub/embed/*',
      '/initbook/sub/*',
    ]);
    expect(sub['/initbook/sub/chapters/*']).toContain(
      `Content-Security-Policy: ${contentSecurityPolicy()}; frame-ancestors 'self'`,
    );
    expect(sub['/initbook/sub/embed/*']).toEqual([
      `Content-Security-Policy: ${contentSecurityPolicy()}`,
    ]);
  });
});

describe('socialImage', () => {
  it('wraps long titles and ellipsizes what does not fit', () => {
    expect(wrapText('one two three four', 9, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('one two three four five six', 9, 2)).toEqual(['one two', '…']);
  });

  it('escapes the text it draws', () => {
    const svg = socialImage({ kicker: 'Chapter 1', title: 'A <b> & "c"', summary: 'x' });
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<b>');
  });
});
