/**
 * Where in a cell's static code the reader pressed, as a character offset into its text: the editor
 * that replaces the code opens with its caret there.
 *
 * @module
 */

/** The offset of the character boundary nearest to the viewport point (x, y) in `root`, if inside it. */
export function offsetAtPoint(root: Element, x: number, y: number): number | null {
  const doc = root.ownerDocument;
  let node: Node | null = null;
  let offset = 0;
  if (typeof doc.caretPositionFromPoint === 'function') {
    const position = doc.caretPositionFromPoint(x, y);
    node = position?.offsetNode ?? null;
    offset = position?.offset ?? 0;
  } else if (typeof doc.caretRangeFromPoint === 'function') {
    const range = doc.caretRangeFromPoint(x, y);
    node = range?.startContainer ?? null;
    offset = range?.startOffset ?? 0;
  }
  if (!node || !root.contains(node)) return null;
  // The text before that point: the highlighted code's text is the source, lines joined by "\n".
  const before = doc.createRange();
  before.setStart(root, 0);
  before.setEnd(node, offset);
  return before.toString().length;
}
