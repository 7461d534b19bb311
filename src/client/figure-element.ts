/**
 * `<ib-figure>`: the live side of components/figures/Figure.astro. The build already drew the picture;
 * this element shows the controls, keeps the URL in step with them, asks the engine worker for data,
 * and redraws with Plot (both loaded only when first needed). Stale results are dropped; errors and
 * messages show inside the figure; the last good picture stays on screen.
 *
 * @module
 */
import {
  logIndex,
  logValue,
  parseParams,
  sameParams,
  sanitizeParams,
  writeParams,
  type ParamsOf,
  type Schema,
} from '../figures/params';
import { exportFileName, firstSentence, parameterLine } from '../figures/export-text';
import { formatNumber, type DataTable, type FigureNote, type Preset } from '../figures/types';
import { pickedPoint } from '../figures/pick';
import { wireEmbedPanel, type EmbedFigure, type EmbedPanel } from './embed-panel';
import { plainText } from './caption-text';
import { copyScript } from './copy-script';
import { downloadCsv, downloadPng, downloadSvg, type ExportText } from './export';
import { copyNoteCode, noteCodeBlock } from './copy-code';
import { FigureChart } from './figure-chart';

interface Config {
  readonly id: string;
  readonly prefix: string;
  readonly title: string;
  readonly schema: Schema;
  /** The settings under the chart; the others are under "More settings". */
  readonly primary: readonly string[];
  readonly presets: readonly Preset<Schema>[];
  readonly initial: ParamsOf<Schema>;
  /** A long run (training): progress, pause, resume and cancel in the run bar. */
  readonly long?: boolean;
  /** Absent on /embed/ pages, which have no "Embed" panel. */
  readonly embed?: EmbedFigure['embed'];
}

interface FigureResult {
  readonly data: unknown;
  readonly summary: string;
  readonly table: DataTable;
  readonly pytorch?: string | undefined;
}

/** Delay before a pending computation shows as pending, so quick updates do not flicker. */
const PENDING_DELAY_MS = 200;

class FigureElement extends HTMLElement {
  #config!: Config;
  #form!: HTMLFormElement;
  #chart!: HTMLElement;
  #summary!: HTMLElement;
  #message!: HTMLElement;
  #params!: ParamsOf<Schema>;
  #version = 0;
  #latest: FigureResult | undefined;
  /** The settings' version `#latest` was computed for. */
  #latestVersion = -1;
  /** The newest update, so that a copy or download can wait for the settings on screen. */
  #updating: Promise<void> | undefined;
  #urlMessages: string[] = [];
  #embed: EmbedPanel | undefined;
  #run: RunBar | undefined;
  #view: FigureChart | undefined;

  disconnectedCallback(): void {
    this.#view?.disconnect();
  }

