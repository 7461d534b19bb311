/**
 * Figure embeds: the URL of a figure's embed page for a given state and display options, the HTML an
 * instructor pastes, and the versioned size message an embed sends its parent (read by
 * public/embed-resize.js, which mirrors `readSizeMessage` in plain JavaScript). No DOM here.
 *
 * @module
 */
import { defaults, writeParams, type ParamsOf, type Schema } from './params';

/** The message an embed posts to its parent whenever its height changes. */
export const SIZE_MESSAGE = 'initbook:embed-size';
/** The message a parent posts to its embeds to ask for their height (it may load after them). */
export const PING_MESSAGE = 'initbook:embed-ping';
export const MESSAGE_VERSION = 1;
/** Heights outside this range (CSS pixels) are not believed. */
export const MIN_HEIGHT = 50;
export const MAX_HEIGHT = 20_000;

/**
 * Figures whose embed typesets formulas with KaTeX. Each has a page of its own,
 * src/pages/embed/<id>.astro, that loads KaTeX's stylesheet; every other embed loads none.
 */
export const EMBEDS_WITH_FORMULAS: readonly string[] = ['activation-lab'];

export interface EmbedOptions {
  /** Show the figure's controls (the default) or only the picture. */
  readonly controls: boolean;
  /** Presentation mode: large type, thick lines, high contrast. */
  readonly present: boolean;
  /** Follow the reader's system, or force a theme. */
  readonly theme: 'auto' | 'light' | 'dark';
}

export const DEFAULT_EMBED_OPTIONS: EmbedOptions = {
  controls: true,
  present: false,
  theme: 'auto',
};

/**
 * The embed page's query: the figure's settings that differ from the schema's defaults (the embed page
 * starts from those, not from a chapter's initial values), then the display options.
 */
export function embedQuery(
  schema: Schema,
  params: ParamsOf<Schema>,
  prefix: string,
  options: EmbedOptions = DEFAULT_EMBED_OPTIONS,
): URLSearchParams {
  const search = writeParams(schema, params, prefix, new URLSearchParams(), defaults(schema));
  if (!options.controls) search.set('controls', '0');
  if (options.present) search.set('mode', 'present');
  if (options.theme !== 'auto') search.set('theme', options.theme);
  return search;
}

/** The display options an embed page reads from its URL (anything unrecognised is the default). */
export function readEmbedOptions(search: URLSearchParams): EmbedOptions {
  const theme = search.get('theme');
  return {
    controls: search.get('controls') !== '0',
    present: search.get('mode') === 'present',
    theme: theme === 'light' || theme === 'dark' ? theme : 'auto',
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The HTML to paste: the iframe (allowed to go full screen, for the figure's "Full screen" button),
 * and the script that keeps its height in step with the figure.
 */
export function iframeSnippet(input: {
  readonly src: string;
  readonly title: string;
  readonly height: number;
  readonly resizeScript: string;
}): string {
  const height = Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, input.height)));
  return [
    `<iframe src="${escapeAttribute(input.src)}" title="${escapeAttribute(input.title)}" width="100%" height="${height}" style="border: 0; max-width: 100%" loading="lazy" allow="fullscreen" data-initbook-embed></iframe>`,
    `<script src="${escapeAttribute(input.resizeScript)}" async></script>`,
  ].join('\n');
}

export interface SizeMessage {
  readonly type: typeof SIZE_MESSAGE;
  readonly version: typeof MESSAGE_VERSION;
  readonly height: number;
}

export function sizeMessage(height: number): SizeMessage {
  return { type: SIZE_MESSAGE, version: MESSAGE_VERSION, height: Math.ceil(height) };
}

/** The height a message announces, or null when it is not a well-formed version-1 size message. */
export function readSizeMessage(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, version, height } = data as Record<string, unknown>;
  if (type !== SIZE_MESSAGE || version !== MESSAGE_VERSION) return null;
  if (typeof height !== 'number' || !Number.isFinite(height)) return null;
  if (height < MIN_HEIGHT || height > MAX_HEIGHT) return null;
  return Math.ceil(height);
}
