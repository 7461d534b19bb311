/**
 * Figure embeds: the URL of a figure's embed page for a given state and display options, the HTML an
 * instructor pastes, and the versioned messages an embed sends its parent: its height, and the keys a
 * slide deck acts on (read by public/embed-resize.js, which mirrors `readSizeMessage` and
 * `readKeyMessage` in plain JavaScript). No DOM here.
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
  /**
   * At most this tall (CSS pixels), for a slide: the frame stops growing there and the embed
   * scrolls inside it. The resize script reads `data-initbook-max-height`; the style holds it too.
   */
  readonly maxHeight?: number | undefined;
}): string {
  const clamp = (h: number) => Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, h)));
  const limit = input.maxHeight !== undefined ? clamp(input.maxHeight) : undefined;
  const height = Math.min(clamp(input.height), limit ?? MAX_HEIGHT);
  const cap = limit === undefined ? '' : `; max-height: ${limit}px`;
  const capAttribute = limit === undefined ? '' : ` data-initbook-max-height="${limit}"`;
  return [
    `<iframe src="${escapeAttribute(input.src)}" title="${escapeAttribute(input.title)}" width="100%" height="${height}" style="border: 0; max-width: 100%${cap}" loading="lazy" allow="fullscreen" data-initbook-embed${capAttribute}></iframe>`,
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

/**
 * The message an embed posts to its parent for a key a slide deck acts on, so that a presenter's
 * remote (PageUp, PageDown) and the arrows still move the deck while the reader's focus is inside
 * the embed. Same version and checks as the size message.
 */
export const KEY_MESSAGE = 'initbook:embed-key';

/** The keys an embed hands to its parent, with the legacy key codes decks still read. */
export const DECK_KEYS: Readonly<Record<string, number>> = {
  PageUp: 33,
  PageDown: 34,
  ' ': 32,
  ArrowLeft: 37,
  ArrowUp: 38,
  ArrowRight: 39,
  ArrowDown: 40,
};

export interface KeyMessage {
  readonly type: typeof KEY_MESSAGE;
  readonly version: typeof MESSAGE_VERSION;
  readonly key: string;
  readonly code: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
}

type KeyFields = Pick<KeyMessage, 'key' | 'code' | 'shiftKey' | 'ctrlKey' | 'altKey' | 'metaKey'>;

export function keyMessage(event: KeyFields): KeyMessage {
  const { key, code, shiftKey, ctrlKey, altKey, metaKey } = event;
  return {
    type: KEY_MESSAGE,
    version: MESSAGE_VERSION,
    key,
    code,
    shiftKey,
    ctrlKey,
    altKey,
    metaKey,
  };
}

/** The key a message carries, or null when it is not a well-formed version-1 key message. */
export function readKeyMessage(data: unknown): KeyFields | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, version, key, code, ...flags } = data as Record<string, unknown>;
  if (type !== KEY_MESSAGE || version !== MESSAGE_VERSION) return null;
  if (typeof key !== 'string' || !Object.hasOwn(DECK_KEYS, key)) return null;
  if (typeof code !== 'string' || code.length > 32) return null;
  const names = ['shiftKey', 'ctrlKey', 'altKey', 'metaKey'] as const;
  if (!names.every((n) => typeof flags[n] === 'boolean')) return null;
  const [shiftKey, ctrlKey, altKey, metaKey] = names.map((n) => flags[n] === true);
  return { key, code, shiftKey: shiftKey!, ctrlKey: ctrlKey!, altKey: altKey!, metaKey: metaKey! };
}

/** What the embed knows of the focused element, to tell whether it uses a key itself. */
export interface Focused {
  /** Lowercase tag name. */
  readonly tag: string;
  /** An input's type, lowercase. */
  readonly type?: string;
  readonly role?: string | null;
  readonly editable?: boolean;
}

const ARROWS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];

/**
 * Whether the focused element acts on this key itself (so the embed keeps it): text fields, selects
 * and scrollable regions use them all, a slider its arrows and PageUp/PageDown, a button, checkbox
 * or disclosure the space bar, radio buttons also the arrows. Anything else leaves them to the deck.
 */
export function focusedUsesKey(focused: Focused, key: string): boolean {
  const { tag, type = '', role = null, editable = false } = focused;
  if (editable || tag === 'textarea' || tag === 'select' || role === 'region') return true;
  if (tag === 'input') {
    if (type === 'range') return key !== ' ';
    if (type === 'radio') return key === ' ' || ARROWS.includes(key);
    if (['checkbox', 'button', 'submit', 'reset', 'color', 'file'].includes(type))
      return key === ' ';
    return true;
  }
  if (tag === 'button' || tag === 'summary') return key === ' ';
  return false;
}
