import { describe, expect, it } from 'vitest';
import { CappedOutput, KEEP_CHARS, SHOW_CHARS, SHOW_ITEMS } from '../../src/cells/output';
import { createNodeRealm } from '../../src/cells/node-realm';
import { CELL_BUILTINS } from '../../src/cells/scope';
import { Session } from '../../src/cells/session';
import { elidedText, resultView, type ViewNode } from '../../src/cells/view';

/** The lines of a batch's text (UTF-8, each line ending with a newline). */
const lines = (text: Uint8Array) => new TextDecoder().decode(text).split('\n').slice(0, -1);
const text = (node: ViewNode): string =>
  typeof node === 'string' ? node : node.children.map(text).join('');

describe('CappedOutput', () => {
  it('shows the first 1,000 outputs and keeps the text of all of them for the download', () => {
    const output = new CappedOutput();
    for (let i = 0; i < 131_072; i++) output.log('log', [i / 4]);
    const batch = output.take();
    expect(SHOW_ITEMS).toBe(1000);
    expect(batch.outputs).toHaveLength(1000);
    expect(batch.outputs[999]).toEqual({
      kind: 'log',
      level: 'log',
      parts: [{ kind: 'number', text: '249.75' }],
    });
    const all = lines(batch.text);
    expect(all).toHaveLength(131_072);
    expect(all.slice(0, 3)).toEqual(['0', '0.25', '0.5']);
    expect(all.at(-1)).toBe('32768'); // five significant digits, as shown
    const left = all.slice(1000).join('\n').length + 1; // the lines and their newlines
    expect(batch.elided).toEqual({ lines: 130_072, bytes: left, dropped: 0 });
    expect(elidedText(batch.elided!)).toBe('… 130,072 more lines not shown (800\u00a0kB).');
  });

  it('sends no text while nothing is left out', () => {
    const output = new CappedOutput();
    output.log('warn', ['careful', 2]);
    output.show('value', { a: 1 });
    expect(output.take()).toMatchObject({ text: new Uint8Array(0), elided: null });
    expect(output.capped).toBe(false);
  });

  it('stops showing at the character budget, in order, and counts bytes and lines exactly', () => {
    const output = new CappedOutput();
    const long = 'x'.repeat(SHOW_CHARS * 0.6);
    output.log('log', [long]);
    output.log('log', [long]); // would pass the budget: left out, and so is everything after it
    output.log('log', ['short']);
    output.log('error', ['é€😀', 'two\nlines']);
    const batch = output.take();
    expect(batch.outputs).toHaveLength(1);
    // é is 2 bytes, € 3, 😀 4; each line ends with a newline.
    const bytes =
      long.length +
      1 +
      'short'.length +
      1 +
      'error: '.length +
      2 +
      3 +
      4 +
      ' two\nlines'.length +
      1;
    expect(batch.elided).toEqual({ lines: 4, bytes, dropped: 0 });
    expect(lines(batch.text)).toEqual([long, long, 'short', 'error: é€😀 two', 'lines']);
  });

  it('hands over only what is new, and stops keeping text past its limit', () => {
    const output = new CappedOutput();
    for (let i = 0; i < SHOW_ITEMS + 1; i++) output.log('log', ['a']);
    expect(lines(output.take().text)).toHaveLength(SHOW_ITEMS + 1);
    output.show('display', 'later');
    const later = output.take();
    expect(lines(later.text)).toEqual(['later']);
    expect(later).toMatchObject({ outputs: [], elided: { lines: 2, bytes: 8, dropped: 0 } });
    output.log('log', ['y'.repeat(KEEP_CHARS)]);
    expect(output.take()).toMatchObject({
      text: new Uint8Array(0),
      elided: { lines: 3, dropped: 1 },
    });
  });
});

describe('a cell that prints a 256×512 layer, one weight a line', () => {
  it('runs, shows 1,000 lines, the note, and keeps every line for the download', () => {
    const session = new Session(createNodeRealm(10_000), CELL_BUILTINS);
    const result = session.run(
      0,
      [
        "const w = initTensor([256, 512], { name: 'kaiming_uniform' }, createRng(7));",
        'for (const v of w) console.log(v);',
        'w.length',
      ].join('\n'),
    );
    expect(result.ok).toBe(true);
    expect(result.outputs).toHaveLength(1000);
    // 131,072 weights and the cell's value, past the cap: in the download, not on the page.
    expect(result.elided?.lines).toBe(130_073);
    const all = lines(result.text);
    expect(all).toHaveLength(131_073);
    expect(all.at(-1)).toBe('131072');
    const view = resultView(result).map(text);
    expect(view).toHaveLength(1001);
    expect(view[1000]).toMatch(/^… 130,073 more lines not shown \(\d\.\d\u00a0MB\)\.$/);
  });
});
