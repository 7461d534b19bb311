import { describe, expect, it } from 'vitest';
import {
  MESSAGE_VERSION,
  SIZE_MESSAGE,
  embedQuery,
  iframeSnippet,
  readEmbedOptions,
  readSizeMessage,
  sizeMessage,
} from '../../src/figures/embed';
import { model } from '../../src/figures/variance-by-depth/model';
import { defaults, parseParams, type ParamsOf, type Schema } from '../../src/figures/params';

const schema = model.schema as Schema;

describe('embedQuery', () => {
  it('writes only the settings that differ from the schema defaults, then the display options', () => {
    const params = { ...defaults(schema), depth: 12, activation: 'tanh' } as ParamsOf<Schema>;
    const query = embedQuery(schema, params, 'vbd', {
      controls: false,
      present: true,
      theme: 'dark',
    });
    expect(query.toString()).toBe(
      'vbd.activation=tanh&vbd.depth=12&controls=0&mode=present&theme=dark',
    );
  });

  it('round-trips through the embed page parsing: same params, same options', () => {
    const params = {
      ...defaults(schema),
      inits: ['xavier_normal'],
      gain: 2,
      depth: 7,
    } as ParamsOf<Schema>;
    const options = { controls: true, present: false, theme: 'light' } as const;
    const query = embedQuery(schema, params, 'vbd', options);
    expect(parseParams(schema, query, 'vbd')).toEqual({ params, messages: [] });
    expect(readEmbedOptions(query)).toEqual(options);
  });

  it('reads unknown display options as the defaults', () => {
    expect(readEmbedOptions(new URLSearchParams('controls=no&mode=loud&theme=pink'))).toEqual({
      controls: true,
      present: false,
      theme: 'auto',
    });
  });
});

describe('iframeSnippet', () => {
  it('escapes attribute values and keeps the height in range', () => {
    const html = iframeSnippet({
      src: 'https://x.test/embed/a/?p.k="><script>&q=1',
      title: 'A "quoted" <title>',
      height: 1e9,
      resizeScript: 'https://x.test/embed-resize.js',
    });
    expect(html).toContain('src="https://x.test/embed/a/?p.k=&quot;>&lt;script>&amp;q=1"');
    expect(html).toContain('title="A &quot;quoted&quot; &lt;title>"');
    expect(html).toContain('height="20000"');
    expect(html).toContain('data-initbook-embed');
    expect(html).toContain('allow="fullscreen"');
    expect(html.split('\n')[1]).toBe(
      '<script src="https://x.test/embed-resize.js" async></script>',
    );
  });
});

describe('size messages', () => {
  it('reads its own messages back', () => {
    expect(sizeMessage(412.2)).toEqual({
      type: SIZE_MESSAGE,
      version: MESSAGE_VERSION,
      height: 413,
    });
    expect(readSizeMessage(sizeMessage(412.2))).toBe(413);
  });

  it.each([
    ['a string', 'initbook:embed-size 400'],
    ['null', null],
    ['another version', { type: SIZE_MESSAGE, version: 2, height: 400 }],
    ['another type', { type: 'resize', version: 1, height: 400 }],
    ['a text height', { type: SIZE_MESSAGE, version: 1, height: '400' }],
    ['NaN', { type: SIZE_MESSAGE, version: 1, height: Number.NaN }],
    ['a negative height', { type: SIZE_MESSAGE, version: 1, height: -5 }],
    ['a huge height', { type: SIZE_MESSAGE, version: 1, height: 1e7 }],
  ])('ignores %s', (_name, data) => {
    expect(readSizeMessage(data)).toBeNull();
  });
});