  connectedCallback(): void {
    const raw = this.dataset['config'];
    const form = this.querySelector<HTMLFormElement>('form.ib-controls');
    const chart = this.querySelector<HTMLElement>('.ib-chart');
    const summary = this.querySelector<HTMLElement>('.ib-summary');
    const message = this.querySelector<HTMLElement>('.ib-message');
    if (!raw || !form || !chart || !summary || !message) return;
    this.#config = JSON.parse(raw) as Config;
    this.#form = form;
    this.#chart = chart;
    this.#summary = summary;
    this.#message = message;
    form.hidden = false;
    const runBar = this.querySelector<HTMLElement>('.ib-run');
    if (runBar && this.#config.long === true) this.#run = new RunBar(runBar);
    this.querySelectorAll<HTMLElement>('.ib-export').forEach((e) => e.removeAttribute('hidden'));
    for (const copy of this.querySelectorAll('[data-action="copy-code"]'))
      copy.removeAttribute('hidden');
    const share = this.querySelector<HTMLElement>('.ib-share');
    const { embed } = this.#config;
    if (share && embed) {
      this.#embed = wireEmbedPanel(share, { ...this.#config, embed }, () => this.#params);
    }

    const { schema, prefix, initial } = this.#config;
    const fromUrl = parseParams(schema, new URLSearchParams(location.search), prefix);
    this.#urlMessages = fromUrl.messages;
    this.#params = fromUrl.params;
    // Parameters the URL leaves out keep the figure's own initial values, not the schema's defaults.
    const given = new Set(
      [...new URLSearchParams(location.search).keys()]
        .filter((k) => k.startsWith(`${prefix}.`))
        .map((k) => k.slice(prefix.length + 1)),
    );
    for (const key of Object.keys(schema)) {
      if (!given.has(key)) (this.#params as Record<string, unknown>)[key] = initial[key];
    }
    this.#showMessages([]);
    this.#writeControls(this.#params);
    // A link that changes a setting under "More settings" shows it, so the picture is explained.
    const more = this.querySelector<HTMLDetailsElement>('details.ib-more');
    if (more && this.#changedMoreSettings(this.#params) > 0) more.open = true;
    const figure = this.querySelector<HTMLElement>('figure.ib-figure');
    if (figure) {
      this.#view = new FigureChart({
        id: this.#config.id,
        title: this.#config.title,
        chart,
        figure,
        params: initial,
        summary: summary.textContent?.trim() ?? '',
      });
    }
    if (!sameParams(this.#params, initial)) void this.#update();

    form.addEventListener('input', () => this.#onInput());
    form.addEventListener('change', () => this.#onInput());
    form.addEventListener('submit', (event) => event.preventDefault());
    this.addEventListener('click', (event) => this.#onClick(event));
    chart.addEventListener('click', (event) => this.#onChartClick(event));
  }

  /**
   * Clicking a pickable panel sets its two parameters from the point under the pointer. The panel
   * carries its scales (src/figures/pick.ts), so a click on the build-time picture counts too.
   */
  #onChartClick(event: MouseEvent): void {
    const svg = (event.target as Element).closest('svg[data-pick]');
    if (!(svg instanceof SVGSVGElement) || !this.#chart.contains(svg)) return;
    const point = pickedPoint(svg, event.clientX, event.clientY);
    if (!point) return;
    const { params, messages } = sanitizeParams(this.#config.schema, { ...this.#params, ...point });
    this.#params = params;
    this.#writeControls(params);
    this.#showMessages(
      messages.length > 0 ? ['That point is outside the range; using the nearest one.'] : [],
    );
    void this.#update();
  }

  /** Reads the controls; values a reader typed out of range are clamped for the engine, not rewritten. */
  #readControls(): { params: ParamsOf<Schema>; messages: string[] } {
    const raw: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(this.#config.schema)) {
      if (spec.kind === 'multi') {
        raw[key] = [
          ...this.#form.querySelectorAll<HTMLInputElement>(`input[name="${key}"]:checked`),
        ].map((input) => input.value);
        continue;
      }
      const field = this.#form.elements.namedItem(key);
      if (!(field instanceof HTMLInputElement || field instanceof HTMLSelectElement)) continue;
      if (spec.kind === 'toggle') raw[key] = (field as HTMLInputElement).checked;
      else if (spec.kind === 'number') {
        const n = field.value.trim() === '' ? NaN : Number(field.value);
        raw[key] = field.dataset['scale'] === 'log' ? logValue(spec, n) : n;
      } else raw[key] = field.value;
    }
    return sanitizeParams(this.#config.schema, raw);
  }

  #writeControls(params: ParamsOf<Schema>): void {
    for (const [key, spec] of Object.entries(this.#config.schema)) {
      const value = params[key];
      if (spec.kind === 'multi') {
        for (const box of this.#form.querySelectorAll<HTMLInputElement>(`input[name="${key}"]`)) {
          box.checked = (value as string[]).includes(box.value);
        }
        continue;
      }
      const field = this.#form.elements.namedItem(key);
      if (field instanceof HTMLSelectElement) field.value = String(value);
      else if (field instanceof HTMLInputElement) {
        if (spec.kind === 'toggle') field.checked = value === true;
        else if (spec.kind === 'number' && spec.scale === 'log') {
          field.value = String(logIndex(spec, value as number));
        } else field.value = String(value);
      }
    }
    this.#syncOutputs(params);
  }

  /** Visible values beside sliders, the screen-reader value text, and the "(2 changed)" note. */
  #syncOutputs(params: ParamsOf<Schema>): void {
    for (const [key, spec] of Object.entries(this.#config.schema)) {
      if (spec.kind !== 'number' || spec.control === 'box') continue;
      const field = this.#form.elements.namedItem(key);
      if (!(field instanceof HTMLInputElement)) continue;
      const text = formatNumber(params[key] as number);
      field.setAttribute('aria-valuetext', text);
      const output = this.#form.querySelector(`output[for="${field.id}"]`);
      if (output) output.textContent = text;
    }
    const note = this.#form.querySelector('.ib-more-note');
    const changed = this.#changedMoreSettings(params);
    // The note brings its own space: the markup's line break before it renders as none.
    if (note) note.textContent = changed > 0 ? ` (${changed} changed)` : '';
  }

  /** How many settings under "More settings" differ from the figure's initial ones. */
  #changedMoreSettings(params: ParamsOf<Schema>): number {
    const { schema, primary, initial } = this.#config;
    return Object.keys(schema).filter(
      (key) => !primary.includes(key) && !sameParams({ v: params[key] }, { v: initial[key] }),
    ).length;
  }

  #onInput(): void {
    const { params, messages } = this.#readControls();
    this.#params = params;
    this.#urlMessages = [];
    this.#syncOutputs(params);
    this.#showMessages(messages);
    void this.#update();
  }

  #onClick(event: Event): void {
    const target = (event.target as Element).closest('button');
    if (!target || !this.contains(target)) return;
    const preset = target.dataset['preset'];
    const action = target.dataset['action'];
    const format = target.dataset['export'];
    const run = target.dataset['run'];
    if (run === 'start') {
      void this.#update();
    } else if (run === 'pause' || run === 'cancel') {
      void this.#controlRun(run);
    } else if (preset) {
      const found = this.#config.presets.find((p) => p.id === preset);
      if (!found) return;
      this.#params = { ...this.#config.initial, ...found.params } as ParamsOf<Schema>;
      this.#apply();
    } else if (action === 'copy-pytorch') {
      void this.#copyPytorch();
    } else if (action === 'copy-code') {
      void copyNoteCode(target);
    } else if (action === 'reset') {
      this.#params = { ...this.#config.initial };
      this.#apply();
    } else if (format === 'svg' || format === 'png' || format === 'csv') {
      void this.#export(format);
    }
  }

  #apply(): void {
    this.#urlMessages = [];
    this.#writeControls(this.#params);
    this.#showMessages([]);
    void this.#update();
  }

  #showMessages(messages: readonly string[]): void {
    const all = [...this.#urlMessages, ...messages];
    this.#message.textContent = all.join(' ');
    this.#message.dataset['kind'] = all.length > 0 ? 'warning' : '';
  }

  #showError(error: unknown): void {
    this.#showFieldError(error);
    const text = error instanceof Error ? error.message : String(error);
    this.#message.textContent = `Cannot draw this: ${text}. The last picture is kept.`;
    this.#message.dataset['kind'] = 'error';
  }

  /** Keeps the link in step: settings that differ from the figure's initial ones go in the URL. */
  #writeUrl(): void {
    const url = new URL(location.href);
    writeParams(
      this.#config.schema,
      this.#params,
      this.#config.prefix,
      url.searchParams,
      this.#config.initial,
    );
    if (url.href !== location.href) history.replaceState(history.state, '', url);
    this.#embed?.refresh();
  }

  /** Pause (or resume, when paused) and cancel, from the run bar's buttons. */
  async #controlRun(button: 'pause' | 'cancel'): Promise<void> {
    const run = this.#run;
    if (!run || !run.active) return;
    const { getEngine } = await import('./engine-client');
    const lane = this.#lane;
    if (button === 'cancel') {
      run.cancelled();
      await getEngine().control(lane, 'cancel');
    } else if (run.state === 'paused') {
      if (await getEngine().control(lane, 'resume')) run.resumed();
    } else if (await getEngine().control(lane, 'pause')) run.paused();
  }

