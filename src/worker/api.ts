/**
 * The engine API that the worker exposes through Comlink. It is a plain object of async methods
 * around the pure engine, so it can be tested without a worker: expose it on one end of a
 * `MessageChannel`, or just call it.
 *
 * Long `propagate` and `figure` runs are cut into slices of about {@link EngineApiOptions.sliceMs}: between
 * slices the run yields one macrotask, so `cancel` calls and newer requests reach the worker while
 * it computes. A newer `propagate` in the same lane cancels the older one, which then rejects with
 * a {@link CancelledError}. Results are returned with every typed-array buffer marked for transfer,
 * so the worker hands them over instead of copying them.
 *
 * @module
 */
import * as Comlink from 'comlink';
import {
  createRng,
  criticalSigmaW2,
  initTensor,
  meanField,
  propagatePartSteps,
  type BatchPart,
  type InitContext,
  type InitSpec,
  type PropagateConfig,
  type PropagatePart,
  type PropagateProgress,
  type PropagateResult,
} from '../engine/index.ts';
import { isAwaitStep, propagateSharedSteps, setBatchHelper } from './split.ts';
import { figureModel } from '../figures/models.ts';
import { sanitizeParams } from '../figures/params.ts';
import { isFigureProgress, type FigureProgress } from '../figures/types.ts';

export type { PropagateConfig, PropagateResult };

/** Progress reported to the caller of a long run: the engine's step plus overall fraction and timing. */
export type RunProgress = PropagateProgress & {
  /** Share of the run's layers done, forward and backward together, in [0, 1]. */
  readonly fraction: number;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
};

/** Receives {@link RunProgress} reports; when it lives across a worker boundary it is a Comlink proxy. */
export type ProgressCallback = (progress: RunProgress) => unknown;

/** Progress of a long figure's run: what its model reports, plus the run's time so far (pauses excluded). */
export type FigureRunProgress = FigureProgress & { readonly elapsedMs: number };

/** Receives {@link FigureRunProgress} reports (a Comlink proxy across the worker boundary). */
export type FigureProgressCallback = (progress: FigureRunProgress) => unknown;

/** Name of the performance mark a worker sets when it computes a part of a split batch. */
export const PART_MARK = 'initbook:batch-part';

/** The lane used when a caller names none: all such runs supersede one another. */
export const DEFAULT_LANE = 'default';

/**
 * A run was cancelled: by {@link EngineApi.cancel}, or superseded by a newer run in its lane.
 * Recognise it by `name === 'CancelledError'` (the class itself does not cross the worker boundary).
 */
export class CancelledError extends Error {
  /** The id of the cancelled request, when it had one. */
  readonly requestId: string | undefined;

  /**
   * @param reason - why the run stopped, e.g. `'superseded'` or `'cancelled'`
   * @param requestId - the id of the cancelled request
   */
  constructor(reason: string, requestId?: string) {
    super(`request ${requestId ?? '(anonymous)'} ${reason}`);
    this.name = 'CancelledError';
    this.requestId = requestId;
  }
}

/** Tuning knobs of {@link createEngineApi}; the defaults suit a browser worker. */
export interface EngineApiOptions {
  /** Work between two yields to the event loop, in ms. Default 40. */
  readonly sliceMs?: number;
  /** Runs shorter than this report no progress, in ms. Default 300. */
  readonly progressAfterMs?: number;
  /** Clock for slicing and progress; never affects results. Default `performance.now`. */
  readonly now?: () => number;
  /** Lets queued messages run; default: one `MessageChannel` round trip (a macrotask, unclamped). */
  readonly yieldToEventLoop?: () => Promise<void>;
}

/** A running `propagate` or `figure`: what `cancel`, `pause`, `resume` and newer requests need. */
interface Run {
  readonly requestId: string | undefined;
  cancelled: string | undefined;
  /** Set while paused: resolving it lets the run go on (resume, cancel or a newer run). */
  wake: (() => void) | undefined;
  /** Set while the run waits for the second worker: cancelling resolves it, so it stops at once. */
  interrupt: (() => void) | undefined;
}

