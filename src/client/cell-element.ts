/**
 * `<ib-cell>`: the live side of components/cells/Cell.astro. The build already shows the highlighted
 * source and the output; this element adds Run and Reset, swaps in the editor when the reader
 * focuses the code (CodeMirror and the cell worker load only then), keeps edits in localStorage, and
 * marks outputs that no longer match the code above them ("stale").
 *
 * @module
 */
import { hashSource } from '../cells/hash';
import type { LateOutput, RunResult } from '../cells/session';
import { offsetAtPoint } from './cell-caret';
import { copyScript } from './copy-script';
import type { CellEditor } from './cell-editor';
import type { OutputArea } from './cell-output';
import type { CellHandle, CellRunner } from './cell-runner';
import { readEdit, writeEdit } from './cell-store';

/** The page's cells in page order, and its runner once a cell has run. */
const cells: CellElement[] = [];
let runner: Promise<CellRunner> | null = null;

function getRunner(): Promise<CellRunner> {
  runner ??= import('./cell-runner').then(
    ({ CellRunner }) => new CellRunner(() => cells.map((c) => c.handle), updateStale),
  );
  return runner;
}

let loadedRunner: CellRunner | null = null;

/** What a cell's output was computed from: its own code and the code of every cell above it. */
function signature(index: number): string {
  const parts = cells
    .filter((c) => c.index <= index)
    .map((c) =>
      c.index === index ? c.source() : (loadedRunner?.ranSource(c.index) ?? c.source()),
    );
  return hashSource(parts.join('\u0000'));
}

function updateStale(): void {
  for (const cell of cells) cell.refreshStale();
}

class CellElement extends HTMLElement {
  index = 0;
  #original = '';
  #text = '';
  #key = '';
  #label = '';
  #editor: CellEditor | null = null;
  #editorLoading: Promise<CellEditor> | null = null;
  #outputSignature = '';
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #version = 0;
  /** Where the reader pressed in the static code: the editor's caret starts there. */
  #caret = 0;
  /** The output area, loaded with the first run's result. */
  #area: Promise<OutputArea> | null = null;
  #outputQueue: Promise<void> = Promise.resolve();
  /** The status of the run shown, to say when its late code threw. */
  #ran = '';

  readonly handle: CellHandle = {
    index: 0,
    label: '',
    timeout: 5000,
    exercise: null,
    source: () => this.source(),
    started: (message) => this.#started(message),
    finished: (result, source) => this.#finished(result, source),
    late: (output) => this.#late(output),
    stopped: (message) => this.#stopped(message),
  };

  connectedCallback(): void {
    if (this.#key) return;
    this.index = Number(this.dataset['index'] ?? 0);
    this.#original = this.dataset['source'] ?? '';
    this.#text = this.#original;
    this.#label = this.dataset['label'] ?? `Code cell ${this.index + 1}`;
    this.#key = `${location.pathname}#${this.index}`;
    Object.assign(this.handle, {
      index: this.index,
      label: this.#label,
      timeout: Number(this.dataset['timeout'] ?? 5000),
      exercise: this.dataset['exercise'] || null,
    });
    cells.push(this);
    cells.sort((a, b) => a.index - b.index);

    for (const hidden of this.querySelectorAll<HTMLElement>('[data-js-only]'))
      hidden.hidden = false;
    this.#outputSignature = hashSource(
      [...cells.filter((c) => c.index < this.index).map((c) => c.#original), this.#original].join(
        '\u0000',
      ),
    );
    if (this.dataset['static'] === 'skipped') this.#outputSignature = '';
    this.#restoreEdit();

    this.addEventListener('click', (event) => this.#onClick(event));
    const pre = this.#pre();
    if (pre) {
      pre.addEventListener('focus', () => void this.#openEditor(true));
      pre.addEventListener('pointerdown', (event) => {
        this.#caret = offsetAtPoint(pre, event.clientX, event.clientY) ?? 0;
        void this.#openEditor(true);
      });
      pre.addEventListener('keydown', (event) => this.#onKey(event));
    }
    updateStale();
    if (this.dataset['autorun'] !== undefined) void this.run();
  }

  source(): string {
    return this.#editor?.text() ?? this.#text;
  }

  #pre(): HTMLElement | null {
    return this.querySelector<HTMLElement>('.ib-cell-source pre');
  }

  #part<T extends HTMLElement = HTMLElement>(name: string): T | null {
    return this.querySelector<T>(`.ib-cell-${name}`);
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.shiftKey || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.run();
    }
  }

  #onClick(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || !this.contains(button)) return;
    const action = button.dataset['action'];
    if (action === 'run') void this.run();
    else if (action === 'reset') this.#setText(this.#original);
    else if (action === 'restore') {
      const stored = readEdit(this.#key);
      if (stored) this.#setText(stored.source);
      this.#showNotice(null);
    } else if (action === 'discard') {
      writeEdit(this.#key, null);
      this.#showNotice(null);
    } else if (action === 'copy-pytorch') void this.#copyPytorch();
  }

  /** The PyTorch twin as the build wrote it: it mirrors the original code, not an edit. */
  async #copyPytorch(): Promise<void> {
    const code = this.querySelector<HTMLElement>('.ib-pytorch-code');
    const status = this.querySelector<HTMLElement>('.ib-copy-status');
    if (!code || !status) return;
    await copyScript(code.textContent ?? '', status, code);
  }

  /** Applies a stored edit, or says why it was set aside. */
  #restoreEdit(): void {
    const stored = readEdit(this.#key);
    if (!stored || stored.source === this.#original) return;
    if (stored.original === hashSource(this.#original)) {
      this.#setText(stored.source, false);
      return;
    }
    this.#showNotice(
      'The original code of this cell has changed since you edited it, so your edit was set aside and the new original is shown.',
    );
  }

  #showNotice(text: string | null): void {
    const notice = this.#part('notice');
    const message = notice?.querySelector('p');
    if (!notice || !message) return;
    notice.hidden = text === null;
    message.textContent = text ?? '';
  }

  #setText(text: string, save = true): void {
    if (this.#editor) this.#editor.setText(text);
    else {
      this.#text = text;
      const code = this.#pre()?.querySelector('code') ?? this.#pre();
      // The static highlighting fits the original only; an edit shows as plain text until the editor opens.
      if (code) code.textContent = text;
    }
    if (save) this.#save(text);
    this.#afterChange(text);
  }

  #afterChange(text: string): void {
    const reset = this.querySelector<HTMLButtonElement>('button[data-action="reset"]');
    if (reset) reset.disabled = text === this.#original;
    const edited = this.#part('edited');
    if (edited) edited.hidden = text === this.#original;
    const twinNote = this.#part('twin-note');
    if (twinNote) twinNote.hidden = text === this.#original;
    updateStale();
  }

