/**
 * The formula worker's client, inside the engine worker. The analysis of a formula is one
 * synchronous call that nothing can interrupt, so it runs in a worker of its own; if no answer
 * comes within {@link FORMULA_TIME_LIMIT_MS}, the client stops that worker and rejects with an
 * error saying so. Formulas are analysed one at a time; after a stopped worker the
 * next formula starts a fresh one, so it is answered at once. The engine worker only waits
 * meanwhile: other figures' requests go on.
 *
 * @module
 */
import * as Comlink from 'comlink';
import type { FormulaAnalyser } from '../figures/activation-lab/formula-source.ts';
import type { FormulaAnalysis } from '../formula/activation-formula.ts';
import { FormulaError } from '../formula/formula-error.ts';

/** Every formula is answered within this time: an analysis, an error, or "too complex". */
export const FORMULA_TIME_LIMIT_MS = 2000;

/** The formula worker's answer: errors travel as values, so their column survives. */
export type FormulaReply =
  | { readonly ok: true; readonly analysis: FormulaAnalysis }
  | { readonly ok: false; readonly message: string; readonly column?: number | undefined };

/** What the formula worker exposes. */
export interface FormulaWorkerApi {
  analyse(text: string, param: string): FormulaReply;
}

/** What the client needs of a worker: a `Worker`, or a stand-in in tests. */
export type FormulaWorker = Comlink.Endpoint & { terminate(): void };

/** The message for a formula whose analysis ran out of time. */
export function tooComplexMessage(limitMs: number): string {
  return `This formula is too complex to analyse within ${limitMs / 1000} s: try fewer nested calls or terms`;
}

interface Job {
  readonly text: string;
  readonly param: string;
  readonly resolve: (analysis: FormulaAnalysis) => void;
  readonly reject: (error: Error) => void;
  settled: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

interface Instance {
  readonly endpoint: FormulaWorker;
  readonly remote: Comlink.Remote<FormulaWorkerApi>;
  /** Rejects when the worker fails (to load, or with an uncaught error). */
  readonly died: Promise<never>;
}

/**
 * Creates the analyser the lab uses in the engine worker.
 * @param start - starts a formula worker
 * @param limitMs - the time limit of one analysis
 */
export function createFormulaAnalyser(
  start: () => FormulaWorker,
  limitMs = FORMULA_TIME_LIMIT_MS,
): FormulaAnalyser {
  let current: Instance | undefined;
  let running: Job | undefined;
  const waiting: Job[] = [];

  function open(): Instance {
    const endpoint = start();
    let die: (error: Error) => void = () => {};
    const died = new Promise<never>((_, reject) => (die = reject));
    died.catch(() => {});
    const onFailure = (): void => {
      if (current?.endpoint === endpoint) current = undefined;
      endpoint.terminate();
      die(new Error('The formula worker stopped unexpectedly'));
    };
    endpoint.addEventListener('error', onFailure);
    endpoint.addEventListener('messageerror', onFailure);
    return { endpoint, remote: Comlink.wrap<FormulaWorkerApi>(endpoint), died };
  }

  function stop(): void {
    current?.endpoint.terminate();
    current = undefined;
  }

  function settle(job: Job, outcome: () => void): void {
    if (job.settled) return;
    job.settled = true;
    clearTimeout(job.timer);
    if (running === job) running = undefined;
    outcome();
    next();
  }

  function next(): void {
    if (running || waiting.length === 0) return;
    const job = waiting.shift()!;
    running = job;
    const instance = (current ??= open());
    job.timer = setTimeout(() => {
      if (current === instance) stop();
      // No column: the whole formula is the problem, not a place in it.
      settle(job, () => job.reject(new Error(tooComplexMessage(limitMs))));
    }, limitMs);
    Promise.race([instance.remote.analyse(job.text, job.param), instance.died]).then(
      (reply) =>
        settle(job, () => {
          if (reply.ok) job.resolve(reply.analysis);
          else if (reply.column === undefined) job.reject(new Error(reply.message));
          else job.reject(new FormulaError(reply.message, reply.column, job.param));
        }),
      (error: unknown) =>
        settle(job, () => job.reject(error instanceof Error ? error : new Error(String(error)))),
    );
  }

  return (text, param) => {
    let job!: Job;
    const result = new Promise<FormulaAnalysis>((resolve, reject) => {
      job = { text, param, resolve, reject, settled: false };
    });
    waiting.push(job);
    next();
    return {
      result,
      cancel(): void {
        if (job.settled) return;
        // A running analysis cannot be interrupted: its worker goes, and the next starts afresh.
        if (running === job) stop();
        else waiting.splice(waiting.indexOf(job), 1);
        result.catch(() => {});
        settle(job, () => job.reject(new Error('analysis cancelled')));
      },
    };
  };
}
