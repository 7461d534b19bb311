/**
 * The cell worker: one per page, apart from the engine worker. It holds the page's notebook session
 * (cells' shared bindings) and runs cells on request. The main thread enforces the time limit by
 * terminating this worker, so nothing here needs to be interruptible. Cells run in this worker's
 * global scope, so they cannot reach the page's DOM.
 *
 * @module
 */
import * as Comlink from 'comlink';
import { CELL_BUILTINS } from './scope';
import { Session, type Realm, type RunResult } from './session';

const scope = self as unknown as Record<string, unknown>;
const realm: Realm = {
  global: scope,
  // Indirect eval: global scope, strict mode from the program's directive.
  evaluate: (program) => (0, eval)(program) as unknown,
};
const session = new Session(realm, CELL_BUILTINS);

const api = {
  run(index: number, source: string, exercise: string | null): RunResult {
    return session.run(index, source, exercise);
  },
};

export type CellWorkerApi = typeof api;

Comlink.expose(api, self as unknown as Comlink.Endpoint);
