/**
 * The engine worker: exposes {@link createEngineApi} over Comlink, and gives the activation lab a
 * formula worker of its own (started on the lab's first formula) that it can stop.
 * Built by Vite from `new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' })`.
 *
 * @module
 */
import * as Comlink from 'comlink';
import { setFormulaAnalyser } from '../figures/activation-lab/formula-source.ts';
import { createEngineApi, installErrorTransfer } from './api.ts';
import { createFormulaAnalyser } from './formula-analyser.ts';

installErrorTransfer();
setFormulaAnalyser(
  createFormulaAnalyser(
    () => new Worker(new URL('./formula.worker.ts', import.meta.url), { type: 'module' }),
  ),
);
// `self` passed explicitly: @vitest/web-worker provides `self`, not a worker `globalThis`. The root
// tsconfig types it as a Window (DOM lib; the WebWorker lib would clash), hence the cast.
Comlink.expose(createEngineApi(), self as unknown as Comlink.Endpoint);
