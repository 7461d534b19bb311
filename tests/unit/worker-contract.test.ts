/**
 * The worker API's Comlink contract, over a real `MessageChannel` (structured clone, real
 * transfers) but without a worker: results equal direct engine calls bit for bit, typed arrays are
 * transferred (the sender's copies detach), long runs report progress, cancel and supersede reject
 * with a CancelledError, and engine input errors keep their fields.
 */
import * as Comlink from 'comlink';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as engine from '../../src/engine/index.ts';
import {
  collectTransferables,
  createEngineApi,
  transferResult,
  installErrorTransfer,
  type EngineApi,
  type EngineApiOptions,
  type FigureRunProgress,
  type PropagateConfig,
  type RunProgress,
} from '../../src/worker/api.ts';

/** Small but complete: forward and backward, histograms included. */
const CONFIG: PropagateConfig = {
  depth: 6,
  width: 32,
  batch: 16,
  activation: 'relu',
  weightInit: { name: 'kaiming_normal', nonlinearity: 'relu' },
  seed: 7,
  backward: true,
};

/** Long enough to slice many times when every layer is its own slice. */
const LONG: PropagateConfig = { ...CONFIG, depth: 40, width: 64, batch: 32 };

/** Every layer its own slice, progress from the start: exercises slicing without timing luck. */
const EAGER: EngineApiOptions = { sliceMs: 0, progressAfterMs: 0 };

const open: MessagePort[] = [];

/** Exposes `api` on one port of a fresh channel and wraps the other with Comlink. */
function connect(api: EngineApi = createEngineApi()): Comlink.Remote<EngineApi> {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  Comlink.expose(api, port1);
  return Comlink.wrap<EngineApi>(port2);
}

