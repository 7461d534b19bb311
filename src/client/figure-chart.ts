/**
 * The chart of a live figure: drawn at its container's width (and, in presentation mode or full
 * screen, into cells that fill the screen), redrawn when that size changes, from the data it shows,
 * which at first is the data the build drew (carried in the page, so the first redraw needs no
 * engine). Also the "Full screen" button, where the Fullscreen API is available.
 *
 * @module
 */
import { decodeFigureData } from '../figures/data-json';
import { pageFrame, presentFrame, type ChartFrame } from '../figures/frame';
import { canvasMeasure, type Measure } from '../figures/measure';
import { markPickable } from '../figures/pick';
import type { ParamsOf, Schema } from '../figures/params';

/** Redraws wait for the size to settle this long. */
const SETTLE_MS = 150;
/** Smaller changes of size (a scrollbar appearing) keep the picture. */
const THRESHOLD_PX = 4;
/** The font Plot writes on every chart, which the measure must use too. */
const CHART_FONT = 'system-ui, sans-serif';

interface Shown {
  readonly data: unknown;
  readonly params: ParamsOf<Schema>;
  readonly summary: string;
}

export interface ChartHost {
  readonly id: string;
  readonly title: string;
  /** The container: `.ib-chart`. */
  readonly chart: HTMLElement;
  /** The element that goes full screen: the `<figure>`. */
  readonly figure: HTMLElement;
  readonly params: ParamsOf<Schema>;
  readonly summary: string;
}

export class FigureChart {
  readonly #host: ChartHost;
  #shown: Shown | undefined;
  #drawn: { fit: boolean; width: number; height: number } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #token = 0;
  #measure: Measure | undefined;
  readonly #observer: ResizeObserver;
  readonly #onFullscreen = () => this.#fullscreenChanged();
  #button: HTMLButtonElement | undefined;

