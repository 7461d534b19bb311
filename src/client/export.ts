/**
 * Figure exports: the figure as a standalone SVG or a PNG at slide resolution (light colours, with its
 * title, a caption, its settings and a credit, for slides and papers), and its data as CSV.
 * Everything is made in the page; nothing is uploaded.
 *
 * @module
 */
import { toCsv, type DataTable } from '../figures/types';
import { inLightColours, resolveStyles } from './export-style';

/** Saves a blob made in the page as a file (figure exports, a cell's full output). */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The words around the chart in an exported image. */
export interface ExportText {
  readonly title: string;
  /** One or two sentences saying what the chart shows. */
  readonly caption: string;
  /** The settings, `key = value · …`. */
  readonly parameters: string;
  /** "Initbook — <URL of this view>". */
  readonly credit: string;
}

/** Exported PNGs are at least this wide (a full-HD slide), and never less than twice the SVG. */
export const PNG_MIN_WIDTH = 1920;
const MIN_WIDTH = 480;
const PAD = 16;
const GAP = 10;
const INK = '#1f2328';
const MUTED = '#565e68';
const FONT = 'system-ui, sans-serif';

interface TextStyle {
  readonly size: number;
  readonly weight: number;
  readonly fill: string;
  /** Lines beyond this end in an ellipsis. */
  readonly maxLines: number;
}

const TITLE: TextStyle = { size: 20, weight: 700, fill: INK, maxLines: 2 };
const CAPTION: TextStyle = { size: 14, weight: 400, fill: INK, maxLines: 3 };
const SMALL: TextStyle = { size: 12, weight: 400, fill: MUTED, maxLines: 4 };

/** The drawn size of a panel: its viewBox, else its layout box. */
function sizeOf(svg: SVGSVGElement): { width: number; height: number } {
  const { width, height } = svg.viewBox.baseVal;
  return { width: width || svg.clientWidth, height: height || svg.clientHeight };
}

let measureContext: CanvasRenderingContext2D | null | undefined;

/** Text width in the export's font, from a canvas (an estimate where there is none). */
function textWidth(text: string, style: TextStyle): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * style.size * 0.55;
  measureContext.font = `${style.weight} ${style.size}px ${FONT}`;
  return measureContext.measureText(text).width;
}

/** Greedy line breaking at spaces; a word wider than a line (a URL) is cut where it must be. */
function wrapLines(text: string, width: number, style: TextStyle): string[] {
  const lines: string[] = [];
  let line = '';
  const push = (word: string): void => {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, style) <= width) {
      line = candidate;
      return;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (textWidth(rest, style) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && textWidth(rest.slice(0, cut), style) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  };
  // Only plain spaces break: a no-break space keeps `key = value` together.
  for (const word of text.split(/[ \t\n]+/).filter(Boolean)) push(word);
  if (line) lines.push(line);
  if (lines.length <= style.maxLines) return lines;
  const kept = lines.slice(0, style.maxLines);
  let last = kept.at(-1)!;
  while (last.length > 1 && textWidth(`${last}…`, style) > width) last = last.slice(0, -1);
  kept[kept.length - 1] = `${last.trimEnd()}…`;
  return kept;
}

/** Appends wrapped text at `y` (its top); returns the y under it. */
function appendText(
  root: SVGSVGElement,
  text: string,
  y: number,
  width: number,
  style: TextStyle,
): number {
  const lines = text ? wrapLines(text, width - 2 * PAD, style) : [];
  const lineHeight = Math.round(style.size * 1.3);
  for (const [i, line] of lines.entries()) {
    const node = document.createElementNS(SVG_NS, 'text');
    node.setAttribute('x', String(PAD));
    node.setAttribute('y', String(y + i * lineHeight + style.size));
    node.setAttribute('font-size', String(style.size));
    node.setAttribute('font-weight', String(style.weight));
    node.setAttribute('fill', style.fill);
    node.textContent = line;
    root.append(node);
  }
  return y + lines.length * lineHeight;
}

/**
 * A self-contained picture of the figure: its title and caption, its panels stacked top to bottom
 * (with concrete light colours on white), then its settings and a credit with the view's URL.
 */
export function standaloneSvg(
  panels: readonly SVGSVGElement[],
  words: ExportText,
): { root: SVGSVGElement; width: number; height: number } {
  const root = document.createElementNS(SVG_NS, 'svg');
  const width = Math.ceil(Math.max(MIN_WIDTH, ...panels.map((p) => sizeOf(p).width + 2 * PAD)));
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('font-family', FONT);
  root.setAttribute('style', `color: ${INK}; background: #ffffff`);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  root.append(background);
  let y = appendText(root, words.title, PAD, width, TITLE);
  y = appendText(root, words.caption, y + 4, width, CAPTION) + GAP;
  inLightColours(() => {
    for (const panel of panels) {
      const copy = panel.cloneNode(true) as SVGSVGElement;
      resolveStyles(panel, copy);
      const size = sizeOf(panel);
      copy.setAttribute('x', String(Math.round((width - size.width) / 2)));
      copy.setAttribute('y', String(y));
      copy.setAttribute('width', String(size.width));
      copy.setAttribute('height', String(size.height));
      root.append(copy);
      y += size.height;
    }
  });
  y = appendText(root, words.parameters, y + GAP, width, SMALL);
  y = appendText(root, words.credit, y + 4, width, SMALL) + PAD;
  const height = Math.ceil(y);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return { root, width, height };
}

const serialize = (root: SVGSVGElement): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;

export function downloadSvg(
  panels: readonly SVGSVGElement[],
  words: ExportText,
  filename: string,
): void {
  const { root } = standaloneSvg(panels, words);
  download(new Blob([serialize(root)], { type: 'image/svg+xml' }), filename);
}

/** The PNG is drawn from the SVG at slide resolution: at least {@link PNG_MIN_WIDTH} wide. */
export async function downloadPng(
  panels: readonly SVGSVGElement[],
  words: ExportText,
  filename: string,
): Promise<void> {
  const { root, width, height } = standaloneSvg(panels, words);
  const scale = Math.max(2, PNG_MIN_WIDTH / width);
  const pixels = { width: Math.round(width * scale), height: Math.round(height * scale) };
  // Sized in pixels, so the browser rasterizes the vector drawing at full resolution.
  root.setAttribute('width', String(pixels.width));
  root.setAttribute('height', String(pixels.height));
  const url = URL.createObjectURL(new Blob([serialize(root)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = pixels.width;
    canvas.height = pixels.height;
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