/** Settles `promise` and returns what it rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

beforeAll(() => installErrorTransfer());
afterEach(() => {
  for (const port of open.splice(0)) port.close();
});

describe('results', () => {
  it('propagate over the channel equals the engine called directly (same seed)', async () => {
    const remote = connect();
    const viaChannel = await remote.propagate(CONFIG);
    expect(viaChannel).toEqual(engine.propagate(CONFIG));
    expect(viaChannel.layers[CONFIG.depth - 1]!.gradWeight).toBeDefined();
  });

  it('meanField, criticalSigmaW2 and initTensor equal direct calls', async () => {
    const remote = connect();
    const mf = { activation: 'tanh', sigmaW2: 1.5, sigmaB2: 0.05, q0: 1, depth: 20 };
    expect(await remote.meanField(mf)).toEqual(engine.meanField(mf));
    expect(await remote.criticalSigmaW2('relu', 0)).toBe(engine.criticalSigmaW2('relu', 0));
    const spec = { name: 'kaiming_normal', nonlinearity: 'relu' } as const;
    const direct = engine.initTensor([8, 16], spec, engine.createRng(3));
    expect(await remote.initTensor([8, 16], spec, 3)).toEqual(direct);
  });

  it('ping answers pong', async () => {
    expect(await connect().ping()).toBe('pong');
  });
});

describe('transfers', () => {
  it('collectTransferables lists each buffer once and skips detached ones', () => {
    const a = new Float32Array(8);
    const detached = new Float32Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const value = { a, again: a.subarray(2), nested: [{ b: new Float64Array(2) }], detached };
    const buffers = collectTransferables(value);
    expect(buffers).toHaveLength(2);
    expect(buffers).toContain(a.buffer);
  });

  it('detaches every typed array of a returned result, however deeply nested', async () => {
    const histogram = { edges: [0, 1, 2], counts: new Float64Array([3, 4]) };
    const sent = { layers: [{ pre: { histogram }, raw: new Float32Array(6).fill(1) }] };
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    Comlink.expose({ result: async () => transferResult(sent) }, port1);
    const received = await Comlink.wrap<{ result(): Promise<typeof sent> }>(port2).result();
    expect(histogram.counts.byteLength).toBe(0);
    expect(sent.layers[0]!.raw.byteLength).toBe(0);
    expect(Array.from(received.layers[0]!.pre.histogram.counts)).toEqual([3, 4]);
    expect(Array.from(received.layers[0]!.raw)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('leaves the sender intact when nothing is marked for transfer (control)', async () => {
    const sent = { raw: new Float32Array(4) };
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    Comlink.expose({ result: async () => sent }, port1);
    await Comlink.wrap<{ result(): Promise<typeof sent> }>(port2).result();
    expect(sent.raw.byteLength).toBe(16);
  });

  it('detaches the sampled tensor of initTensor', async () => {
    const api = createEngineApi();
    let sent: Float32Array = new Float32Array(0);
    const remote = connect({
      ...api,
      initTensor: async (...args: Parameters<EngineApi['initTensor']>) =>
        (sent = await api.initTensor(...args)),
    });
    const received = await remote.initTensor([4, 4], { name: 'normal' }, 1);
    expect(received).toHaveLength(16);
    expect(sent.byteLength).toBe(0);
  });
});

describe('long runs', () => {
  it('report progress through a proxied callback, layer by layer', async () => {
    const remote = connect(createEngineApi(EAGER));
    const reports: RunProgress[] = [];
    await remote.propagate(
      LONG,
      'p',
      Comlink.proxy((p: RunProgress) => void reports.push(p)),
    );
    // Reports are fire-and-forget: let the last ones land.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reports.length).toBeGreaterThan(LONG.depth);
    const forward = reports.filter((p) => p.phase === 'forward').map((p) => p.layer);
    expect(forward).toEqual([...forward].sort((a, b) => a - b));
    expect(reports.some((p) => p.phase === 'backward')).toBe(true);
    expect(reports.every((p) => p.of === LONG.depth && p.elapsedMs >= 0)).toBe(true);
    const fractions = reports.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBeGreaterThan(0.9);
  });

  it('report nothing before progressAfterMs', async () => {
    const remote = connect(createEngineApi({ sliceMs: 0, progressAfterMs: 1e9 }));
    const reports: RunProgress[] = [];
    await remote.propagate(
      CONFIG,
      'q',
      Comlink.proxy((p: RunProgress) => void reports.push(p)),
    );
    expect(reports).toEqual([]);
  });

  it('cancel rejects the run with a CancelledError', async () => {
    const remote = connect(createEngineApi(EAGER));
    const run = remote.propagate(LONG, 'r1');
    expect(await remote.cancel('r1')).toBe(true);
    const error = await rejection(run);
    expect(error.name).toBe('CancelledError');
    expect(await remote.cancel('r1')).toBe(false);
  });

  it('a newer run supersedes an older one in its lane, not in other lanes', async () => {
    const remote = connect(createEngineApi(EAGER));
    const older = remote.propagate(LONG, 'o', undefined, 'fig-a');
    const otherLane = remote.propagate(CONFIG, 'x', undefined, 'fig-b');
    const newer = remote.propagate(CONFIG, 'n', undefined, 'fig-a');
    expect((await rejection(older)).name).toBe('CancelledError');
    expect(await newer).toEqual(engine.propagate(CONFIG));
    expect(await otherLane).toEqual(engine.propagate(CONFIG));
  });
});

describe('pause, resume and cancel of a training figure', () => {
  const TRAIN = {
    inits: ['kaiming_normal', 'xavier_normal'],
    depth: 3,
    width: 16,
    steps: 100,
  };
  /** Waits `n` macrotasks: enough for a running, unpaused run to make progress. */
  const turns = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };

  it('reports its progress in words, with a growing fraction', async () => {
    const remote = connect(createEngineApi(EAGER));
    const reports: FigureRunProgress[] = [];
    await remote.figure(
      'training-curves',
      TRAIN,
      'tc',
      't0',
      Comlink.proxy((p: FigureRunProgress) => void reports.push(p)),
    );
    await turns(5);
    expect(reports.length).toBeGreaterThan(100);
    const fractions = reports.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1);
    // The inits run in the schema's order, whatever order the request named them in.
    expect(reports[0]?.text).toMatch(/^Xavier normal \(1 of 2\): step 1 of 100/);
    expect(reports.at(-1)?.text).toMatch(/^He normal \(2 of 2\): step 100 of 100, loss \d/);
  });

  it('a paused run makes no progress, and resumed gives the same result as an unpaused one', async () => {
    const api = createEngineApi(EAGER);
    const remote = connect(api);
    const reports: FigureRunProgress[] = [];
    const run = remote.figure(
      'training-curves',
      TRAIN,
      'tc',
      't1',
      Comlink.proxy((p: FigureRunProgress) => void reports.push(p)),
    );
    while (reports.length < 20) await turns(1);
    expect(await remote.pause('t1')).toBe(true);
    await turns(5); // reports already on their way land
    const at = reports.length;
    await turns(50);
    expect(reports.length).toBe(at);
    // The worker still answers other requests while the run is paused.
    expect(await remote.ping()).toBe('pong');
    const other = await remote.figure('training-curves', { ...TRAIN, steps: 50 }, 'other');
    expect(other.summary).toMatch(/^50 steps/);
    expect(await remote.resume('t1')).toBe(true);
    const resumed = await run;
    expect(reports.length).toBeGreaterThan(at);
    const direct = await createEngineApi().figure('training-curves', TRAIN);
    expect(resumed).toEqual(direct);
  });

  it('cancelling a paused run rejects it at once; pause and resume of an unknown run say false', async () => {
    const remote = connect(createEngineApi(EAGER));
    const run = remote.figure('training-curves', TRAIN, 'tc', 't2');
    await turns(3);
    expect(await remote.pause('t2')).toBe(true);
    expect(await remote.cancel('t2')).toBe(true);
    expect((await rejection(run)).name).toBe('CancelledError');
    expect(await remote.resume('t2')).toBe(false);
    expect(await remote.pause('nobody')).toBe(false);
  });

  it('a newer request in the lane supersedes a paused run', async () => {
    const remote = connect(createEngineApi(EAGER));
    const older = remote.figure('training-curves', TRAIN, 'tc', 'p1');
    await turns(3);
    expect(await remote.pause('p1')).toBe(true);
    const newer = remote.figure('training-curves', { ...TRAIN, steps: 50 }, 'tc', 'p2');
    expect((await rejection(older)).name).toBe('CancelledError');
    expect((await newer).summary).toMatch(/^50 steps/);
  });
});

