import { describe, expect, it } from 'vitest';
import { MODELS } from '../../src/figures/models';
import { MAX_PRIMARY, settingGroups } from '../../src/figures/primary';

describe('settingGroups', () => {
  it.each(Object.values(MODELS).map((m) => [m.id, m] as const))(
    '%s names a few known primary settings, and every other one goes under More settings',
    (id, model) => {
      const { primary, more } = settingGroups(id, model.schema, model.primary);
      expect(primary.length).toBeGreaterThan(0);
      expect(primary.length).toBeLessThanOrEqual(MAX_PRIMARY);
      expect([...primary, ...more].sort()).toEqual(Object.keys(model.schema).sort());
    },
  );

  it('refuses unknown, repeated and too many keys, naming the figure', () => {
    const { schema } = MODELS['variance-by-depth']!;
    expect(() => settingGroups('variance-by-depth', schema, ['depht'])).toThrow(
      /variance-by-depth: unknown primary setting "depht"; known: inits, activation/,
    );
    expect(() => settingGroups('variance-by-depth', schema, ['depth', 'depth'])).toThrow(/twice/);
    expect(() =>
      settingGroups('variance-by-depth', schema, ['depth', 'width', 'gain', 'seed', 'batch']),
    ).toThrow(/5 primary settings; at most 4/);
  });
});
