/**
 * A cell's output area on the page: a run's result, then what the run's timers and promises add
 * later. The worker caps the output (src/cells/output.ts); when it left something out, the note
 * that says how much gets a button that downloads the run's full output as plain text, made here
 * from the bytes the worker sent. Outputs are added a slice per frame, so even a thousand rich
 * outputs never hold up the page's answer to input.
 *
 * @module
 */
import { KEEP_CHARS, type Elided } from '../cells/output';
import type { LateOutput, RunResult } from '../cells/session';
import {
  elidedText,
  elidedView,
  errorView,
  itemView,
  noteView,
  resultView,
  type ViewNode,
} from '../cells/view';
import { renderView } from './cell-render';
import { download } from './export';

/** Outputs added per frame. */
const SLICE = 100;

/** After the next frame is drawn (or at once, in a hidden tab, which draws none). */
const nextFrame = () =>
  new Promise<void>((resolve) => {
    if (document.hidden) setTimeout(resolve, 0);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });

export class OutputArea {
  readonly #element: HTMLElement;
  /** Base of the download's file name. */
  readonly #name: string;
  /** The run shown; late output of any other run is ignored. */
  #run = 0;
  #text: Uint8Array<ArrayBuffer>[] = [];
  #elided: Elided | null = null;
  #note: HTMLElement | null = null;
  /** The "No output." note, replaced by the first late output. */
  #empty: Element | null = null;

  constructor(element: HTMLElement, name: string) {
    this.#element = element;
    this.#name = name;
  }

  /** Shows a run's result in place of what was there (a build-time output, an older run). */
  async show(result: RunResult): Promise<void> {
    const view = resultView(result);
    const nodes = view.length > 0 ? view : noteView('No output.');
    this.#element.replaceChildren();
    this.#element.dataset['origin'] = 'run';
    this.#run = result.run;
    this.#text = [];
    this.#elided = null;
    this.#note = null;
    const done = this.#add(nodes);
    this.#empty = view.length > 0 ? null : this.#element.firstElementChild;
    await done;
    this.#absorb(result.text, result.elided, this.#element.querySelector('.ib-out-elided'));
  }

  /** Adds late output; false when it belongs to a run no longer shown. */
  async append(late: LateOutput): Promise<boolean> {
    if (late.run !== this.#run) return false;
    const nodes = [...late.outputs.map(itemView), ...late.errors.map(errorView)];
    if (nodes.length > 0 || late.elided) {
      this.#empty?.remove();
      this.#empty = null;
    }
    let note = this.#note;
    if (late.elided && !note) {
      note = renderView([elidedView(late.elided)]).firstElementChild as HTMLElement;
      this.#element.append(note);
    }
    await this.#add(nodes);
    this.#absorb(late.text, late.elided, note);
    return true;
  }

  /** Shows a message instead of any output (the run was stopped, or its output cannot be shown). */
  message(text: string): void {
    const p = document.createElement('p');
    p.className = 'ib-out-error';
    p.textContent = text;
    this.#element.replaceChildren(p);
    this.#run = 0;
    this.#note = null;
    this.#empty = null;
  }

  async #add(nodes: readonly ViewNode[]): Promise<void> {
    for (let i = 0; i < nodes.length; i += SLICE) {
      if (i > 0) await nextFrame();
      this.#element.append(renderView(nodes.slice(i, i + SLICE)));
    }
  }

  #absorb(text: Uint8Array<ArrayBuffer>, elided: Elided | null, note: Element | null): void {
    if (text.length > 0) this.#text.push(text);
    if (!elided || !note) return;
    this.#elided = elided;
    if (!this.#note) {
      this.#note = note as HTMLElement;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Download full output (.txt)';
      button.addEventListener('click', () => this.#download());
      note.append(button);
    }
    const p = this.#note.querySelector('p');
    if (p) p.textContent = elidedText(elided);
  }

  #download(): void {
    const dropped = this.#elided?.dropped ?? 0;
    const parts: BlobPart[] = [...this.#text];
    if (dropped > 0) {
      parts.push(
        `… ${dropped} more lines not kept: this file holds the first ${KEEP_CHARS / 1e6} million characters.\n`,
      );
    }
    download(new Blob(parts, { type: 'text/plain;charset=utf-8' }), `${this.#name}-output.txt`);
  }
}
