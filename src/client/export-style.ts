/**
 * Makes a copy of a chart self-contained: colours, line widths and type that the live chart takes
 * from the page (CSS custom properties, light-dark() pairs, stylesheet rules) are written onto the
 * copy as concrete values, read in the page's light colours; fonts become generic families.
 *
 * @module
 */

/** Properties a stylesheet or a variable may set on chart elements, copied as computed. */
const PROPERTIES = [
  'fill',
  'stroke',
  'color',
  'stop-color',
  'stroke-width',
  'stroke-dasharray',
  'fill-opacity',
  'stroke-opacity',
  'font-size',
  'font-weight',
] as const;

const UNRESOLVED = /var\(|light-dark\(|env\(/;

/** The generic family for a font list: monospace stays monospace, everything else sans-serif. */
export function genericFont(family: string): string {
  return /mono|courier|consolas|menlo/i.test(family)
    ? 'ui-monospace, monospace'
    : 'system-ui, sans-serif';
}

/**
 * Runs `read` with the page in its light colours. Synchronous, so the page is never painted that
 * way: the colour scheme is restored before the browser could render.
 */
export function inLightColours<T>(read: () => T): T {
  const root = document.documentElement.style;
  const before = root.getPropertyValue('color-scheme');
  const priority = root.getPropertyPriority('color-scheme');
  root.setProperty('color-scheme', 'light', 'important');
  try {
    return read();
  } finally {
    if (before) root.setProperty('color-scheme', before, priority);
    else root.removeProperty('color-scheme');
  }
}

/**
 * Writes onto `copy` (a deep clone of `live`, same shape) every listed property the live element
 * sets for itself (one that differs from its parent's, or any at the root), and replaces every
 * attribute or inline style value that names a variable. Call inside {@link inLightColours}.
 */
export function resolveStyles(
  live: Element,
  copy: Element,
  parent: CSSStyleDeclaration | null = null,
): void {
  const root = parent === null;
  const computed = getComputedStyle(live);
  const style = (copy as SVGElement).style as CSSStyleDeclaration | undefined;
  for (const name of PROPERTIES) {
    const value = computed.getPropertyValue(name);
    const attribute = copy.getAttribute(name);
    const inline = style?.getPropertyValue(name) ?? '';
    const own = root || value !== parent.getPropertyValue(name);
    const unresolved = UNRESOLVED.test(attribute ?? '') || UNRESOLVED.test(inline);
    if (!own && !unresolved) continue;
    if (value) copy.setAttribute(name, value);
    style?.removeProperty(name);
  }
  // Any other inline declaration that names a variable takes its computed value.
  if (style) {
    for (const name of [...style]) {
      if (UNRESOLVED.test(style.getPropertyValue(name)))
        style.setProperty(name, computed.getPropertyValue(name));
    }
  }
  if (root || copy.hasAttribute('font-family') || style?.getPropertyValue('font-family')) {
    style?.removeProperty('font-family');
    copy.setAttribute('font-family', genericFont(computed.getPropertyValue('font-family')));
  }
  const liveChildren = live.children;
  const copyChildren = copy.children;
  for (let i = 0; i < liveChildren.length && i < copyChildren.length; i++) {
    resolveStyles(liveChildren[i]!, copyChildren[i]!, computed);
  }
}
