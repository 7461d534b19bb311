/**
 * Main-thread client of the engine worker. The worker starts on the first request, is restarted
 * when it dies (a request caught by the crash is retried once on the new worker), and can be
 * terminated. Requests share *lanes*: a newer request in a lane supersedes the older one, which
 * rejects at once with a {@link CancelledError}, so a figure only ever renders its latest result.
 *
 * ```ts
 * try {
 *   const result = await getEngine().request('propagate', [config], { lane: 'fig-variance', onProgress });
 *   render(result);
 * } catch (error) {
 *   if (!isCancelledError(error)) showError(error);
 * }
 * ```
 *
 * @module
 */
import * as Comlink from 'comlink';
import type { EngineApi, FigureRunProgress, PropagateConfig, RunProgress } from '../worker/api.ts';

/**
 * The API methods a caller can request (`cancel`, `pause` and `resume` are driven by
 * {@link RequestOptions.signal} and {@link EngineClient.control}).
 */
export type RequestKind = Exclude<
  keyof EngineApi,
  'cancel' | 'pause' | 'resume' | 'serve' | 'attachHelper' | 'detachHelper'
>;

/** What a request of kind `K` reports as progress. */
export type ProgressOf<K extends RequestKind> = K extends 'figure'
  ? FigureRunProgress
  : RunProgress;

/** What {@link EngineClient.control} can do to a lane's running request. */
export type RunControl = 'pause' | 'resume' | 'cancel';

/** Arguments of a request: for `propagate` just the config (the client adds id, progress, lane). */
export type RequestArgs<K extends RequestKind> = K extends 'propagate'
  ? [config: PropagateConfig]
  : K extends 'figure'
    ? [id: string, params: Record<string, unknown>]
    : Parameters<EngineApi[K]>;

/** What a request resolves to: the API method's result, with typed arrays transferred. */
export type RequestResult<K extends RequestKind> = Awaited<ReturnType<EngineApi[K]>>;

/** Options of {@link EngineClient.request}. */
export interface RequestOptions<K extends RequestKind = RequestKind> {
  /**
   * Called during runs longer than ~300 ms (`propagate`, and `figure` for long figures such as
   * training), never after the request settled.
   */
  readonly onProgress?: (progress: ProgressOf<K>) => void;
  /** Aborting rejects the request with a {@link CancelledError} and stops the worker's run. */
  readonly signal?: AbortSignal;
  /**
   * Requests in one lane supersede each other; default `'default'`. Give each figure its own lane,
   * or figures on one page would cancel each other's requests.
   */
  readonly lane?: string;
}

/** The main-thread handle on the engine worker. */
export interface EngineClient {
  /**
   * Sends one request to the worker, starting the worker if needed.
   * @param kind - the API method
   * @param args - its arguments
   * @param options - progress callback, abort signal, lane
   * @returns the result; rejects with {@link CancelledError} when superseded, aborted or terminated,
   *   with the engine's error (e.g. `name === 'EngineInputError'`, with `param`, `received`,
   *   `allowed`) when the input is bad, with {@link EngineWorkerError} when the worker dies twice
   */
  request<K extends RequestKind>(
    kind: K,
    args: RequestArgs<K>,
    options?: RequestOptions<K>,
  ): Promise<RequestResult<K>>;
  /**
   * Pauses, resumes or cancels the lane's request in flight (`propagate` or `figure`). Cancelling
   * rejects it with a {@link CancelledError} at once; a paused run keeps its place and, resumed,
   * gives the same result as if it had never paused.
   * @returns whether the lane had a request in flight that the worker still knew
   */
  control(lane: string, action: RunControl): Promise<boolean>;
  /** How many requests the lane has seen; a result is current if no request came after it. */
  version(lane?: string): number;
  /** Stops the worker and cancels what is in flight; the next request starts a fresh worker. */
  terminate(): void;
}

/** Creates the worker; swapped out in tests. */
export type WorkerFactory = () => Worker;

/** Lane of requests that name none. */
const DEFAULT_LANE = 'default';

/**
 * A request was superseded, aborted or terminated. Errors of the same name also come from the
 * worker; test with {@link isCancelledError} rather than `instanceof`.
 */
