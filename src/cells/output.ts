/**
 * What one run of a cell shows, capped so that a cell printing a million lines cannot freeze the
 * page: outputs are kept in order until {@link SHOW_ITEMS} items or {@link SHOW_CHARS} characters of
 * text; everything after that is only counted and kept as plain text (up to {@link KEEP_CHARS}
 * characters), for the reader to download. No output tree is built for what is left out.
 *
 * @module
 */
import { formatNumber, formatValue, inlineText, type OutputNode } from './format';

export type LogLevel = 'log' | 'info' | 'warn' | 'error';

export type OutputItem =
  | { readonly kind: 'log'; readonly level: LogLevel; readonly parts: readonly OutputNode[] }
  | { readonly kind: 'display'; readonly node: OutputNode }
  | { readonly kind: 'value'; readonly node: OutputNode };

/** At most this many outputs of a run are shown. */
export const SHOW_ITEMS = 1000;
/** At most this many characters of a run's output (as plain text) are shown. */
export const SHOW_CHARS = 100_000;
/** At most this many characters of plain text are kept for the download. */
export const KEEP_CHARS = 16_000_000;

/** What a run left out of its shown output, counted over the whole run so far. */
export interface Elided {
  /** Lines of plain text not shown. */
  readonly lines: number;
  /** Their size in UTF-8 bytes. */
  readonly bytes: number;
  /** Lines past {@link KEEP_CHARS}, not in the download either. */
  readonly dropped: number;
}

/** Output that has not been handed over yet. */
export interface OutputBatch {
  /** New outputs to show. */
  readonly outputs: readonly OutputItem[];
  /**
   * Plain text of the run's output (UTF-8, one line per output) once something was left out: the
   * first batch with `elided` carries the text of everything before it, later batches only their
   * own. Bytes, so the worker can hand them to the page without copying.
   */
  readonly text: Uint8Array<ArrayBuffer>;
  readonly elided: Elided | null;
}

/** Plain text of a shown node: strings as they are, other values on one line. */
const nodeText = (node: OutputNode) =>
  node.kind === 'string' ? node.text : inlineText(node, 1000);

/** Plain text of a value left out: a shallow summary, cheap for numbers and strings. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  return nodeText(formatValue(value, 1));
}

const encoder = new TextEncoder();

const prefix = (level: LogLevel) => (level === 'log' ? '' : `${level}: `);

/** Lines and UTF-8 bytes of a line of text (with its newline). */
function measure(text: string): { lines: number; bytes: number } {
  let lines = 1;
  let bytes = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines++;
    // Each half of a surrogate pair is two of the pair's four bytes.
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return { lines, bytes };
}

export class CappedOutput {
  #items: OutputItem[] = [];
  /** Text of the shown outputs, until something is left out. */
  #shownText: string[] = [];
  #text: string[] = [];
  #shownCount = 0;
  #shownChars = 0;
  #keptChars = 0;
  #lines = 0;
  #bytes = 0;
  #dropped = 0;

  get capped(): boolean {
    return this.#lines > 0;
  }

  log(level: LogLevel, args: readonly unknown[]): void {
    if (this.#room()) {
      const parts = args.map((a) => formatValue(a));
      const text = prefix(level) + parts.map(nodeText).join(' ');
      this.#add({ kind: 'log', level, parts }, text);
    } else this.#leaveOut(prefix(level) + args.map(valueText).join(' '));
  }

  show(kind: 'display' | 'value', value: unknown): void {
    if (this.#room()) {
      const node = formatValue(value);
      this.#add({ kind, node }, nodeText(node));
    } else this.#leaveOut(valueText(value));
  }

  /** Hands over what was added since the last call. */
  take(): OutputBatch {
    const batch: OutputBatch = {
      outputs: this.#items,
      text: encoder.encode(this.#text.length > 0 ? `${this.#text.join('\n')}\n` : ''),
      elided: this.capped
        ? { lines: this.#lines, bytes: this.#bytes, dropped: this.#dropped }
        : null,
    };
    this.#items = [];
    this.#text = [];
    return batch;
  }

  #room(): boolean {
    return !this.capped && this.#shownCount < SHOW_ITEMS && this.#shownChars < SHOW_CHARS;
  }

  #add(item: OutputItem, text: string): void {
    if (this.#shownChars + text.length > SHOW_CHARS) {
      this.#leaveOut(text);
      return;
    }
    this.#items.push(item);
    this.#shownText.push(text);
    this.#shownCount++;
    this.#shownChars += text.length;
    this.#keptChars += text.length;
  }

  #leaveOut(text: string): void {
    if (!this.capped) {
      // From now on the download needs the text of everything, shown or not.
      for (const line of this.#shownText) this.#text.push(line);
      this.#shownText = [];
    }
    const { lines, bytes } = measure(text);
    this.#lines += lines;
    this.#bytes += bytes;
    if (this.#keptChars + text.length <= KEEP_CHARS) {
      this.#text.push(text);
      this.#keptChars += text.length;
    } else this.#dropped += lines;
  }
}
