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
import type { EngineApi, PropagateConfig, RunProgress } from '../worker/api.ts';

/** The API methods a caller can request (`cancel` is driven by {@link RequestOptions.signal}). */
export type RequestKind = Exclude<keyof EngineApi, 'cancel'>;

/** Arguments of a request: for `propagate` just the config (the client adds id, progress, lane). */
export type RequestArgs<K extends RequestKind> = K extends 'propagate'
  ? [config: PropagateConfig]
  : K extends 'figure'
    ? [id: string, params: Record<string, unknown>]
    : Parameters<EngineApi[K]>;

/** What a request resolves to: the API method's result, with typed arrays transferred. */
export type RequestResult<K extends RequestKind> = Awaited<ReturnType<EngineApi[K]>>;

/** Options of {@link EngineClient.request}. */
export interface RequestOptions {
  /** Called during runs longer than ~300 ms (propagate only), never after the request settled. */
  readonly onProgress?: (progress: RunProgress) => void;
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
    options?: RequestOptions,
  ): Promise<RequestResult<K>>;
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
 * @param factory - creates the worker; the bundled engine worker by default
 */
export function createEngineClient(factory: WorkerFactory = defaultFactory): EngineClient {
  let current: Instance | undefined;
  let lastId = 0;
  const versions = new Map<string, number>();
  /** Cancels the pending request of each lane. */
  const pendingByLane = new Map<string, (error: CancelledError) => void>();
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
      die(new EngineWorkerError(describe(event)));
    };
    worker.addEventListener('error', onFailure);
    worker.addEventListener('messageerror', onFailure);
    return instance;
  }

  return {
    request<K extends RequestKind>(
      kind: K,
      args: RequestArgs<K>,
      options: RequestOptions = {},
    ): Promise<RequestResult<K>> {
      const lane = options.lane ?? DEFAULT_LANE;
      const version = (versions.get(lane) ?? 0) + 1;
      versions.set(lane, version);
      pendingByLane.get(lane)?.(new CancelledError('superseded'));
      const requestId = String(++lastId);

      return new Promise<RequestResult<K>>((resolve, reject) => {
        let settled = false;
        let instance: Instance | undefined;
        const { signal, onProgress } = options;

        const settle = (done: () => void): void => {
          if (settled) return;
          settled = true;
          if (pendingByLane.get(lane) === cancel) pendingByLane.delete(lane);
          inFlight.delete(cancel);
          signal?.removeEventListener('abort', onAbort);
          done();
        };
        const cancel = (error: CancelledError): void => settle(() => reject(error));
        const onAbort = (): void => {
          cancel(new CancelledError('aborted'));
          if (kind === 'propagate') instance?.remote.cancel(requestId).catch(() => {});
        };

        if (signal?.aborted) return cancel(new CancelledError('aborted'));
        pendingByLane.set(lane, cancel);
        inFlight.add(cancel);
        signal?.addEventListener('abort', onAbort);

        const progress = onProgress
          ? Comlink.proxy((p: RunProgress) => {
              if (!settled) onProgress(p);
            })
          : undefined;
        const call = (target: Instance): Promise<unknown> => {
          if (kind === 'propagate') {
            const [config] = args as RequestArgs<'propagate'>;
            return target.remote.propagate(config, requestId, progress, lane);
          }
          if (kind === 'figure') {
            // The lane travels along, so a newer request stops the worker's older run too.
            const [id, params] = args as RequestArgs<'figure'>;
            return target.remote.figure(id, params, lane);
          }
          const method = target.remote[kind] as unknown as (...a: unknown[]) => Promise<unknown>;
          return method(...args);
        };
        const attempt = async (retry: boolean): Promise<unknown> => {
          instance = current ??= start();
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

    version(lane = DEFAULT_LANE): number {
      return versions.get(lane) ?? 0;
    },

    terminate(): void {
      current?.worker.terminate();
      current = undefined;
      for (const cancel of [...inFlight]) cancel(new CancelledError('terminated'));
    },
  };
}

let shared: EngineClient | undefined;

/** The page's shared client (one worker for all figures), created on first use. */
export function getEngine(): EngineClient {
  return (shared ??= createEngineClient());
}
