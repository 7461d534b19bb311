/**
 * The formula worker: serves {@link formulaWorkerApi}. The engine worker starts it and stops it
 * when an analysis runs past the time limit (`formula-analyser.ts`), so nothing here needs to be
 * interruptible.
 *
 * @module
 */
import * as Comlink from 'comlink';
import { formulaWorkerApi } from './formula-api.ts';

// `self` cast as in engine.worker.ts: the root tsconfig types it as a Window.
Comlink.expose(formulaWorkerApi, self as unknown as Comlink.Endpoint);