  get #lane(): string {
    return `figure:${this.#config.prefix}`;
  }

  #update(): Promise<void> {
    this.#updating = this.#recompute();
    return this.#updating;
  }

  /**
   * Waits until `#latest` is the result of the settings on screen: an update in flight settles
   * first (a failed one leaves the last result, and the error on screen).
   */
  async #current(): Promise<void> {
    if (!this.#latest && !this.#updating) await this.#update();
    let seen: Promise<void> | undefined;
    while (this.#latestVersion !== this.#version && this.#updating !== seen) {
      seen = this.#updating;
      await seen;
    }
  }

  async #recompute(): Promise<void> {
    const version = ++this.#version;
    const params = this.#params;
    this.#run?.started();
    this.#writeUrl();
    const pending = setTimeout(() => {
      if (version === this.#version) this.#chart.setAttribute('aria-busy', 'true');
    }, PENDING_DELAY_MS);
    try {
      const [{ getEngine, isCancelledError }, view] = await Promise.all([
        import('./engine-client'),
        import('../figures/views').then((m) => m.figureView(this.#config.id)),
      ]);
      // Module loads can settle out of order: an older update must not send its request after a
      // newer one, or it would supersede the newer request in the lane and then be dropped itself.
      if (version !== this.#version) return;
      let result: FigureResult;
      const run = this.#run;
      try {
        result = await getEngine().request('figure', [this.#config.id, params], {
          lane: this.#lane,
          ...(run ? { onProgress: (p) => run.progress(p) } : {}),
        });
      } catch (error) {
        if (isCancelledError(error)) return;
        throw error;
      }
      if (version !== this.#version) return; // a newer request is on its way
      run?.finished();
      await this.#view?.show(result.data, params, result.summary);
      if (version !== this.#version) return;
      this.#latest = result;
      this.#latestVersion = version;
      this.#summary.textContent = result.summary;
      this.#renderTable(result.table);
      const code = this.querySelector('.ib-pytorch-code code');
      if (code && result.pytorch !== undefined) code.textContent = result.pytorch;
      this.#showFieldError(undefined);
      if (view.notes) void this.#renderNotes(view.notes(result.data, params), version);
      if (this.#message.dataset['kind'] === 'error') this.#showMessages([]);
    } catch (error) {
      if (version === this.#version) {
        this.#run?.failed();
        this.#showError(error);
      }
    } finally {
      clearTimeout(pending);
      if (version === this.#version) this.#chart.removeAttribute('aria-busy');
    }
  }

  /**
   * An error that names a text parameter and a column (a formula's) shows under that field: the
   * text with a caret at the column, then the message. `undefined` clears every field's error.
   */
  #showFieldError(error: unknown): void {
    const { param, column, message } = (error ?? {}) as {
      param?: unknown;
      column?: unknown;
      message?: unknown;
    };
    for (const [key, spec] of Object.entries(this.#config.schema)) {
      if (spec.kind !== 'text') continue;
      const field = this.#form.elements.namedItem(key);
      const slot = this.querySelector<HTMLElement>(
        `#${CSS.escape(`${this.#config.prefix}-${key}-error`)}`,
      );
      if (!(field instanceof HTMLInputElement) || !slot) continue;
      if (param !== key || typeof column !== 'number') {
        field.removeAttribute('aria-invalid');
        slot.replaceChildren();
        continue;
      }
      const text = String(this.#params[key] ?? '');
      const pre = document.createElement('pre');
      pre.setAttribute('aria-hidden', 'true');
      pre.textContent = `${text}\n${' '.repeat(Math.max(0, column - 1))}^`;
      const note = document.createElement('p');
      note.textContent = `Column ${column}: ${String(message)}.`;
      slot.replaceChildren(pre, note);
      field.setAttribute('aria-invalid', 'true');
    }
  }

  /** Formulas (typeset with KaTeX, loaded on first use) and key numbers beside the chart. */
  async #renderNotes(notes: readonly FigureNote[], version: number): Promise<void> {
    const list = this.querySelector<HTMLElement>('.ib-notes');
    if (!list) return;
    const katex = notes.some((n) => n.tex) ? (await import('katex')).default : undefined;
    if (version !== this.#version) return;
    list.replaceChildren(
      ...notes.map((note) => {
        const row = document.createElement('div');
        const dt = document.createElement('dt');
        dt.textContent = note.label;
        const dd = document.createElement('dd');
        if (note.tex && katex) {
          // katex.render builds DOM nodes itself (no innerHTML of the reader's text); no \href etc.
          // A long formula scrolls sideways inside a focusable, named region.
          const math = Object.assign(document.createElement('div'), {
            className: 'ib-note-math',
            tabIndex: 0,
          });
          math.setAttribute('role', 'region');
          math.setAttribute('aria-label', note.label);
          dd.append(math);
          katex.render(note.tex, math, {
            throwOnError: false,
            trust: false,
            maxExpand: 1000,
            maxSize: 20,
          });
        } else dd.textContent = note.text;
        if (note.steps) {
          const ol = document.createElement('ol');
          ol.className = 'ib-note-steps';
          for (const step of note.steps) {
            const li = Object.assign(document.createElement('li'), {
              textContent: `${step.text} `,
            });
            li.append(Object.assign(document.createElement('cite'), { textContent: step.source }));
            ol.append(li);
          }
          dd.append(ol);
        }
        if (note.code !== undefined) {
          row.className = 'ib-note-wide';
          dd.append(noteCodeBlock(note.code, note.label));
        }
        row.append(dt, dd);
        return row;
      }),
    );
  }

  #renderTable(table: DataTable): void {
    const body = this.querySelector('.ib-data tbody');
    const head = this.querySelector('.ib-data thead tr');
    if (!body || !head) return;
    head.replaceChildren(
      ...table.columns.map((c) =>
        Object.assign(document.createElement('th'), { scope: 'col', textContent: c }),
      ),
    );
    body.replaceChildren(
      ...table.rows.map((row) => {
        const tr = document.createElement('tr');
        for (const cell of row) {
          const td = document.createElement('td');
          td.textContent = typeof cell === 'number' ? formatNumber(cell) : (cell ?? '');
          tr.append(td);
        }
        return tr;
      }),
    );
  }

  /** "Copy as PyTorch": the script of the settings on screen (the page's, until a result came). */
  async #copyPytorch(): Promise<void> {
    const status = this.querySelector<HTMLElement>('.ib-copy-status');
    const code = this.querySelector<HTMLElement>('.ib-pytorch-code');
    if (!status) return;
    await this.#current();
    const script = this.#latest?.pytorch ?? code?.textContent ?? '';
    await copyScript(script, status, code ?? undefined);
  }

  async #export(format: 'svg' | 'png' | 'csv'): Promise<void> {
    const { id, schema, primary } = this.#config;
    const name = exportFileName(id, schema, this.#params, primary, format);
    const svgs = this.#view?.panels() ?? [];
    try {
      if (format === 'csv') {
        // The page's table is rounded for reading; the file gets the engine's full precision.
        await this.#current();
        if (this.#latest) downloadCsv(this.#latest.table, name);
      } else if (svgs.length > 0) {
        const words = this.#exportText();
        if (format === 'svg') downloadSvg(svgs, words, name);
        else await downloadPng(svgs, words, name);
      }
    } catch (error) {
      this.#showError(error);
    }
  }

  /** Title, caption line, settings and credit for an exported picture of the current view. */
  #exportText(): ExportText {
    const { title, schema, prefix, initial, embed, id } = this.#config;
    const caption = this.querySelector('figcaption');
    const url = new URL(location.href);
    url.search = '';
    writeParams(schema, this.#params, prefix, url.searchParams, initial);
    // On a chapter page the link goes to the figure; an embed page is the figure.
    url.hash = embed ? `figure-${id}` : '';
    return {
      title,
      caption: firstSentence(caption ? plainText(caption) : (this.#summary.textContent ?? '')),
      parameters: parameterLine(schema, this.#params),
      credit: `Initbook — ${url.href}`,
    };
  }
}

/**
 * The run bar of a long figure: a progress bar, a status line and Pause/Resume, Cancel and Run again
 * buttons. It only shows state; the element drives the engine.
 */
class RunBar {
  state: 'idle' | 'running' | 'paused' = 'idle';
  readonly #bar: HTMLElement;
  readonly #progress: HTMLProgressElement;
  /** A live region: announces changes of state only, not every step. */
  readonly #state: HTMLElement;
  /** Where the run is, in words; updated with each progress report, not announced. */
  readonly #where: HTMLElement;
  readonly #pause: HTMLButtonElement;
  readonly #cancel: HTMLButtonElement;
  readonly #start: HTMLButtonElement;
  /** The run's own time so far, from the worker (pauses excluded). */
  #elapsedMs = 0;

  constructor(bar: HTMLElement) {
    this.#bar = bar;
    this.#progress = bar.querySelector('progress')!;
    this.#state = bar.querySelector('.ib-run-state')!;
    this.#where = bar.querySelector('.ib-run-where')!;
    this.#pause = bar.querySelector('[data-run="pause"]')!;
    this.#cancel = bar.querySelector('[data-run="cancel"]')!;
    this.#start = bar.querySelector('[data-run="start"]')!;
    bar.hidden = false;
  }

  get active(): boolean {
    return this.state !== 'idle';
  }

  started(): void {
    this.#elapsedMs = 0;
    this.#progress.value = 0;
    this.#progress.removeAttribute('aria-valuetext');
    this.#show('running', 'Training.', 'Starting…');
  }

  progress(p: {
    readonly fraction: number;
    readonly text: string;
    readonly elapsedMs: number;
  }): void {
    if (this.state === 'idle') return;
    this.#elapsedMs = p.elapsedMs;
    this.#progress.value = Math.min(1, Math.max(0, p.fraction));
    this.#progress.setAttribute('aria-valuetext', p.text);
    this.#where.textContent = p.text;
  }

  paused(): void {
    this.#show('paused', 'Paused.');
  }

  resumed(): void {
    this.#show('running', 'Training.');
  }

  cancelled(): void {
    this.#show(
      'idle',
      'Cancelled: the picture still shows the last finished run. Press Run again to train with the current settings.',
    );
  }

  finished(): void {
    if (this.state === 'idle') return;
    this.#progress.value = 1;
    this.#progress.removeAttribute('aria-valuetext');
    const seconds = this.#elapsedMs / 1000;
    this.#show(
      'idle',
      'Finished.',
      seconds >= 0.5 ? `About ${seconds.toFixed(1)} s of computing.` : '',
    );
  }

  failed(): void {
    this.#show('idle', 'The run stopped with an error (see the message above).');
  }

  /**
   * Shows a state: its sentence (announced), optionally new detail text, and the buttons that make
   * sense; focus on a button that turns disabled moves to Run again.
   */
  #show(state: RunBar['state'], sentence: string, where?: string): void {
    this.state = state;
    this.#state.textContent = sentence;
    if (where !== undefined) this.#where.textContent = where;
    const running = state !== 'idle';
    const hadFocus = this.#bar.contains(document.activeElement);
    this.#pause.disabled = !running;
    this.#cancel.disabled = !running;
    this.#pause.textContent = state === 'paused' ? 'Resume' : 'Pause';
    this.#bar.dataset['state'] = state;
    if (hadFocus && !running) this.#start.focus();
  }
}

if (!customElements.get('ib-figure')) customElements.define('ib-figure', FigureElement);
