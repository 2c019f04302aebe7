import { describe, expect, it } from 'vitest';
import { mergeConfig } from './merge.js';
import { PRESETS } from './presets.js';
import type { EvoptConfigInput } from './schema.js';

const base: EvoptConfigInput = {
  plugins: ['@evopt/plugin-primitives', '@evopt/plugin-selection'],
  ga: { populationSize: 12, generations: 6, mutation: { pNum: 0.35, sigma: 0.3 }, primitives: ['sign', 'adam'] },
  selection: { id: 'tournament', options: { k: 4 } },
  tasks: [{ id: 'mnist-lite', options: { model: 'mlp' } }],
};

describe('mergeConfig', () => {
  it('lets an explicit value win over the base', () => {
    const merged = mergeConfig(base, { ga: { generations: 20 } });
    expect(merged.ga?.generations).toBe(20);
  });

  it('merges nested objects key by key, keeping what the override leaves out', () => {
    const merged = mergeConfig(base, { ga: { mutation: { sigma: 0.1 } } });
    expect(merged.ga).toMatchObject({ populationSize: 12, generations: 6, mutation: { pNum: 0.35, sigma: 0.1 } });
  });

  it('replaces arrays whole', () => {
    const merged = mergeConfig(base, { tasks: [{ id: 'cifar10' }], ga: { primitives: ['grad'] } });
    expect(merged.tasks).toEqual([{ id: 'cifar10' }]);
    expect(merged.ga?.primitives).toEqual(['grad']);
  });

  it('lets null replace a value (ga.primitives: null means every primitive)', () => {
    expect(mergeConfig(base, { ga: { primitives: null } }).ga?.primitives).toBeNull();
  });

  it("appends plugins to the base's without duplicates, so the built-ins stay", () => {
    const merged = mergeConfig(base, { plugins: ['@evopt/plugin-selection', './my-plugin.js'] });
    expect(merged.plugins).toEqual(['@evopt/plugin-primitives', '@evopt/plugin-selection', './my-plugin.js']);
  });

  it('merges the options of the same contribution but drops them when the id changes', () => {
    expect(mergeConfig(base, { selection: { options: { k: 7 } } }).selection).toEqual({
      id: 'tournament',
      options: { k: 7 },
    });
    expect(mergeConfig(base, { selection: { id: 'rank' } }).selection).toEqual({ id: 'rank' });
  });

  it('changes neither input, and shares no state with a preset', () => {
    const snapshot = structuredClone(base);
    const merged = mergeConfig(base, { ga: { mutation: { sigma: 0.1 } }, plugins: ['x'] });
    expect(base).toEqual(snapshot);
    const options = merged.tasks?.[0]?.options;
    if (options) options['model'] = 'cnn';
    expect(base.tasks?.[0]?.options?.['model']).toBe('mlp');
    const fromPreset = mergeConfig(PRESETS.smoke, {});
    fromPreset.ga?.baselines?.push('paper-evolved');
    expect(PRESETS.smoke.ga?.baselines).not.toContain('paper-evolved');
  });
});
