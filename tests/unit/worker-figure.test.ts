import { describe, expect, it } from 'vitest';
import { model as fan } from '../../src/figures/fan-calculator/model';
import { defaults } from '../../src/figures/params';
import { runToEnd } from '../../src/figures/types';
import { createEngineApi } from '../../src/worker/api';

describe('the worker computes figures', () => {
  it('returns the same data, summary and table as the model run directly', async () => {
    const api = createEngineApi();
    const params = { ...defaults(fan.schema), layer: 'conv2d', inputs: 3, outputs: 64, kernel: 7 };
    const result = await api.figure('fan-calculator', params);
    const data = runToEnd(fan.compute(params));
    expect(result.data).toEqual(data);
    expect(result.summary).toBe(fan.summary(data, params));
    expect(result.table).toEqual(fan.table(data, params));
  });

  it('checks parameters against the schema itself, whatever the page sent', async () => {
    const api = createEngineApi();
    const result = await api.figure('fan-calculator', {
      inputs: 1e12,
      layer: '<script>',
      outputs: 'NaN',
    });
    const data = result.data as ReturnType<typeof runToEnd<{ shape: number[] }>>;
    expect(data.shape).toEqual([128, 8192]);
  });

  it('rejects an unknown figure and impossible combinations with a clear message', async () => {
    const api = createEngineApi();
    await expect(api.figure('no-such-figure', {})).rejects.toThrow(
      /Unknown figure "no-such-figure"/,
    );
    await expect(
      api.figure('fan-calculator', { layer: 'conv2d', inputs: 6, groups: 4 }),
    ).rejects.toMatchObject({
      name: 'EngineInputError',
      param: 'groups',
    });
  });

  it('a newer request in the same lane supersedes an older one', async () => {
    const api = createEngineApi({ sliceMs: 0 });
    const older = api.figure('variance-by-depth', { depth: 20, width: 64 }, 'vbd');
    const newer = api.figure('variance-by-depth', { depth: 4, width: 16 }, 'vbd');
    await expect(older).rejects.toMatchObject({ name: 'CancelledError' });
    await expect(newer).resolves.toMatchObject({ summary: expect.stringContaining('width 16') });
  });
});
