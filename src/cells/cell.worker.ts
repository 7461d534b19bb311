/**
 * The cell worker: one per page, apart from the engine worker. It holds the page's notebook session
 * (cells' shared bindings) and runs cells on request. The main thread enforces the time limit by
 * terminating this worker, so nothing here needs to be interruptible. Cells run in this worker's
 * global scope, so they cannot reach the page's DOM.
 *
 * What cells print or throw after their run (timers, promises) is posted to the page as
 * `{ [LATE_MESSAGE]: LateOutput[] }` on this worker's own port, after the run's result (Comlink's
 * replies carry an `id`, these do not). Errors that escape are caught here, so none becomes an
 * uncaught error of the worker or the page.
 *
 * @module
 */
import * as Comlink from 'comlink';
import { CELL_BUILTINS } from './scope';
import { LATE_MESSAGE } from './runs';
import { Session, type Realm, type RunResult } from './session';

const scope = self as unknown as Record<string, unknown>;
const realm: Realm = {
  global: scope,
  // Indirect eval: global scope, strict mode from the program's directive.
  evaluate: (program) => (0, eval)(program) as unknown,
};
// Kept before any cell runs: cells get wrapped timers, and may even overwrite the globals.
const timers = {
  setTimeout: self.setTimeout.bind(self),
  setInterval: self.setInterval.bind(self),
  clearTimeout: self.clearTimeout.bind(self),
};
const post = self.postMessage.bind(self);

/** Late output is sent in batches, at most every {@link FLUSH_MS} ms, so a busy timer cannot flood the page. */
const FLUSH_MS = 25;
let flushing = false;
const session = new Session(realm, CELL_BUILTINS, {
  timers,
  onLate() {
    if (flushing) return;
    flushing = true;
    // A timer, not a microtask: the result of the run that is ending is posted first.
    timers.setTimeout(() => {
      flushing = false;
      const late = session.takeLate();
      if (late.length > 0) {
        post({ [LATE_MESSAGE]: late }, { transfer: late.map((l) => l.text.buffer) });
      }
    }, FLUSH_MS);
  },
});

self.addEventListener('error', (event) => {
  event.preventDefault();
  session.escaped(event.error ?? event.message, 'callback');
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  session.escaped(event.reason, 'promise');
});

const api = {
  run(index: number, source: string, exercise: string | null): RunResult {
    const result = session.run(index, source, exercise);
    // The text for the download is moved to the page, not copied (it can be megabytes).
    return Comlink.transfer(result, [result.text.buffer]);
  },
};

export type CellWorkerApi = typeof api;

Comlink.expose(api, self as unknown as Comlink.Endpoint);
