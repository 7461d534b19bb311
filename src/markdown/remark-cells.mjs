// @ts-check
/**
 * Remark plugin for MDX: every fenced block marked ```` ```ts cell [options] ```` becomes a
 * `<Cell>` (components/cells/Cell.astro), which highlights the source, runs it at build time and makes
 * it live in the browser. Each cell gets the page, its fence's line and the cells above it (they share
 * state, so a cell's build output depends on them). Plain Markdown files keep the fence as code.
 *
 * A ```` ```python twin ```` fence directly after a cell is the cell's PyTorch twin: a script that
 * prints the numbers the cell shows. It becomes the cell's `pytorch` prop (its "Copy as PyTorch")
 * and leaves the page's flow; a twin anywhere else fails the build. Exercise cells have no twin: it
 * would give their solution away (tests/unit/cell-twins.test.ts checks every other cell has one).
 */
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMPONENT = fileURLToPath(new URL('../../components/cells/Cell.astro', import.meta.url));
const NAME = 'InitbookCell';

/** @param {unknown} lang @param {unknown} meta */
const isCell = (lang, meta) =>
  (lang === 'ts' || lang === 'typescript') && typeof meta === 'string' && /^cell(\s|$)/.test(meta);

/** @param {unknown} lang @param {unknown} meta */
const isTwin = (lang, meta) =>
  lang === 'python' && typeof meta === 'string' && meta.trim() === 'twin';

/** @param {string} name @param {string} value */
const attribute = (name, value) => ({ type: 'mdxJsxAttribute', name, value });

/** @param {string} from */
function importNode(from) {
  const value = `import ${NAME} from ${JSON.stringify(from)};`;
  return {
    type: 'mdxjsEsm',
    value,
    data: {
      estree: {
        type: 'Program',
        sourceType: 'module',
        body: [
          {
            type: 'ImportDeclaration',
            specifiers: [
              { type: 'ImportDefaultSpecifier', local: { type: 'Identifier', name: NAME } },
            ],
            source: { type: 'Literal', value: from, raw: JSON.stringify(from) },
            attributes: [],
          },
        ],
      },
    },
  };
}

export default function remarkCells() {
  /** @param {any} tree @param {any} file */
  return (tree, file) => {
    const path = typeof file?.path === 'string' ? file.path : '';
    if (!path.endsWith('.mdx')) return;
    const page = relative(process.cwd(), path).replaceAll('\\', '/');
    /** @type {{ source: string, meta: string, line: number }[]} */
    const above = [];
    /** @param {any} parent */
    const walk = (parent) => {
      const children = parent.children ?? [];
      for (let i = 0; i < children.length; i++) {
        const node = children[i];
        if (node.type === 'code' && isCell(node.lang, node.meta)) {
          const cell = {
            source: String(node.value),
            meta: String(node.meta),
            line: node.position?.start?.line ?? 0,
          };
          const next = children[i + 1];
          const twin = next?.type === 'code' && isTwin(next.lang, next.meta) ? next : null;
          if (twin && /(^|\s)exercise=/.test(cell.meta)) {
            throw new Error(
              `${page}:${twin.position?.start?.line ?? 0}: an exercise cell has no PyTorch twin (it would give the solution away); remove the python twin fence.`,
            );
          }
          children[i] = {
            type: 'mdxJsxFlowElement',
            name: NAME,
            attributes: [
              attribute('source', cell.source),
              attribute('meta', cell.meta),
              attribute('index', String(above.length)),
              attribute('page', page),
              attribute('line', String(cell.line)),
              attribute('above', JSON.stringify(above)),
              ...(twin ? [attribute('pytorch', String(twin.value))] : []),
            ],
            children: [],
            position: node.position,
          };
          if (twin) children.splice(i + 1, 1);
          above.push(cell);
        } else if (node.type === 'code' && isTwin(node.lang, node.meta)) {
          throw new Error(
            `${page}:${node.position?.start?.line ?? 0}: a python twin fence must come directly after the ts cell it mirrors.`,
          );
        } else if (node.children) walk(node);
      }
    };
    walk(tree);
    if (above.length === 0) return;
    let from = relative(dirname(path), COMPONENT).replaceAll('\\', '/');
    if (!from.startsWith('.')) from = `./${from}`;
    tree.children.unshift(importNode(from));
  };
}
