/**
 * Runs a page's cells in its cell worker, one at a time and in notebook order: before a cell runs,
 * every cell above it that has not run in the current worker runs first (so its bindings exist).
 * Each run has a time limit; past it the worker is terminated (the page never waits on it), the cell
 * says so, and a fresh worker starts with the next run, re-running the cells above as needed.
 * What a run's timers and promises print or throw later arrives as separate worker messages
 * (src/cells/cell.worker.ts) and goes to the cell it belongs to.
 *
 * @module
 */
import * as Comlink from 'comlink';
import type { CellWorkerApi } from '../cells/cell.worker';
import { LATE_MESSAGE } from '../cells/runs';
import type { LateOutput, RunResult } from '../cells/session';

export interface CellHandle {
  readonly index: number;
  readonly label: string;
  readonly timeout: number;
  readonly exercise: string | null;
  source(): string;
  started(message: string): void;
  finished(result: RunResult, source: string): void;
  /** Output or errors of one of the cell's runs, after the run returned. */
  late(output: LateOutput): void;
  stopped(message: string): void;
}

const seconds = (ms: number) => `${Number((ms / 1000).toPrecision(2))} s`;

export class CellRunner {
  #worker: Worker | null = null;
  #api: Comlink.Remote<CellWorkerApi> | null = null;
  /** The source each cell last ran with in the current worker. */
  readonly #ran = new Map<number, string>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #cells: () => readonly CellHandle[];
  readonly #changed: () => void;

  constructor(cells: () => readonly CellHandle[], changed: () => void) {
    this.#cells = cells;
    this.#changed = changed;
  }

  /** The source a cell last ran with in the live worker, if it ran there. */
  ranSource(index: number): string | undefined {
    return this.#ran.get(index);
  }

  /** Queues a run of `cell` (after the cells above it that have not run yet). */
  run(cell: CellHandle): Promise<void> {
    const next = this.#queue.then(async () => {
      for (const earlier of this.#cells()) {
        if (earlier.index >= cell.index) break;
        if (!this.#ran.has(earlier.index)) await this.#runOne(earlier, cell);
      }
      await this.#runOne(cell, null);
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #connect(): Comlink.Remote<CellWorkerApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../cells/cell.worker.ts', import.meta.url), {
        type: 'module',
        name: 'initbook-cells',
      });
      this.#worker.addEventListener('message', (event: MessageEvent<unknown>) => {
        const late = (event.data as Record<string, unknown> | null)?.[LATE_MESSAGE];
        if (!Array.isArray(late)) return;
        for (const output of late as LateOutput[]) {
          this.#cells()
            .find((c) => c.index === output.index)
            ?.late(output);
        }
      });
      this.#api = Comlink.wrap<CellWorkerApi>(this.#worker);
    }
    return this.#api;
  }

  #restart(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
    this.#ran.clear();
  }

  async #runOne(cell: CellHandle, neededBy: CellHandle | null): Promise<void> {
    const api = this.#connect();
    const source = cell.source();
    cell.started(
      neededBy ? `Running first: ${neededBy.label} uses the cells above it…` : 'Running…',
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), cell.timeout);
    });
    try {
      const outcome = await Promise.race([api.run(cell.index, source, cell.exercise), limit]);
      if (outcome === 'timeout') {
        this.#restart();
        cell.stopped(
          `Stopped after ${seconds(cell.timeout)}, this cell’s time limit (an endless loop?). Its worker was stopped and a fresh one starts with the next run; the cells above will run again first.`,
        );
        return;
      }
      this.#ran.set(cell.index, source);
      cell.finished(outcome, source);
    } catch (error) {
      this.#restart();
      cell.stopped(
        `The cell worker failed (${error instanceof Error ? error.message : String(error)}). A fresh one starts with the next run.`,
      );
    } finally {
      clearTimeout(timer);
      this.#changed();
    }
  }
}