  #save(text: string): void {
    writeEdit(
      this.#key,
      text === this.#original ? null : { original: hashSource(this.#original), source: text },
    );
  }

  async #openEditor(focus: boolean): Promise<CellEditor | null> {
    const host = this.#part('source');
    const pre = this.#pre();
    if (!host || !pre) return null;
    this.#editorLoading ??= import('./cell-editor').then(({ createCellEditor }) => {
      const mount = document.createElement('div');
      mount.className = 'ib-cell-editor';
      const editor = createCellEditor(mount, {
        doc: this.#text,
        caret: this.#caret,
        label: `${this.#label}: TypeScript code`,
        describedBy: `${this.id}-hint`,
        onRun: () => void this.run(),
        onChange: (text) => {
          clearTimeout(this.#saveTimer);
          this.#saveTimer = setTimeout(() => this.#save(text), 250);
          this.#afterChange(text);
        },
      });
      const hadFocus = document.activeElement === pre;
      pre.replaceWith(mount);
      this.#editor = editor;
      if (hadFocus || focus) editor.focus();
      return editor;
    });
    return this.#editorLoading;
  }

  async run(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#save(this.source());
    loadedRunner = await getRunner();
    await loadedRunner.run(this.handle);
  }

  #status(text: string, kind: string): void {
    const status = this.#part('status');
    if (status) {
      status.textContent = text;
      status.dataset['kind'] = kind;
    }
  }

  #started(message: string): void {
    this.#version++;
    this.#part('output')?.setAttribute('aria-busy', 'true');
    this.#status(message, 'running');
  }

  /** Runs `update` on the output area, after every update queued before it. */
  #updateOutput(update: (area: OutputArea) => void | Promise<void>): void {
    const element = this.#part('output');
    if (!element) return;
    const area = (this.#area ??= import('./cell-output').then(
      ({ OutputArea }) => new OutputArea(element, this.id),
    ));
    this.#outputQueue = this.#outputQueue
      .then(async () => update(await area))
      .catch((error: unknown) => {
        // Never leave an older output (the build's, say) up as if it were this run's.
        this.#area = null;
        const p = document.createElement('p');
        p.className = 'ib-out-error';
        p.textContent = `This output cannot be shown: ${error instanceof Error ? error.message : String(error)}`;
        element.replaceChildren(p);
        element.removeAttribute('aria-busy');
        this.#status('Ran, but its output cannot be shown.', 'error');
        this.#outputSignature = '';
        this.refreshStale();
      });
  }

  #finished(result: RunResult, source: string): void {
    const version = this.#version;
    this.#updateOutput(async (area) => {
      if (version !== this.#version) return; // a newer run started meanwhile
      await area.show(result);
      this.#part('output')?.removeAttribute('aria-busy');
    });
    const checks = result.checks;
    const verdict = checks
      ? `, ${checks.filter((c) => c.pass).length} of ${checks.length} checks pass`
      : '';
    this.#ran = result.ok ? `Ran in ${result.ms} ms${verdict}` : '';
    this.#status(
      result.ok
        ? `${this.#ran}.`
        : result.error?.kind === 'syntax'
          ? 'Not run: syntax error.'
          : 'Stopped by an error.',
      result.ok ? 'done' : 'error',
    );
    this.#outputSignature = source === this.source() ? signature(this.index) : '';
  }

  #late(output: LateOutput): void {
    this.#updateOutput(async (area) => {
      if (!(await area.append(output)) || output.errors.length === 0 || !this.#ran) return;
      this.#status(
        `${this.#ran}; later, its code threw an error (at the end of the output).`,
        'error',
      );
    });
  }

  #stopped(message: string): void {
    this.#version++;
    this.#ran = '';
    this.#updateOutput((area) => {
      area.message(message);
      this.#part('output')?.removeAttribute('aria-busy');
    });
    this.#status('Stopped.', 'error');
    this.#outputSignature = '';
  }

  /** Shows whether the output still matches this cell's code and the code of the cells above. */
  refreshStale(): void {
    const stale = this.#outputSignature !== '' && this.#outputSignature !== signature(this.index);
    const note = this.#part('stale');
    if (note) note.hidden = !stale;
    this.toggleAttribute('data-stale', stale);
  }
}

if (!customElements.get('ib-cell')) customElements.define('ib-cell', CellElement);