describe('errors', () => {
  it('an EngineInputError keeps name, message, param, received and allowed', async () => {
    const bad = { ...CONFIG, width: -3 };
    let direct: engine.EngineInputError | undefined;
    try {
      engine.propagate(bad);
    } catch (error) {
      direct = error as engine.EngineInputError;
    }
    expect(direct).toBeInstanceOf(engine.EngineInputError);
    const error = await rejection(connect().propagate(bad));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'EngineInputError',
      message: direct!.message,
      param: direct!.param,
      received: -3,
      allowed: direct!.allowed,
    });
  });

  it('keeps the fields of errors from the other methods too', async () => {
    const error = await rejection(connect().criticalSigmaW2('swish-ish', 0));
    expect(error).toMatchObject({
      name: 'EngineInputError',
      param: 'activation',
      received: 'swish-ish',
    });
  });

  it('replaces a received value that cannot be cloned by a description', () => {
    const handler = Comlink.transferHandlers.get('throw')!;
    const error = new engine.EngineInputError('fn', () => 1, 'a number');
    const [wire] = handler.serialize({ value: error }) as [
      { value: Record<string, unknown> },
      unknown,
    ];
    expect(wire.value).toMatchObject({
      name: 'EngineInputError',
      param: 'fn',
      received: 'a function',
    });
  });
});
