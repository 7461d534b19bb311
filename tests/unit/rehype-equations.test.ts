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