/** Wakes a paused run, if it is paused. */
function wakeRun(run: Run): void {
  const wake = run.wake;
  run.wake = undefined;
  wake?.();
}

/** Waits one macrotask via a throwaway `MessageChannel`; unlike `setTimeout(0)` it is not clamped to 4 ms. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * Lists the distinct `ArrayBuffer`s behind the typed arrays inside `value` (walking plain objects
 * and arrays). Shared and already detached buffers are skipped: neither can be transferred.
 */
export function collectTransferables(
  value: unknown,
  found = new Set<ArrayBuffer>(),
): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) found.add(buffer);
  } else if (value instanceof ArrayBuffer) {
    if (value.byteLength > 0) found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTransferables(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectTransferables(item, found);
  }
  return [...found];
}

/**
 * Marks every typed-array buffer inside `value` for transfer when Comlink posts it back.
 * After the post, the sender's copies are detached (`byteLength` 0): only return fresh results.
 * @returns `value` itself
 */
export function transferResult<T>(value: T): T {
  return Comlink.transfer(value, collectTransferables(value));
}

/** Marks the `'throw'` handler installed by {@link installErrorTransfer}, so it wraps only once. */
const ENRICHED = Symbol('initbook.enrichedThrowHandler');

/** Returns `value` if the structured-clone algorithm accepts it, else a string describing it. */
function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return typeof value === 'function' ? 'a function' : String(value);
  }
}

/**
 * Makes errors keep their own fields across Comlink. Comlink's `'throw'` handler sends only an
 * error's `message`, `name` and `stack`, and the receiver rebuilds it with
 * `Object.assign(new Error(message), fields)`. Wrapping its `serialize` to add the error's other own
 * fields (an `EngineInputError`'s `param`, `received`, `allowed`) is enough: the receiver, with
 * Comlink's stock handler, then gets them back on the rebuilt error. Install it where errors are
 * thrown (the worker); the receiving side needs nothing.
 * @param handlers - the handler map to patch (Comlink's own by default)
 */
export function installErrorTransfer(
  handlers: Map<string, Comlink.TransferHandler<unknown, unknown>> = Comlink.transferHandlers,
): void {
  const base = handlers.get('throw');
  if (!base || ENRICHED in base) return;
  const enriched = {
    [ENRICHED]: true,
    canHandle: (value: unknown): value is unknown => base.canHandle(value),
    serialize(thrown: unknown): [unknown, Transferable[]] {
      const [wire, transfers] = base.serialize(thrown);
      const error = (thrown as { value?: unknown }).value;
      const fields = (wire as { isError?: boolean; value?: Record<string, unknown> }).value;
      if (error instanceof Error && (wire as { isError?: boolean }).isError === true && fields) {
        for (const [key, field] of Object.entries(error)) {
          if (!(key in fields)) fields[key] = cloneable(field);
        }
      }
      return [wire, transfers];
    },
    deserialize: (wire: unknown): unknown => base.deserialize(wire),
  };
  handlers.set('throw', enriched);
}

/** Share of all layer steps (forward, plus backward when enabled) finished after `step`. */
function fractionDone(step: PropagateProgress, config: PropagateConfig): number {
  const phases = config.backward === true ? 2 : 1;
  const done = step.phase === 'forward' ? step.layer : step.of + step.layer;
  return Math.min(1, done / (phases * step.of));
}

/** Tries to release a Comlink proxy (a no-op for a plain function), so its port closes. */
function releaseIfProxy(callback: ProgressCallback | FigureProgressCallback | undefined): void {
  const release = (callback as Partial<Comlink.ProxyMethods> | undefined)?.[Comlink.releaseProxy];
  if (typeof release === 'function') release();
}

