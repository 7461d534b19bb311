/**
 * A caption as plain text, for a line in an exported image: typeset maths (KaTeX) is read from its
 * MathML as Unicode, so σ_w² stays σ_w² rather than the HTML rendering's characters twice over.
 *
 * @module
 */

const SUPERSCRIPTS: Readonly<Record<string, string>> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '+': '⁺',
  '-': '⁻',
  '−': '⁻',
  '(': '⁽',
  ')': '⁾',
  n: 'ⁿ',
  i: 'ⁱ',
  '*': '*',
  '∗': '*',
};
const SUBSCRIPTS: Readonly<Record<string, string>> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  '+': '₊',
  '-': '₋',
  '−': '₋',
  '(': '₍',
  ')': '₎',
};

/** Each character through the table, or `marker(text)` when one of them has no small form. */
function small(text: string, table: Readonly<Record<string, string>>, marker: string): string {
  const chars = [...text];
  return chars.every((c) => c in table)
    ? chars.map((c) => table[c]).join('')
    : `${marker}${chars.length > 1 ? `(${text})` : text}`;
}

function mathText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof Element)) return '';
  const parts = [...node.children].map(mathText);
  switch (node.localName) {
    case 'annotation':
      return '';
    case 'msup':
      return `${parts[0] ?? ''}${small(parts[1] ?? '', SUPERSCRIPTS, '^')}`;
    case 'msub':
      return `${parts[0] ?? ''}${small(parts[1] ?? '', SUBSCRIPTS, '_')}`;
    case 'msubsup':
      return `${parts[0] ?? ''}${small(parts[1] ?? '', SUBSCRIPTS, '_')}${small(parts[2] ?? '', SUPERSCRIPTS, '^')}`;
    case 'mfrac':
      return `${parts[0] ?? ''}/${parts[1] ?? ''}`;
    case 'msqrt':
      return `√(${parts.join('')})`;
    default:
      return node.children.length > 0 ? parts.join('') : (node.textContent ?? '');
  }
}

/** The element's text with its maths as Unicode, whitespace collapsed. */
export function plainText(element: Element): string {
  const copy = element.cloneNode(true) as Element;
  for (const math of copy.querySelectorAll('.katex')) {
    const mathml = math.querySelector('math');
    math.replaceWith(mathml ? mathText(mathml) : (math.textContent ?? ''));
  }
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
}
