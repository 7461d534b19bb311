import { describe, expect, it } from 'vitest';
import {
  KEY_MESSAGE,
  MESSAGE_VERSION,
  SIZE_MESSAGE,
  embedQuery,
  focusedUsesKey,
  iframeSnippet,
  keyMessage,
  readEmbedOptions,
  readKeyMessage,
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

describe('iframeSnippet with a height limit', () => {
  it('caps the first height, and writes the limit for the resize script and for CSS', () => {
    const html = iframeSnippet({
      src: 'https://x.test/embed/a/',
      title: 'A',
      height: 1400,
      resizeScript: 'https://x.test/embed-resize.js',
      maxHeight: 560.4,
    });
    expect(html).toContain('height="560"');
    expect(html).toContain('data-initbook-max-height="560"');
    expect(html).toContain('style="border: 0; max-width: 100%; max-height: 560px"');
  });
});

describe('key messages', () => {
  const page = {
    key: 'PageDown',
    code: 'PageDown',
    shiftKey: false,
    ctrlKey: false,
    altKey: true,
    metaKey: false,
  };

  it('reads its own messages back', () => {
    const message = keyMessage(page);
    expect(message).toEqual({ type: KEY_MESSAGE, version: MESSAGE_VERSION, ...page });
    expect(readKeyMessage(message)).toEqual(page);
  });

  it.each([
    ['null', null],
    ['another version', { ...keyMessage(page), version: 2 }],
    ['a key no deck needs', { ...keyMessage(page), key: 'a' }],
    ['an inherited key name', { ...keyMessage(page), key: 'toString' }],
    ['a text flag', { ...keyMessage(page), shiftKey: 'yes' }],
    ['a missing flag', { type: KEY_MESSAGE, version: 1, key: ' ', code: 'Space' }],
    ['a long code', { ...keyMessage(page), code: 'x'.repeat(40) }],
  ])('ignores %s', (_name, data) => {
    expect(readKeyMessage(data)).toBeNull();
  });
});

describe('focusedUsesKey', () => {
  it.each([
    [{ tag: 'input', type: 'range' }, 'ArrowRight', true],
    [{ tag: 'input', type: 'range' }, 'PageDown', true],
    [{ tag: 'input', type: 'range' }, ' ', false],
    [{ tag: 'select' }, 'ArrowDown', true],
    [{ tag: 'input', type: 'text' }, ' ', true],
    [{ tag: 'input', type: 'number' }, 'ArrowUp', true],
    [{ tag: 'textarea' }, 'PageUp', true],
    [{ tag: 'button' }, ' ', true],
    [{ tag: 'button' }, 'PageDown', false],
    [{ tag: 'button' }, 'ArrowRight', false],
    [{ tag: 'input', type: 'checkbox' }, ' ', true],
    [{ tag: 'input', type: 'checkbox' }, 'ArrowLeft', false],
    [{ tag: 'input', type: 'radio' }, 'ArrowLeft', true],
    [{ tag: 'summary' }, ' ', true],
    [{ tag: 'div', role: 'region' }, 'ArrowDown', true],
    [{ tag: 'div', editable: true }, 'ArrowLeft', true],
    [{ tag: 'a' }, 'PageDown', false],
    [{ tag: 'div' }, ' ', false],
  ])('%o uses %j: %s', (focused, key, uses) => {
    expect(focusedUsesKey(focused, key)).toBe(uses);
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
