// @ts-check
/**
 * Rehype plugin, run before rehype-katex:
 * - checks every formula with KaTeX in strict mode, so a typo fails the build with the chapter and the
 *   source instead of shipping red text;
 * - wraps each display equation in `<div class="equation" id="eq-…">` with a numbered self-link, so any
 *   display equation can be linked by anchor. A first line `% eq: name` in the LaTeX gives the anchor
 *   `#eq-name`; otherwise equations are numbered `#eq-1`, `#eq-2`, … in page order.
 */
import katex from 'katex';

/** @param {any} node */
const classesOf = (node) =>
  Array.isArray(node.properties?.className) ? node.properties.className.map(String) : [];

/** @param {any} node @returns {string} */
const textOf = (node) =>
  node.type === 'text' ? node.value : (node.children ?? []).map(textOf).join('');

const NAME = /^\s*%\s*eq:\s*([a-z0-9][a-z0-9-]*)\s*$/m;

/** @param {string} tex @param {boolean} displayMode @param {any} file */
function check(tex, displayMode, file) {
  try {
    katex.renderToString(tex, { displayMode, throwOnError: true, strict: 'error' });
  } catch (error) {
    const where = file?.path ?? 'a chapter';
    throw new Error(`KaTeX cannot render ${JSON.stringify(tex)} in ${where}: ${String(error)}`);
  }
}

export default function rehypeEquations() {
  /** @param {any} tree @param {any} file */
  return (tree, file) => {
    let count = 0;
    const used = new Set();
    /** @param {any} parent */
    const walk = (parent) => {
      const children = parent.children ?? [];
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type !== 'element') continue;
        const classes = classesOf(node);
        if (classes.includes('math-inline')) {
          check(textOf(node), false, file);
          continue;
        }
        const code =
          node.tagName === 'pre'
            ? node.children?.find((/** @type {any} */ c) => c.tagName === 'code')
            : null;
        if (code && classesOf(code).includes('math-display')) {
          const tex = textOf(code);
          check(tex, true, file);
          count += 1;
          const id = `eq-${NAME.exec(tex)?.[1] ?? count}`;
          if (used.has(id)) throw new Error(`Duplicate equation anchor #${id} in ${file?.path}`);
          used.add(id);
          children[i] = {
            type: 'element',
            tagName: 'div',
            properties: { className: ['equation'], id },
            children: [
              {
                // Long equations scroll sideways on narrow screens; a tab stop lets keyboard users scroll.
                type: 'element',
                tagName: 'div',
                properties: {
                  className: ['equation-body'],
                  tabIndex: 0,
                  role: 'group',
                  ariaLabel: `Equation (${count})`,
                },
                children: [node],
              },
              {
                type: 'element',
                tagName: 'a',
                properties: {
                  className: ['equation-number'],
                  href: `#${id}`,
                  ariaLabel: `Link to equation (${count})`,
                },
                children: [{ type: 'text', value: `(${count})` }],
              },
            ],
          };
          continue;
        }
        walk(node);
      }
    };
    walk(tree);
  };
}
