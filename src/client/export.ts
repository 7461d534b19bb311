/**
 * Figure exports: the chart as a standalone SVG or a 2× PNG (light colours, for slides and papers),
 * and its data as CSV. Everything is made in the page; nothing is uploaded.
 *
 * @module
 */
import { toCsv, type DataTable } from '../figures/types';

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The drawn size of a panel: its viewBox, else its layout box. */
function sizeOf(svg: SVGSVGElement): { width: number; height: number } {
  const { width, height } = svg.viewBox.baseVal;
  return { width: width || svg.clientWidth, height: height || svg.clientHeight };
}

/**
 * The chart colours are CSS variables with light and dark values (src/figures/palette.ts), which a
 * file on its own cannot resolve: each is replaced by its light value, read from a probe element in
 * the light scheme inside the chart (where the variables are defined).
 */
function resolveColors(copy: SVGSVGElement, within: Element): void {
  const probe = document.createElement('span');
  probe.style.colorScheme = 'light';
  within.append(probe);
  const resolved = new Map<string, string>();
  try {
    for (const element of [copy, ...copy.querySelectorAll('*')]) {
      for (const name of ['fill', 'stroke']) {
        const value = element.getAttribute(name);
        if (!value?.includes('var(')) continue;
        if (!resolved.has(value)) {
          probe.style.color = value;
          resolved.set(value, getComputedStyle(probe).color);
        }
        element.setAttribute(name, resolved.get(value)!);
      }
    }
  } finally {
    probe.remove();
  }
}

/**
 * A self-contained copy of the chart (its panels stacked top to bottom): namespaced, sized, with
 * explicit light colours on a white background.
 */
export function standaloneSvg(panels: readonly SVGSVGElement[]): {
  text: string;
  width: number;
  height: number;
} {
  const root = document.createElementNS(SVG_NS, 'svg');
  const width = Math.max(...panels.map((p) => sizeOf(p).width));
  const height = panels.reduce((sum, p) => sum + sizeOf(p).height, 0);
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute(
    'style',
    'color: #1f2328; background: #ffffff; font-family: system-ui, sans-serif',
  );
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  root.append(background);
  let y = 0;
  for (const panel of panels) {
    const copy = panel.cloneNode(true) as SVGSVGElement;
    resolveColors(copy, panel.parentElement ?? document.body);
    const size = sizeOf(panel);
    copy.setAttribute('y', String(y));
    copy.setAttribute('width', String(size.width));
    copy.setAttribute('height', String(size.height));
    root.append(copy);
    y += size.height;
  }
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
  return { text, width, height };
}

export function downloadSvg(panels: readonly SVGSVGElement[], filename: string): void {
  download(new Blob([standaloneSvg(panels).text], { type: 'image/svg+xml' }), filename);
}

export async function downloadPng(
  panels: readonly SVGSVGElement[],
  filename: string,
  scale = 2,
): Promise<void> {
  const { text, width, height } = standaloneSvg(panels);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw to a canvas');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the PNG could not be encoded');
    download(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function downloadCsv(table: DataTable, filename: string): void {
  download(new Blob([toCsv(table)], { type: 'text/csv' }), filename);
}