export class CancelledError extends Error {
  /** @param reason - why, e.g. `'superseded'` */
  constructor(reason: string) {
    super(`engine request ${reason}`);
    this.name = 'CancelledError';
  }
}

/** The worker died (crashed, failed to load) on the first attempt and again on the retry. */
export class EngineWorkerError extends Error {
  /** @param message - what the worker's error event said */
  constructor(message: string) {
    super(message);
    this.name = 'EngineWorkerError';
  }
}

/** Whether `error` means "cancelled" (local or from the worker): callers usually just ignore it. */
export function isCancelledError(error: unknown): boolean {
  return error instanceof Error && error.name === 'CancelledError';
}

/** One live worker and its Comlink proxy; `died` rejects when the worker dies. */
interface Instance {
  readonly worker: Worker;
  readonly remote: Comlink.Remote<EngineApi>;
  readonly died: Promise<never>;
  /** The second worker that takes half of large batches, if one was started. */
  helper?: Worker | undefined;
}

/** Options of {@link createEngineClient}. */
export interface EngineClientOptions {
  /**
   * Start a second worker beside the engine worker and let the engine send it half of every large
   * batch (see src/worker/split.ts). Default false; {@link getEngine} turns it on where the browser
   * reports at least two cores. If the second worker dies, the engine goes on alone.
   */
  readonly helper?: boolean;
}

/** Starts the bundled engine worker. */
function defaultFactory(): Worker {
  return new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
}

/** Describes a worker `error` / `messageerror` event for an error message. */
function describe(event: Event): string {
  const message = (event as Partial<ErrorEvent>).message;
  return `engine worker ${event.type}${message ? `: ${message}` : ''}`;
}

/**
 * Creates a client with its own (lazily started) worker.
 * @param factory - creates the worker (and the second worker); the bundled engine worker by default
 * @param options - whether to start a second worker
 */