  constructor(host: ChartHost) {
    this.#host = host;
    const script = host.figure.closest('ib-figure')?.querySelector('script.ib-figure-data');
    if (script?.textContent) {
      this.#shown = {
        data: decodeFigureData(script.textContent),
        params: host.params,
        summary: host.summary,
      };
    }
    this.#observer = new ResizeObserver(() => this.#resized());
    this.#observer.observe(host.chart);
    if (document.fullscreenEnabled) this.#addFullscreenButton();
  }

  /** Shows new data (a finished engine run) at the current size. */
  async show(data: unknown, params: ParamsOf<Schema>, summary: string): Promise<void> {
    this.#shown = { data, params, summary };
    await this.#draw();
  }

  /** The panels on screen (the build-time picture has two layouts, one of them hidden). */
  panels(): SVGSVGElement[] {
    return [...this.#host.chart.querySelectorAll<SVGSVGElement>(':scope > svg')].filter(
      (svg) => svg.getClientRects().length > 0,
    );
  }

  /** Presentation mode or full screen: the chart fills a fixed box instead of growing with its width. */
  get #fit(): boolean {
    return (
      document.documentElement.hasAttribute('data-present') ||
      document.fullscreenElement === this.#host.figure
    );
  }

  #size(): { fit: boolean; width: number; height: number } {
    const { chart } = this.#host;
    return { fit: this.#fit, width: chart.clientWidth, height: this.#fit ? chart.clientHeight : 0 };
  }

  #resized(): void {
    const now = this.#size();
    const then = this.#drawn;
    const same =
      then !== undefined &&
      then.fit === now.fit &&
      Math.abs(then.width - now.width) <= THRESHOLD_PX &&
      Math.abs(then.height - now.height) <= THRESHOLD_PX;
    if (same || now.width === 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#draw(), SETTLE_MS);
  }

  /**
   * The frame for `count` panels. In fit mode the panels share the chart's box as figure.css lays
   * them out (by `data-panels`): empty cells are put in for a moment to read their size.
   */
  #frame(count: number): ChartFrame {
    const { chart } = this.#host;
    if (!this.#fit) return pageFrame(Math.max(240, chart.clientWidth));
    chart.dataset['panels'] = String(count);
    const kept = [...chart.childNodes];
    const cells = Array.from({ length: count }, () =>
      Object.assign(document.createElement('div'), { className: 'ib-cell' }),
    );
    chart.replaceChildren(...cells);
    const box = cells[0]!.getBoundingClientRect();
    chart.replaceChildren(...kept);
    const size = /^(\d+)x\d+$/.exec(document.documentElement.dataset['presentSize'] ?? '');
    const screen = size ? Number(size[1]) : window.innerWidth;
    return presentFrame(Math.floor(box.width), Math.floor(box.height), screen);
  }

  async #draw(): Promise<void> {
    const shown = this.#shown;
    if (!shown) return;
    const token = ++this.#token;
    const [view, render] = await Promise.all([
      import('../figures/views').then((m) => m.figureView(this.#host.id)),
      import('../figures/render'),
    ]);
    if (token !== this.#token) return;
    this.#measure ??= canvasMeasure(document, CHART_FONT);
    const size = this.#size();
    const count = [view.spec(shown.data, shown.params)].flat().length;
    const frame = this.#frame(count);
    const specs = [view.spec(shown.data, shown.params, frame)].flat();
    const charts: SVGSVGElement[] = [];
    for (const [i, spec] of specs.entries()) {
      // One panel per task, so a redraw of a large figure never holds the page for long.
      if (i > 0) await new Promise((resolve) => setTimeout(resolve));
      if (token !== this.#token) return;
      charts.push(
        render.renderChart(spec, {
          frame,
          measure: this.#measure,
          title:
            specs.length > 1
              ? `${this.#host.title}, panel ${i + 1} of ${specs.length}`
              : this.#host.title,
          summary: shown.summary,
        }),
      );
    }
    markPickable(charts, view.pick);
    const { chart } = this.#host;
    const before = chart.getBoundingClientRect().bottom;
    chart.replaceChildren(...charts);
    if (before <= 0) this.#keepPlace(before);
    chart.dataset['panels'] = String(charts.length);
    chart.dataset['state'] = 'live';
    this.#drawn = size;
  }

  /**
   * A chart above the viewport that changed height must not move what the reader is looking at.
   * Browsers anchor the scroll position themselves, but not when the anchor they pick is in a sticky
   * element (the table of contents, after a jump from it): after the frame, what they left undone.
   */
  #keepPlace(bottom: number): void {
    requestAnimationFrame(() =>
      setTimeout(() => {
        const shift = this.#host.chart.getBoundingClientRect().bottom - bottom;
        if (Math.abs(shift) > 0.5) window.scrollBy(0, shift);
      }),
    );
  }

  #addFullscreenButton(): void {
    const tools = Object.assign(document.createElement('div'), { className: 'ib-view-tools' });
    const button = Object.assign(document.createElement('button'), {
      type: 'button',
      className: 'ib-fullscreen',
      textContent: 'Full screen',
    });
    button.addEventListener('click', () => void this.#toggleFullscreen());
    tools.append(button);
    this.#host.chart.after(tools);
    this.#button = button;
    document.addEventListener('fullscreenchange', this.#onFullscreen);
  }

  async #toggleFullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement === this.#host.figure) await document.exitFullscreen();
      else await this.#host.figure.requestFullscreen();
    } catch {
      // Refused (a frame without permission, a browser policy): the figure stays as it is.
    }
  }

  #fullscreenChanged(): void {
    if (this.#button) {
      const on = document.fullscreenElement === this.#host.figure;
      this.#button.textContent = on ? 'Exit full screen' : 'Full screen';
    }
    this.#resized();
  }

  disconnect(): void {
    this.#observer.disconnect();
    clearTimeout(this.#timer);
    document.removeEventListener('fullscreenchange', this.#onFullscreen);
  }
}
