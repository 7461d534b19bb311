// @ts-check
/**
 * Rehype plugin: wraps every Markdown table in a horizontally scrollable region, so wide tables
 * scroll on phones instead of widening the page. The region is focusable and named after the
 * table's header row, so keyboard users can scroll it too (WCAG 2.1.1, axe scrollable-region-focusable).
 */

/**
 * The text a reader hears. KaTeX (which runs first) writes each formula twice, as MathML with its TeX
 * source in an `annotation` and as aria-hidden HTML: only the MathML is kept.
 * @param {any} node @returns {string}
 */
const textOf = (node) => {
  if (node.type === 'text') return node.value;
  if (node.tagName === 'annotation' || node.properties?.ariaHidden === 'true') return '';
  return (node.children ?? []).map(textOf).join('');
};

/** @param {any} table */
function headerText(table) {
  /** @type {any[]} */
  const stack = [table];
  while (stack.length > 0) {
    const node = stack.shift();
    if (node.tagName === 'tr') {
      const cells = (node.children ?? []).filter((/** @type {any} */ c) => c.tagName === 'th');
      if (cells.length > 0) return cells.map((/** @type {any} */ c) => textOf(c).trim()).join(', ');
    }
    stack.push(...(node.children ?? []));
  }
  return '';
}

export default function rehypeTables() {
  /** @param {any} tree */
  return (tree) => {
    /** @param {any} parent */
    const walk = (parent) => {
      const children = parent.children ?? [];
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type !== 'element') continue;
        if (node.tagName === 'table') {
          const header = headerText(node);
          children[i] = {
            type: 'element',
            tagName: 'div',
            properties: {
              className: ['table-wrap'],
              role: 'region',
              tabIndex: 0,
              ariaLabel: header ? `Table: ${header}` : 'Table',
            },
            children: [node],
          };
          continue;
        }
        walk(node);
      }
    };
    walk(tree);
  };
}
