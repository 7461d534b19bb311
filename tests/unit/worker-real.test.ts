/**
 * The real path: main-thread client → `new Worker(engine.worker.ts)` → Comlink → engine, with the
 * worker simulated in-process by @vitest/web-worker (messages still go through structured clone).
 */
import '@vitest/web-worker';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEngineClient,
  getEngine,
  isCancelledError,
  type EngineClient,
  type WorkerFactory,
} from '../../src/client/engine-client.ts';
import * as engine from '../../src/engine/index.ts';
import { createEngineApi } from '../../src/worker/api.ts';
import type { PropagateConfig, RunProgress } from '../../src/worker/api.ts';

const CONFIG: PropagateConfig = {
  depth: 5,
  width: 24,
  batch: 12,
  activation: 'tanh',
  weightInit: { name: 'xavier_normal' },
  seed: 11,
  backward: true,
};

/** Big enough to take several slices (and report progress) on any machine. */
const LONG: PropagateConfig = { ...CONFIG, depth: 40, width: 256, batch: 128 };

const clients: EngineClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.terminate();
});

/**
 * A client whose factory records the engine workers it starts.
 * @param crash - make every worker fire an `error` event right after it starts
 */
function recordingClient(crash = false) {
  const workers: Worker[] = [];
  const factory: WorkerFactory = () => {
    const url = new URL('../../src/worker/engine.worker.ts', import.meta.url);
    const worker = new Worker(url, { type: 'module' });
    workers.push(worker);
    if (crash) queueMicrotask(() => worker.dispatchEvent(new Event('error')));
    return worker;
  };
  const client = createEngineClient(factory);
  clients.push(client);
  return { client, workers };
}

/** What `promise` rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('engine client with the real worker module', () => {
  it('starts the bundled worker lazily and answers ping', async () => {
    const client = createEngineClient();
    clients.push(client);
    expect(client.version()).toBe(0);
    expect(await client.request('ping', [])).toBe('pong');
    expect(client.version()).toBe(1);
  });

  it('shares one client per page through getEngine', async () => {
    const engineClient = getEngine();
    clients.push(engineClient);
    expect(getEngine()).toBe(engineClient);
    expect(await engineClient.request('ping', [])).toBe('pong');
  });

  it('propagates exactly like the engine', async () => {
    const { client } = recordingClient();
    expect(await client.request('propagate', [CONFIG])).toEqual(engine.propagate(CONFIG));
  });

  it('reports progress of a long run', async () => {
    const { client } = recordingClient();
    const reports: RunProgress[] = [];
    const started = performance.now();
    await client.request('propagate', [LONG], { onProgress: (p) => reports.push(p) });
    // Reports start after 300 ms and come every ~40 ms; a run past 1 s must have sent some.
    if (performance.now() - started > 1000) expect(reports.length).toBeGreaterThan(0);
    for (const p of reports) expect(p).toMatchObject({ of: LONG.depth });
    const fractions = reports.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('delivers an EngineInputError with its fields', async () => {
    const { client } = recordingClient();
    const error = await rejection(client.request('propagate', [{ ...CONFIG, depth: 0 }]));
    expect(error).toMatchObject({ name: 'EngineInputError', param: 'depth', received: 0 });
    expect(typeof error['allowed']).toBe('string');
  });

  it('rejects a superseded request and an aborted one with CancelledError', async () => {
    const { client } = recordingClient();
    const older = client.request('propagate', [LONG], { lane: 'fig' });
    const newer = client.request('propagate', [CONFIG], { lane: 'fig' });
    const controller = new AbortController();
    const aborted = client.request('propagate', [LONG], {
      lane: 'other',
      signal: controller.signal,
    });
    controller.abort();
    expect(isCancelledError(await rejection(older))).toBe(true);
    expect(isCancelledError(await rejection(aborted))).toBe(true);
    expect(await newer).toEqual(engine.propagate(CONFIG));
  });

  it("pauses, resumes and cancels a lane's figure run through control", async () => {
    const { client } = recordingClient();
    const params = { inits: ['kaiming_normal'], depth: 4, width: 16, steps: 300 };
    expect(await client.control('tc', 'pause')).toBe(false); // nothing in flight
    const run = client.request('figure', ['training-curves', params], { lane: 'tc' });
    // Messages keep their order: the pause reaches the worker after the run registered, before
    // its first step (a run yields once before any work).
    expect(await client.control('tc', 'pause')).toBe(true);
    expect(await client.request('ping', [], { lane: 'ping' })).toBe('pong'); // not blocked
    expect(await client.control('tc', 'resume')).toBe(true);
    const direct = await createEngineApi().figure('training-curves', params);
    expect(await run).toEqual(direct);
    expect(await client.control('tc', 'resume')).toBe(false); // finished

    const cancelled = client.request('figure', ['training-curves', params], { lane: 'tc' });
    expect(await client.control('tc', 'pause')).toBe(true);
    expect(await client.control('tc', 'cancel')).toBe(true);
    expect(isCancelledError(await rejection(cancelled))).toBe(true);
    // The worker is free for the next request.
    expect(await client.request('figure', ['training-curves', params], { lane: 'tc' })).toEqual(
      direct,
    );
  });

  it('starts a fresh worker after terminate', async () => {
    const { client, workers } = recordingClient();
    expect(await client.request('ping', [])).toBe('pong');
    const inFlight = client.request('propagate', [CONFIG]);
    client.terminate();
    expect(isCancelledError(await rejection(inFlight))).toBe(true);
    expect(await client.request('ping', [])).toBe('pong');
    expect(workers).toHaveLength(2);
  });

  it('restarts a crashed worker and retries the request once', async () => {
    const { client, workers } = recordingClient();
    // Let the first worker finish loading: @vitest/web-worker evaluates a module once for workers
    // that load it concurrently, so a second worker started mid-load would never answer.
    expect(await client.request('ping', [])).toBe('pong');
    // The request is in flight: the worker API yields once before computing anything.
    const pending = client.request('propagate', [CONFIG]);
    workers[0]!.dispatchEvent(new Event('error'));
    expect(await pending).toEqual(engine.propagate(CONFIG));
    expect(workers).toHaveLength(2);
  });

  it('gives up with EngineWorkerError when the retry dies too', async () => {
    const { client, workers } = recordingClient(true);
    const error = await rejection(client.request('ping', []));
    expect(error.name).toBe('EngineWorkerError');
    expect(workers).toHaveLength(2);
  });
});
