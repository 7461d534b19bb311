/**
 * The formula worker's client: its time limit, stopping and replacing a stuck worker, and the
 * lab waiting for it inside the engine API without holding up other figures. Stand-in workers
 * (one end of a MessageChannel) answer, or never do; the real worker module runs simulated.
 */
import '@vitest/web-worker';
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setFormulaAnalyser } from '../../src/figures/activation-lab/formula-source';
import { defaults } from '../../src/figures/params';
import { model as lab } from '../../src/figures/activation-lab/model';
import { createEngineApi } from '../../src/worker/api';
import { formulaWorkerApi } from '../../src/worker/formula-api';
import {
  createFormulaAnalyser,
  FORMULA_TIME_LIMIT_MS,
  type FormulaWorker,
  type FormulaWorkerApi,
} from '../../src/worker/formula-analyser';

/** Stand-in workers: `stuck` ones never answer (an analysis that runs for ever). */
function standIns(stuck: (index: number) => boolean) {
  const started: { terminated: boolean }[] = [];
  const start = (): FormulaWorker => {
    const index = started.length;
    const record = { terminated: false };
    started.push(record);
    const { port1, port2 } = new MessageChannel();
    const api: FormulaWorkerApi = {
      analyse: (text, param) =>
        stuck(index) ? (new Promise(() => {}) as never) : formulaWorkerApi.analyse(text, param),
    };
    Comlink.expose(api, port1);
    return Object.assign(port2, {
      terminate: () => {
        record.terminated = true;
        port1.close();
        port2.close();
      },
    });
  };
  return { start, started };
}

afterEach(() => {
  vi.useRealTimers();
  setFormulaAnalyser(null);
});

describe('formula analyser', () => {
  it('answers with the analysis', async () => {
    const { start } = standIns(() => false);
    const analysis = await createFormulaAnalyser(start)('tanh(x)', 'formula').result;
    expect(analysis.tex).toBe('\\tanh\\left( x\\right)');
  });

  it(`answers a stuck analysis at ${FORMULA_TIME_LIMIT_MS} ms with a message, stops its worker, and answers the next formula on a fresh one`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { start, started } = standIns((i) => i === 0);
    const analyse = createFormulaAnalyser(start);
    const stuck = analyse('tanh(tanh(x))', 'formula').result;
    const outcome = stuck.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(FORMULA_TIME_LIMIT_MS - 1);
    expect(started[0]!.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({
      message: expect.stringMatching(/^This formula is too complex to analyse within 2 s: /),
    });
    expect(started[0]!.terminated).toBe(true);
    const next = await analyse('x * sigmoid(x)', 'formula').result;
    expect(next.derivativeText).toContain('sigmoid');
    expect(started).toHaveLength(2);
  });

  it('cancelling a running analysis stops its worker; a queued one just leaves the queue', async () => {
    const { start, started } = standIns((i) => i === 0);
    const analyse = createFormulaAnalyser(start);
    const first = analyse('tanh(x)', 'formula');
    const queued = analyse('relu(x)', 'formula');
    queued.cancel();
    first.cancel();
    expect(started[0]!.terminated).toBe(true);
    expect((await analyse('gelu(x)', 'formula').result).tex).toContain('gelu');
    expect(started).toHaveLength(2);
  });

  it('turns a formula error into a FormulaError with its column', async () => {
    const { start } = standIns(() => false);
    await expect(createFormulaAnalyser(start)('x +* 2', 'formula').result).rejects.toMatchObject({
      name: 'FormulaError',
      column: 4,
      param: 'formula',
    });
  });

  it('works with the real worker module', async () => {
    const start = () =>
      new Worker(new URL('../../src/worker/formula.worker.ts', import.meta.url), {
        type: 'module',
      });
    const analysis = await createFormulaAnalyser(start)('max(0, x)', 'formula').result;
    expect(analysis.kinks).toEqual([0]);
  });
});

describe('the lab in the engine API waits for the formula worker', () => {
  const params = { ...defaults(lab.schema), depth: 4, width: 16 };

  it('uses the analysis, and other figures are answered while the lab waits', async () => {
    const { start, started } = standIns((i) => i === 0);
    setFormulaAnalyser(createFormulaAnalyser(start));
    const api = createEngineApi();
    const stuck = api.figure('activation-lab', { ...params, formula: 'tanh(x) + 0' }, 'lab', 'r1');
    const outcome = stuck.catch((error: unknown) => error);
    await vi.waitFor(() => expect(started).toHaveLength(1));
    const other = await api.figure('fan-calculator', {}, 'fan');
    expect(other.summary).toBeTruthy();
    // A newer formula supersedes the stuck one: its worker goes, a fresh one answers.
    const answered = await api.figure(
      'activation-lab',
      { ...params, formula: 'x / (1 + abs(x))' },
      'lab',
    );
    expect(((await outcome) as Error).name).toBe('CancelledError');
    expect(started[0]!.terminated).toBe(true);
    expect(started).toHaveLength(2);
    expect(answered.summary).toMatch(/no PyTorch gain for a custom formula/);
  });

  it('passes the analyser’s answer on: a positioned formula error, or the time limit’s message', async () => {
    const { start } = standIns(() => false);
    setFormulaAnalyser(createFormulaAnalyser(start));
    await expect(
      createEngineApi().figure('activation-lab', { ...params, formula: 'x * (2' }),
    ).rejects.toMatchObject({ name: 'FormulaError', param: 'formula', column: 7 });
    setFormulaAnalyser(() => ({
      result: Promise.reject(new Error('This formula is too complex to analyse within 2 s: …')),
      cancel: () => {},
    }));
    await expect(
      createEngineApi().figure('activation-lab', { ...params, formula: 'tanh(x) * 3' }),
    ).rejects.toThrow(/too complex to analyse within 2 s/);
  });
});
