import { describe, expect, it } from 'vitest';
import rehypeEquations from '../../src/markdown/rehype-equations.mjs';

type Node = {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: Node[];
};

const display = (tex: string): Node => ({
  type: 'element',
  tagName: 'pre',
  properties: {},
  children: [
    {
      type: 'element',
      tagName: 'code',
      properties: { className: ['language-math', 'math-display'] },
      children: [{ type: 'text', value: tex }],
    },
  ],
});
const inline = (tex: string): Node => ({
  type: 'element',
  tagName: 'code',
  properties: { className: ['language-math', 'math-inline'] },
  children: [{ type: 'text', value: tex }],
});

function run(children: Node[]): Node {
  const tree: Node = { type: 'root', children };
  (rehypeEquations as () => (tree: Node, file: unknown) => void)()(tree, { path: 'chapter.mdx' });
  return tree;
}

describe('rehype-equations', () => {
  it('wraps display equations with named or numbered anchors and a numbered self-link', () => {
    const tree = run([
      display('% eq: variance-of-sum\nn \\operatorname{Var}(w)'),
      display('a^2 + b^2'),
    ]);
    const [first, second] = tree.children!;
    expect(first!.properties).toMatchObject({ id: 'eq-variance-of-sum', className: ['equation'] });
    expect(second!.properties).toMatchObject({ id: 'eq-2' });
    const link = first!.children![1]!;
    expect(link.properties).toMatchObject({
      href: '#eq-variance-of-sum',
      ariaLabel: 'Link to equation (1)',
    });
    expect(link.children![0]!.value).toBe('(1)');
    // The formula itself is kept, inside a focusable group, for rehype-katex to render.
    expect(first!.children![0]!.properties).toMatchObject({
      tabIndex: 0,
      ariaLabel: 'Equation (1)',
    });
    expect(first!.children![0]!.children![0]!.tagName).toBe('pre');
  });

  it('fails the build on a formula KaTeX cannot render, naming the file and the source', () => {
    expect(() => run([display('\\frac{1}{')])).toThrow(/KaTeX cannot render .*chapter\.mdx/);
    expect(() =>
      run([{ type: 'element', tagName: 'p', children: [inline('\\notacommand x')] }]),
    ).toThrow(/notacommand/);
  });

  it('refuses two equations with the same anchor', () => {
    expect(() => run([display('% eq: same\nx'), display('% eq: same\ny')])).toThrow(
      /Duplicate equation anchor #eq-same/,
    );
  });
});

describe('rehype-tables', () => {
  it('wraps tables in a focusable, named, scrollable region', async () => {
    const { default: rehypeTables } = await import('../../src/markdown/rehype-tables.mjs');
    const cell = (tag: string, text: string): Node => ({
      type: 'element',
      tagName: tag,
      children: [{ type: 'text', value: text }],
    });
    const table: Node = {
      type: 'element',
      tagName: 'table',
      children: [
        {
          type: 'element',
          tagName: 'thead',
          children: [
            { type: 'element', tagName: 'tr', children: [cell('th', 'gain'), cell('th', 'std')] },
          ],
        },
        {
          type: 'element',
          tagName: 'tbody',
          children: [
            { type: 'element', tagName: 'tr', children: [cell('td', '1'), cell('td', '2')] },
          ],
        },
      ],
    };
    const tree: Node = {
      type: 'root',
      children: [{ type: 'element', tagName: 'section', children: [table] }],
    };
    (rehypeTables as () => (tree: Node) => void)()(tree);
    const wrap = tree.children![0]!.children![0]!;
    expect(wrap.tagName).toBe('div');
    expect(wrap.properties).toMatchObject({
      className: ['table-wrap'],
      role: 'region',
      tabIndex: 0,
      ariaLabel: 'Table: gain, std',
    });
    expect(wrap.children![0]).toBe(table);
  });

  it('names a table after what its header cells read, not KaTeX’s TeX source or hidden copy', async () => {
    const { default: rehypeTables } = await import('../../src/markdown/rehype-tables.mjs');
    const text = (value: string): Node => ({ type: 'text', value });
    const el = (tagName: string, children: Node[], properties = {}): Node => ({
      type: 'element',
      tagName,
      properties,
      children,
    });
    // What rehype-katex leaves in a header cell for $\sigma$.
    const katex = el('span', [
      el('span', [
        el('math', [el('semantics', [el('mi', [text('σ')]), el('annotation', [text('\\sigma')])])]),
      ]),
      el('span', [text('σ')], { ariaHidden: 'true' }),
    ]);
    const table = el('table', [
      el('tr', [el('th', [text('std '), katex]), el('th', [text('bound')])]),
    ]);
    const tree: Node = { type: 'root', children: [table] };
    (rehypeTables as () => (tree: Node) => void)()(tree);
    expect(tree.children![0]!.properties).toMatchObject({ ariaLabel: 'Table: std σ, bound' });
  });
});