/**
 * Builds the engine API. Each API object keeps its own table of running requests.
 * @param options - slicing and progress tuning
 */
export function createEngineApi(options: EngineApiOptions = {}) {
  const sliceMs = options.sliceMs ?? 40;
  const progressAfterMs = options.progressAfterMs ?? 300;
  const now = options.now ?? (() => performance.now());
  const yieldToEventLoop = options.yieldToEventLoop ?? macrotask;
  const byId = new Map<string, Run>();
  const byLane = new Map<string, Run>();

  /** Runs paused by `pause`; a run checks this set at each checkpoint. */
  const paused = new Set<Run>();

  /**
   * Yields once, waits while the run is paused (its worker is idle meanwhile), then throws if the
   * run was cancelled or superseded.
   */
  async function checkpoint(run: Run): Promise<void> {
    await yieldToEventLoop();
    while (paused.has(run) && run.cancelled === undefined) {
      await new Promise<void>((resolve) => (run.wake = resolve));
    }
    if (run.cancelled !== undefined) throw new CancelledError(run.cancelled, run.requestId);
  }

  /** Marks a run cancelled and wakes it if it is paused, so it rejects at once. */
  function cancelRun(run: Run, reason: string): void {
    run.cancelled = reason;
    paused.delete(run);
    wakeRun(run);
    run.interrupt?.();
  }

  /**
   * Runs a generator of engine steps in slices of about `sliceMs`, yielding to the event loop
   * between slices so `cancel` and newer requests in the lane get through; returns its result.
   * A yielded {@link AwaitStep} (the second worker's half of a split batch) is awaited and its value
   * passed back into the generator. A run that stops early closes its generator, so the
   * generator's own clean-up (stopping the second worker's half) runs.
   */
  async function sliced<T>(
    start: () => Generator<unknown, T, unknown>,
    opts: {
      readonly requestId: string | undefined;
      readonly lane: string;
      /** Receives the value the generator yielded last, and the run's time so far (pauses excluded). */
      readonly report?: ((step: unknown, elapsedMs: number) => unknown) | undefined;
      /** Loads what the run needs, after it is registered (so it can be paused or cancelled meanwhile). */
      readonly prepare?: (() => Promise<void>) | undefined;
    },
  ): Promise<T> {
    const { requestId, lane, report } = opts;
    const run: Run = { requestId, cancelled: undefined, wake: undefined, interrupt: undefined };
    let steps: Generator<unknown, T, unknown> | undefined;
    const older = byLane.get(lane);
    if (older) cancelRun(older, 'superseded');
    byLane.set(lane, run);
    if (requestId !== undefined) byId.set(requestId, run);
    try {
      await opts.prepare?.();
      // Yield before any work: a burst of requests then costs only the newest one its compute.
      await checkpoint(run);
      let started = now();
      let sliceStart = started;
      steps = start();
      let step = steps.next();
      while (step.done !== true) {
        if (isAwaitStep(step.value)) {
          const stopped = new Promise<void>((resolve) => (run.interrupt = resolve));
          const reply = await Promise.race([step.value.awaiting, stopped]);
          run.interrupt = undefined;
          await checkpoint(run);
          sliceStart = now();
          step = steps.next(reply);
          continue;
        }
        const t = now();
        if (t - sliceStart >= sliceMs) {
          if (report && t - started >= progressAfterMs) {
            // Fire and forget: a slow or closed receiver must not stall the run.
            Promise.resolve(report(step.value, t - started)).catch(() => {});
          }
          await checkpoint(run);
          // Time spent paused or waiting does not count as the run's own time.
          const resumed = now();
          started += resumed - t;
          sliceStart = resumed;
        }
        step = steps.next();
      }
      const result = step.value;
      steps = undefined;
      return result;
    } finally {
      steps?.return(undefined as T);
      paused.delete(run);
      if (byLane.get(lane) === run) byLane.delete(lane);
      if (requestId !== undefined && byId.get(requestId) === run) byId.delete(requestId);
    }
  }

  /** Drops the second worker, if any: its pending halves are computed here instead. */
  let detach: () => void = () => {};

  const api = {
    /** Answers `'pong'`: proves the worker is up and its message loop free. */
    async ping(): Promise<'pong'> {
      return 'pong';
    },

    /**
     * Runs the engine's `propagate`, in slices, and returns its result with buffers transferred.
     * With a second worker attached ({@link attachHelper}) a large forward-only run at
     * `summaries: 'moments'` is split across both (the result then has `batchParts: 2`).
     * @param config - the engine's propagate config
     * @param requestId - lets {@link cancel} name this run
     * @param onProgress - called about every `sliceMs` once the run is older than `progressAfterMs`
     * @param lane - runs in one lane supersede each other (default {@link DEFAULT_LANE})
     * @throws CancelledError when cancelled or superseded; EngineInputError for a bad config
     */
    async propagate(
      config: PropagateConfig,
      requestId?: string,
      onProgress?: ProgressCallback,
      lane: string = DEFAULT_LANE,
    ): Promise<PropagateResult> {
      const report =
        onProgress &&
        ((value: unknown, elapsedMs: number) => {
          if (isAwaitStep(value)) return undefined;
          const step = value as PropagateProgress;
          return onProgress({ ...step, fraction: fractionDone(step, config), elapsedMs });
        });
      try {
        return transferResult(
          await sliced(() => propagateSharedSteps(config), { requestId, lane, report }),
        );
      } finally {
        releaseIfProxy(onProgress);
      }
    },

    /**
     * Computes a figure's data from its parameters (checked against the figure's schema here too,
     * whatever the page sent), in slices like `propagate`.
     * @param id - the figure's id (src/figures/models.ts)
     * @param params - its parameters
     * @param lane - runs in one lane supersede each other (default {@link DEFAULT_LANE})
     * @param requestId - lets {@link cancel}, {@link pause} and {@link resume} name this run
     * @param onProgress - for long figures (training): called about every `sliceMs`, once the run is
     *   older than `progressAfterMs`, with what the model reports ({@link FigureProgress})
     * @returns the data for the figure's view, its text summary, its data table and its PyTorch script
     * @throws CancelledError when superseded or cancelled; EngineInputError for impossible combinations
     */
    async figure(
      id: string,
      params: Record<string, unknown>,
      lane: string = DEFAULT_LANE,
      requestId?: string,
      onProgress?: FigureProgressCallback,
    ) {
      try {
        const model = figureModel(id);
        const { params: checked } = sanitizeParams(model.schema, params);
        const report =
          onProgress &&
          ((value: unknown, elapsedMs: number) =>
            isFigureProgress(value) ? onProgress({ ...value, elapsedMs }) : undefined);
        const data: unknown = await sliced(() => model.compute(checked), {
          requestId,
          lane,
          report,
          prepare: model.prepare && (() => model.prepare!()),
        });
        return transferResult({
          data,
          summary: model.summary(data, checked),
          table: model.table(data, checked),
          pytorch: model.pytorch(checked),
        });
      } finally {
        releaseIfProxy(onProgress);
      }
    },

    /**
     * Cancels the run started with `requestId`; it rejects with {@link CancelledError} at its next
     * yield (at once, if it is paused).
     * @returns whether such a run was still going
     */
    async cancel(requestId: string): Promise<boolean> {
      const run = byId.get(requestId);
      if (!run) return false;
      cancelRun(run, 'cancelled');
      return true;
    },

    /**
     * Pauses the run started with `requestId` at its next yield; the worker serves other requests
     * meanwhile. A paused run can still be resumed, cancelled or superseded.
     * @returns whether such a run was still going
     */
    async pause(requestId: string): Promise<boolean> {
      const run = byId.get(requestId);
      if (!run || run.cancelled !== undefined) return false;
      paused.add(run);
      return true;
    },

    /**
     * Lets a paused run go on from where it stopped; its result is the same as if it never paused.
     * @returns whether such a run was still going
     */
    async resume(requestId: string): Promise<boolean> {
      const run = byId.get(requestId);
      if (!run || run.cancelled !== undefined) return false;
      paused.delete(run);
      wakeRun(run);
      return true;
    },

    /**
     * Computes one part of a split batch (the engine's `propagatePart`), in slices; cancel it by
     * `requestId`. The lane defaults to `part:<requestId>`, so parts with distinct ids never
     * supersede each other.
     * @throws CancelledError when cancelled; EngineInputError for a bad config or part
     */
    async propagatePart(
      config: PropagateConfig,
      part: BatchPart,
      requestId?: string,
      lane: string = `part:${requestId ?? ''}`,
    ): Promise<PropagatePart> {
      // A trace for DevTools (and the browser test): this worker served a part. Only the latest is kept.
      performance.clearMarks(PART_MARK);
      performance.mark(PART_MARK);
      return transferResult(
        await sliced(() => propagatePartSteps(config, part), { requestId, lane }),
      );
    },

    /**
     * Serves this API on `port` as well (for another worker: the main thread hands one end of a
     * `MessageChannel` to this worker and the other to the worker that will call it).
     */
    async serve(port: MessagePort): Promise<void> {
      Comlink.expose(api, port);
    },

    /**
     * Uses the engine API served on `port` as a second worker: large `propagate` runs (and figures
     * that call `propagateSharedSteps`) send it half the batch. Replaces any earlier helper.
     */
    async attachHelper(port: MessagePort): Promise<void> {
      detach();
      const remote = Comlink.wrap<EngineApi>(port);
      const pending = new Set<(reason: Error) => void>();
      let lastId = 0;
      setBatchHelper((config, part) => {
        const id = `half-${++lastId}`;
        let fail: (reason: Error) => void = () => {};
        const lost = new Promise<never>((_, reject) => (fail = reject));
        pending.add(fail);
        const result = Promise.race([remote.propagatePart(config, part, id), lost]).finally(() =>
          pending.delete(fail),
        );
        return { result, cancel: () => void remote.cancel(id).catch(() => {}) };
      });
      detach = () => {
        setBatchHelper(null);
        for (const fail of pending) fail(new Error('the second worker is gone'));
        pending.clear();
        remote[Comlink.releaseProxy]();
        detach = () => {};
      };
    },

    /** Stops using the second worker (it died or is being shut down); its pending halves are redone here. */
    async detachHelper(): Promise<void> {
      detach();
    },

    /** The engine's `meanField`, with typed arrays in the result transferred. */
    async meanField(...args: Parameters<typeof meanField>): Promise<ReturnType<typeof meanField>> {
      return transferResult(meanField(...args));
    },

    /** The engine's `criticalSigmaW2`. */
    async criticalSigmaW2(
      ...args: Parameters<typeof criticalSigmaW2>
    ): Promise<ReturnType<typeof criticalSigmaW2>> {
      return criticalSigmaW2(...args);
    },

    /**
     * The engine's `initTensor`, drawing from a fresh generator seeded with `seed` (a generator
     * cannot cross the worker boundary); the sampled tensor is transferred.
     * @param shape - dimensions in PyTorch layout
     * @param spec - what to draw
     * @param seed - seed of the generator
     * @param context - `fanIn` for `torch_default` biases
     */
    async initTensor(
      shape: readonly number[],
      spec: InitSpec,
      seed: number,
      context?: InitContext,
    ): Promise<Float32Array> {
      return transferResult(initTensor(shape, spec, createRng(seed), context));
    },
  };
  return api;
}

/** The API object the worker exposes. */
export type EngineApi = ReturnType<typeof createEngineApi>;
