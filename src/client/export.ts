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

/** A self-contained copy of the chart: namespaced, sized, with explicit light colours. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.viewBox.baseVal;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width || svg.clientWidth));
  copy.setAttribute('height', String(height || svg.clientHeight));
  copy.setAttribute(
    'style',
    'color: #1f2328; background: #ffffff; font-family: system-ui, sans-serif',
  );
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

export function downloadSvg(svg: SVGSVGElement, filename: string): void {
  download(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), filename);
}

export async function downloadPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  const text = standaloneSvg(svg);
  const { width, height } = svg.viewBox.baseVal;
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round((width || svg.clientWidth) * scale);
    canvas.height = Math.round((height || svg.clientHeight) * scale);
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