export function createEngineClient(
  factory: WorkerFactory = defaultFactory,
  options: EngineClientOptions = {},
): EngineClient {
  let current: Instance | undefined;
  let lastId = 0;
  const versions = new Map<string, number>();
  /** Cancels the pending request of each lane. */
  const pendingByLane = new Map<string, (error: CancelledError) => void>();
  /** The pending request of each lane: its id and the worker running it, for {@link control}. */
  const runningByLane = new Map<string, { readonly id: string; instance?: Instance }>();
  /** Cancels every pending request (for terminate). */
  const inFlight = new Set<(error: CancelledError) => void>();

  /** Starts a worker; its `error` / `messageerror` event marks it dead and rejects `died`. */
  function start(): Instance {
    const worker = factory();
    let die: (error: EngineWorkerError) => void = () => {};
    const died = new Promise<never>((_, reject) => (die = reject));
    died.catch(() => {}); // observed by requests; a death with none pending is not an error
    const instance: Instance = { worker, remote: Comlink.wrap<EngineApi>(worker), died };
    const onFailure = (event: Event): void => {
      if (current === instance) current = undefined;
      worker.terminate();
      instance.helper?.terminate();
      die(new EngineWorkerError(describe(event)));
    };
    worker.addEventListener('error', onFailure);
    worker.addEventListener('messageerror', onFailure);
    if (options.helper === true) startHelper(instance);
    return instance;
  }

  /**
   * Starts the second worker and connects the two by a `MessageChannel`: the helper serves its API
   * on one end, the engine worker calls it through the other. These messages go out before any
   * request, so the engine has its helper from its first run on.
   */
  function startHelper(instance: Instance): void {
    let helper: Worker;
    try {
      helper = factory();
    } catch {
      return; // one worker is enough
    }
    instance.helper = helper;
    const { port1, port2 } = new MessageChannel();
    Comlink.wrap<EngineApi>(helper)
      .serve(Comlink.transfer(port1, [port1]))
      .catch(() => {});
    instance.remote.attachHelper(Comlink.transfer(port2, [port2])).catch(() => {});
    const lost = (): void => {
      helper.terminate();
      if (instance.helper === helper) instance.helper = undefined;
      instance.remote.detachHelper().catch(() => {});
    };
    helper.addEventListener('error', lost);
    helper.addEventListener('messageerror', lost);
  }

  return {
    request<K extends RequestKind>(
      kind: K,
      args: RequestArgs<K>,
      options: RequestOptions<K> = {},
    ): Promise<RequestResult<K>> {
      const lane = options.lane ?? DEFAULT_LANE;
      const version = (versions.get(lane) ?? 0) + 1;
      versions.set(lane, version);
      pendingByLane.get(lane)?.(new CancelledError('superseded'));
      const requestId = String(++lastId);

      return new Promise<RequestResult<K>>((resolve, reject) => {
        let settled = false;
        const running: { readonly id: string; instance?: Instance } = { id: requestId };
        const { signal, onProgress } = options;

        const settle = (done: () => void): void => {
          if (settled) return;
          settled = true;
          if (pendingByLane.get(lane) === cancel) pendingByLane.delete(lane);
          if (runningByLane.get(lane) === running) runningByLane.delete(lane);
          inFlight.delete(cancel);
          signal?.removeEventListener('abort', onAbort);
          done();
        };
        const cancel = (error: CancelledError): void => settle(() => reject(error));
        const onAbort = (): void => {
          cancel(new CancelledError('aborted'));
          if (kind === 'propagate' || kind === 'figure') {
            running.instance?.remote.cancel(requestId).catch(() => {});
          }
        };

        if (signal?.aborted) return cancel(new CancelledError('aborted'));
        pendingByLane.set(lane, cancel);
        runningByLane.set(lane, running);
        inFlight.add(cancel);
        signal?.addEventListener('abort', onAbort);

        const progress = onProgress
          ? Comlink.proxy((p: ProgressOf<K>) => {
              if (!settled) onProgress(p);
            })
          : undefined;
        const call = (target: Instance): Promise<unknown> => {
          if (kind === 'propagate') {
            const [config] = args as RequestArgs<'propagate'>;
            const report = progress as ((p: RunProgress) => void) | undefined;
            return target.remote.propagate(config, requestId, report, lane);
          }
          if (kind === 'figure') {
            // The lane travels along, so a newer request stops the worker's older run too.
            const [id, params] = args as RequestArgs<'figure'>;
            const report = progress as ((p: FigureRunProgress) => void) | undefined;
            return target.remote.figure(id, params, lane, requestId, report);
          }
          const method = target.remote[kind] as unknown as (...a: unknown[]) => Promise<unknown>;
          return method(...args);
        };
        const attempt = async (retry: boolean): Promise<unknown> => {
          const instance = (current ??= start());
          running.instance = instance;
          try {
            return await Promise.race([call(instance), instance.died]);
          } catch (error) {
            if (!(error instanceof EngineWorkerError) || retry || settled) throw error;
            return attempt(true);
          }
        };

        attempt(false).then(
          (value) =>
            settle(() =>
              versions.get(lane) === version
                ? resolve(value as RequestResult<K>)
                : reject(new CancelledError('superseded')),
            ),
          (error: unknown) => settle(() => reject(error)),
        );
      });
    },

    async control(lane: string, action: RunControl): Promise<boolean> {
      const running = runningByLane.get(lane);
      if (!running) return false;
      if (action === 'cancel') pendingByLane.get(lane)?.(new CancelledError('cancelled'));
      const remote = running.instance?.remote;
      if (!remote) return action === 'cancel';
      try {
        return await remote[action](running.id);
      } catch {
        return false; // the worker died meanwhile: the request itself reports that
      }
    },

    version(lane = DEFAULT_LANE): number {
      return versions.get(lane) ?? 0;
    },

    terminate(): void {
      current?.worker.terminate();
      current?.helper?.terminate();
      current = undefined;
      for (const cancel of [...inFlight]) cancel(new CancelledError('terminated'));
    },
  };
}

let shared: EngineClient | undefined;

/**
 * The page's shared client (one engine worker for all figures, plus a second worker for large
 * batches where the browser reports two cores or more), created on first use.
 */
export function getEngine(): EngineClient {
  // A page only: Node (tests, where workers are simulated in one thread) also has a navigator.
  const page = typeof document !== 'undefined' && typeof navigator !== 'undefined';
  const cores = page ? (navigator.hardwareConcurrency ?? 1) : 1;
  return (shared ??= createEngineClient(defaultFactory, { helper: cores >= 2 }));
}
