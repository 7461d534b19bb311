/**
 * Two engine APIs joined like the page joins its two workers (the helper serves its API on one end
 * of a MessageChannel, the engine calls it through the other): large runs split the batch, and the
 * same seed gives the same statistics with one worker and with two. A helper that goes away or a
 * run that is cancelled while its other half is out never leaves a run hanging.
 */
import * as Comlink from 'comlink';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as engine from '../../src/engine/index.ts';
import * as split from '../../src/worker/split.ts';
import { figureModel } from '../../src/figures/models.ts';
import { sanitizeParams } from '../../src/figures/params.ts';
import { runToEnd } from '../../src/figures/types.ts';
import {
  createEngineApi,
  installErrorTransfer,
  type EngineApi,
  type PropagateConfig,
} from '../../src/worker/api.ts';
import { sameResult } from './helpers/same-propagate';

/** 20 × 256² × 64 multiply-adds, forward only: well above the split threshold. */
const BIG: PropagateConfig = {
  depth: 20,
  width: 256,
  batch: 64,
  activation: 'tanh',
  weightInit: { name: 'xavier_normal' },
  seed: 21,
  summaries: 'moments',
};

const open: MessagePort[] = [];

function channel(): MessageChannel {
  const ch = new MessageChannel();
  open.push(ch.port1, ch.port2);
  return ch;
}

/** An engine API with `helper` (an API or a stand-in) attached as its second worker. */
async function pair(helper: Partial<EngineApi> = createEngineApi()): Promise<EngineApi> {
  const main = createEngineApi();
  const { port1, port2 } = channel();
  Comlink.expose(helper, port1);
  await main.attachHelper(port2);
  return main;
}

beforeAll(() => installErrorTransfer());
afterEach(() => {
  split.setBatchHelper(null);
  for (const port of open.splice(0)) port.close();
});

describe('one worker and two', () => {
  it('the threshold: BIG splits, a small run does not', () => {
    expect(split.splitPays(BIG)).toBe(true);
    expect(split.splitPays({ ...BIG, depth: 2, width: 64 })).toBe(false);
    expect(split.splitPays({ ...BIG, summaries: 'full' })).toBe(false);
    expect(split.splitPays({ ...BIG, batch: 4 })).toBe(false);
    // The backward pass stays whole: posting and adding the halves' ∂L/∂W costs what it saves.
    expect(split.splitPays({ ...BIG, backward: true })).toBe(false);
  });

  it('propagate through a helper: the batch is split and the statistics are the same', async () => {
    const main = await pair();
    const two = await main.propagate(BIG);
    expect(two.batchParts).toBe(2);
    const one = engine.propagate(BIG);
    expect(one.batchParts).toBeUndefined();
    sameResult(one, two);
  });

  it('a driver that cannot wait (the static build) keeps the run whole and asks the helper nothing', () => {
    let asked = 0;
    split.setBatchHelper(() => {
      asked++;
      return { result: new Promise<never>(() => {}), cancel: () => {} };
    });
    const r = runToEnd(split.propagateSharedSteps(BIG));
    expect(asked).toBe(0);
    expect(r.batchParts).toBeUndefined();
  });

  it('without a helper the same API computes in one piece', async () => {
    const r = await createEngineApi().propagate(BIG);
    expect(r.batchParts).toBeUndefined();
  });

  it('a figure drawn with two workers shows what one worker computes', async () => {
    const model = figureModel('variance-by-depth');
    const quantities = ['pre', 'post'] as const;
    const settings = quantities.map(
      (quantity) => sanitizeParams(model.schema, { quantity, activation: 'tanh' }).params,
    );
    // Computed before the helper is attached: one worker.
    const alone = settings.map(
      (params) => runToEnd(model.compute(params)) as { points: { measured: number }[] },
    );
    const helper = createEngineApi();
    let halves = 0;
    const main = await pair({
      ...helper,
      propagatePart: (...args: Parameters<EngineApi['propagatePart']>) => {
        halves++;
        return helper.propagatePart(...args);
      },
    });
    for (const [q, params] of settings.entries()) {
      const { data, summary } = (await main.figure('variance-by-depth', params)) as {
        data: (typeof alone)[number];
        summary: string;
      };
      const want = alone[q]!;
      expect(data.points).toHaveLength(want.points.length);
      data.points.forEach((point, i) => {
        const m = want.points[i]!.measured;
        expect(Math.abs(point.measured - m)).toBeLessThanOrEqual(1e-12 * Math.abs(m));
      });
      expect(summary).toBe(model.summary(want, params));
    }
    // One split run per init shown, for each quantity.
    expect(halves).toBe(quantities.length * (settings[0]!.inits as string[]).length);
  });
});

describe('a helper that fails or a run that stops', () => {
  it('a helper that never answers: detached, the engine computes the other half itself', async () => {
    const asked: unknown[] = [];
    const main = await pair({
      propagatePart: (...args: unknown[]) => {
        asked.push(args[1]);
        return new Promise<never>(() => {});
      },
      cancel: async () => true,
    });
    const run = main.propagate(BIG);
    await waitFor(() => asked.length === 1);
    expect(asked[0]).toEqual({ index: 1, of: 2 });
    await main.detachHelper();
    const r = await run;
    expect(r.batchParts).toBe(2);
    sameResult(engine.propagate(BIG), r);
  });

  it('a helper that fails: the engine computes the other half itself', async () => {
    const main = await pair({
      propagatePart: async () => {
        throw new Error('out of memory');
      },
    });
    sameResult(engine.propagate(BIG), await main.propagate(BIG));
  });

  it('cancelling a run that waits for its other half rejects at once and cancels that half', async () => {
    const cancelled: string[] = [];
    const ids: string[] = [];
    const main = await pair({
      propagatePart: (...args: unknown[]) => {
        ids.push(String(args[2]));
        return new Promise<never>(() => {});
      },
      cancel: async (id: string) => {
        cancelled.push(id);
        return true;
      },
    });
    const run = main.propagate(BIG, 'r1');
    await waitFor(() => ids.length === 1);
    // Let the engine finish its own half and start waiting.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await main.cancel('r1');
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
    await waitFor(() => cancelled.length === 1);
    expect(cancelled).toEqual(ids);
  });
});

/** Polls `condition` every few ms (for messages crossing the channel), failing after 10 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition never held');
}
