/**
 * `<ib-diagnose>`: the live side of components/diagnose/DiagnoseTool.astro. Reads the reader's
 * statistics file (picked, dropped or pasted), checks its size before reading it, validates it
 * (src/diagnose/format.ts), diagnoses it (src/diagnose/analyse.ts) and draws the charts with Plot.
 * Everything runs here, in the page; text from the file is only ever set as textContent.
 *
 * @module
 */
import type { Diagnosis } from '../diagnose/analyse';
import { MAX_BYTES, readStats, sizeProblem } from '../diagnose/format';
import { pageFrame } from '../figures/frame';
import { canvasMeasure } from '../figures/measure';
import { formatNumber } from '../figures/types';

/** The engine's mean field and Plot load only once a reader gives a file. */
const load = async () => {
  const [analyse, spec, render] = await Promise.all([
    import('../diagnose/analyse'),
    import('../diagnose/spec'),
    import('../figures/render'),
  ]);
  return { ...analyse, ...spec, ...render };
};
type Tools = Awaited<ReturnType<typeof load>>;
let tools: Promise<Tools> | undefined;

const CHART_FONT = 'system-ui, sans-serif';
const TITLE = 'Diagnosis: measured and mean-field second moments by layer';

class DiagnoseElement extends HTMLElement {
  #status!: HTMLElement;
  #problems!: HTMLElement;
  #result!: HTMLElement;
  #chart!: HTMLElement;
  #shown: Diagnosis | undefined;
  #width = 0;
  #observer: ResizeObserver | undefined;
  #version = 0;
  #tools: Tools | undefined;

  connectedCallback(): void {
    const q = <T extends HTMLElement>(s: string) => this.querySelector<T>(s);
    const input = q('.diagnose-input');
    const file = q<HTMLInputElement>('#diagnose-file');
    const paste = q<HTMLTextAreaElement>('#diagnose-paste');
    const drop = q('.diagnose-drop');
    const status = q('.diagnose-status');
    const problems = q('.diagnose-problems');
    const result = q('.diagnose-result');
    const chart = q('.ib-chart');
    if (!input || !file || !paste || !drop || !status || !problems || !result || !chart) return;
    [this.#status, this.#problems, this.#result, this.#chart] = [status, problems, result, chart];
    q('.diagnose-nojs')?.setAttribute('hidden', '');
    input.hidden = false;

    file.addEventListener('change', () => {
      const picked = file.files?.[0];
      if (picked) void this.#readFile(picked);
    });
    q('[data-action="read"]')?.addEventListener('click', () => void this.#readText(paste.value));
    q('[data-action="clear"]')?.addEventListener('click', () => {
      paste.value = '';
      file.value = '';
      this.#clear();
      this.#status.textContent = '';
    });
    drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      drop.dataset['over'] = '';
    });
    drop.addEventListener('dragleave', () => delete drop.dataset['over']);
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      delete drop.dataset['over'];
      const dropped = event.dataTransfer?.files[0];
      if (dropped) void this.#readFile(dropped);
    });
    this.#observer = new ResizeObserver(() => {
      if (this.#shown && Math.abs(this.#chart.clientWidth - this.#width) > 4) this.#draw();
    });
    this.#observer.observe(this.#chart);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
  }

  async #readFile(file: File): Promise<void> {
    // The size is known before reading: a huge file is refused without loading it.
    const tooBig = sizeProblem(file.size);
    if (tooBig) {
      this.#fail([tooBig], file.name);
      return;
    }
    const version = ++this.#version;
    this.#status.textContent = `Reading ${file.name}…`;
    let text: string;
    try {
      text = await file.text();
    } catch {
      this.#fail(['The browser could not read the file.'], file.name);
      return;
    }
    if (version === this.#version) await this.#readText(text, file.name);
  }

  async #readText(text: string, source = 'the pasted text'): Promise<void> {
    const version = ++this.#version;
    if (text.length > MAX_BYTES) {
      this.#fail([sizeProblem(text.length)!], source);
      return;
    }
    this.#status.textContent = `Diagnosing ${source}…`;
    // Let the status paint before the mean-field integrals run.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (version !== this.#version) return;
    const read = readStats(text);
    if (!read.ok) {
      this.#fail(read.messages, source);
      return;
    }
    let diagnosis: Diagnosis;
    let t: Tools;
    try {
      t = await (tools ??= load());
      if (version !== this.#version) return;
      diagnosis = t.diagnose(read.stats);
    } catch (error) {
      this.#fail(
        [`The diagnosis failed: ${error instanceof Error ? error.message : String(error)}`],
        source,
      );
      return;
    }
    if (version !== this.#version) return;
    this.#problems.hidden = true;
    this.#shown = diagnosis;
    this.#tools = t;
    const first = diagnosis.firstFlagged;
    this.#status.textContent =
      `Read ${source}: ${diagnosis.layers.length} layers. ` +
      (first === null
        ? 'No layer leaves the stable range.'
        : `Layer ${first} is the first out of the stable range.`);
    this.#showResult(diagnosis, t);
  }

  #fail(messages: readonly string[], source: string): void {
    this.#clear();
    const head = this.#problems.querySelector('.diagnose-problems-head')!;
    const list = this.#problems.querySelector('ul')!;
    head.textContent = `The page cannot read ${source}:`;
    list.replaceChildren(
      ...messages.map((m) => Object.assign(document.createElement('li'), { textContent: m })),
    );
    this.#problems.hidden = false;
    this.#status.textContent = `${source} was not read.`;
  }

  #clear(): void {
    this.#shown = undefined;
    this.#result.hidden = true;
    this.#problems.hidden = true;
    this.#chart.replaceChildren();
  }

  #showResult(d: Diagnosis, t: Tools): void {
    const set = (selector: string, text: string | null) => {
      const el = this.#result.querySelector<HTMLElement>(selector)!;
      el.textContent = text ?? '';
      el.hidden = text === null;
    };
    set('.diagnose-verdict', t.verdict(d));
    set('.diagnose-fix', t.fixText(d));
    set('.diagnose-loss', t.lossText(d));
    set('.ib-summary', t.diagnosisSummary(d));
    const cell = (v: string) => Object.assign(document.createElement('td'), { textContent: v });
    const num = (v: number | null) => (v === null ? '–' : formatNumber(v));
    const pct = (v: number | null) =>
      v === null ? '–' : `${formatNumber(Math.round(1000 * v) / 10)}%`;
    this.#result.querySelector('tbody')!.replaceChildren(
      ...d.layers.map((l) => {
        const row = document.createElement('tr');
        row.append(
          cell(String(l.layer)),
          cell(l.name),
          cell(l.activation),
          cell(num(l.gain)),
          cell(num(l.measured)),
          cell(num(l.predicted)),
          cell(num(l.grad)),
          cell(num(l.gradPredicted)),
          cell(pct(l.saturated)),
          cell(pct(l.dead)),
          cell(l.reason ?? ''),
        );
        return row;
      }),
    );
    this.#result.hidden = false;
    this.#draw();
  }

  #draw(): void {
    const d = this.#shown;
    const t = this.#tools;
    if (!d || !t) return;
    this.#width = this.#chart.clientWidth;
    const frame = pageFrame(Math.max(240, this.#width));
    const charts = t.renderCharts(t.diagnosisSpec(d, frame), {
      frame,
      measure: canvasMeasure(document, CHART_FONT),
      title: TITLE,
      summary: t.diagnosisSummary(d),
    });
    this.#chart.replaceChildren(...charts);
  }
}

customElements.define('ib-diagnose', DiagnoseElement);
