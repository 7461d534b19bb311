/**
 * The engine worker: exposes {@link createEngineApi} over Comlink and does nothing else.
 * Built by Vite from `new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' })`.
 *
 * @module
 */
import * as Comlink from 'comlink';
import { createEngineApi, installErrorTransfer } from './api.ts';

installErrorTransfer();
// `self` passed explicitly: @vitest/web-worker provides `self`, not a worker `globalThis`. The root
// tsconfig types it as a Window (DOM lib; the WebWorker lib would clash), hence the cast.
Comlink.expose(createEngineApi(), self as unknown as Comlink.Endpoint);
