/**
 * `<ib-diagnose-case>`: the live side of components/diagnose/DiagnoseCase.astro. The build drew the
 * worked case in two layouts; this redraws it at the column's width, from the statistics file the
 * page carries as JSON data, without marking the layer the reader is asked to find.
 *
 * @module
 */
import { pageFrame } from '../figures/frame';
import { canvasMeasure } from '../figures/measure';

const load = async () => {
  const [analyse, format, spec, render] = await Promise.all([
    import('../diagnose/analyse'),
    import('../diagnose/format'),
    import('../diagnose/spec'),
    import('../figures/render'),
  ]);
  return { ...analyse, ...format, ...spec, ...render };
};

class DiagnoseCaseElement extends HTMLElement {
  #observer: ResizeObserver | undefined;
  #width = 0;

  connectedCallback(): void {
    const chart = this.querySelector<HTMLElement>('.ib-chart');
    const data = this.querySelector('script.diagnose-case-data')?.textContent;
    if (!chart || !data) return;
    const title = this.dataset['title'] ?? 'Diagnosis';
    const ready = load().then((t) => {
      const read = t.readStats(data);
      return read.ok ? { t, d: t.diagnose(read.stats) } : null;
    });
    const draw = async () => {
      const loaded = await ready;
      if (!loaded) return;
      const { t, d } = loaded;
      this.#width = chart.clientWidth;
      const frame = pageFrame(Math.max(240, this.#width));
      const charts = t.renderCharts(t.diagnosisSpec(d, frame, { reveal: false }), {
        frame,
        measure: canvasMeasure(document, 'system-ui, sans-serif'),
        title,
        summary: t.diagnosisSummary(d, { reveal: false }),
      });
      chart.replaceChildren(...charts);
      chart.dataset['state'] = 'live';
    };
    this.#observer = new ResizeObserver(() => {
      if (chart.clientWidth > 0 && Math.abs(chart.clientWidth - this.#width) > 4) void draw();
    });
    this.#observer.observe(chart);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
  }
}

customElements.define('ib-diagnose-case', DiagnoseCaseElement);
