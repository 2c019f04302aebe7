import { describe, expect, it } from 'vitest';
import { PAPER_BOUNDS, PAPER_GA, PAPER_TASKS } from '../presets/paper.js';
import {
  CONFIG_DEFAULTS,
  DEFAULT_PRESET,
  PAPER_BASELINE_IDS,
  PAPER_POPULATION_BATCH,
  PAPER_PRIMITIVE_IDS,
  PRESETS,
} from './presets.js';
import { resolveConfig } from './resolve.js';
import { defineConfig, PRESET_NAMES } from './schema.js';

const resolvePreset = (preset: string) => resolveConfig({ preset, baseDir: '/project', cwd: '/project', env: {} });

describe('presets', () => {
  it("paper is the paper's GA, tasks and budget exactly", () => {
    const config = resolvePreset('paper');
    expect(config.ga).toMatchObject({
      populationSize: PAPER_GA.populationSize,
      generations: PAPER_GA.generations,
      elites: PAPER_GA.elites,
      crossoverRate: PAPER_GA.crossoverRate,
      maxTerms: PAPER_BOUNDS.terms.max,
      mutation: PAPER_GA.mutation,
      baselines: [...PAPER_BASELINE_IDS],
    });
    expect(config.ga).toMatchObject({ populationSize: 50, generations: 50, elites: 3 });
    // Only the paper's seven primitives, however many the loaded plugins register.
    expect(config.ga.primitives).toEqual(['grad', 'momentum', 'rms', 'adam', 'sign', 'unit', 'nesterov']);
    expect(config.ga.primitives).toEqual([...PAPER_PRIMITIVE_IDS]);
    expect(config.selection).toEqual({ id: 'tournament', options: { k: 4 } });
    expect(config.tasks.map((t) => t.id)).toEqual(['mnist', 'fashion-mnist', 'cifar10']);
    for (const task of config.tasks) expect(task.options).toEqual({ trainSubset: 15_000, batchSize: 128 });
    expect(config.evaluation).toMatchObject({ steps: PAPER_TASKS.steps, seeds: PAPER_TASKS.seeds });
    expect(config.evaluation.evaluator).toEqual({ id: 'worker-pool', options: { batchSize: PAPER_POPULATION_BATCH } });
    expect(config.plugins).toEqual([
      '@evopt/plugin-primitives',
      '@evopt/plugin-schedules',
      '@evopt/plugin-selection',
      '@evopt/plugin-vision',
    ]);
  });

  it('quick trains an MLP on the embedded digits with a small population', () => {
    const config = resolvePreset('quick');
    expect(config.tasks).toEqual([{ id: 'mnist-lite', options: { model: 'mlp' } }]);
    // npm start runs it: its training budget must stay within minutes on 2 cores (docs/PERFORMANCE.md).
    const { populationSize, generations } = config.ga;
    expect(populationSize * generations * config.evaluation.seeds * config.evaluation.steps).toBeLessThanOrEqual(
      60_000,
    );
    expect(config.ga.elites).toBeGreaterThan(0);
    expect(config.plugins).toEqual(resolvePreset('paper').plugins);
  });

  it('smoke runs the testing quadratic with the testing plugin instead of vision', () => {
    const config = resolvePreset('smoke');
    expect(config.tasks).toEqual([{ id: 'testing/quadratic', options: {} }]);
    expect(config.ga).toMatchObject({ populationSize: 8, generations: 3, elites: 2 });
    expect(config.evaluation).toMatchObject({ steps: 60, seeds: 2 });
    expect(config.plugins).toContain('@evopt/plugin-quadratic');
    expect(config.plugins).not.toContain('@evopt/plugin-vision');
  });

  it('every preset resolves, with the shared defaults', () => {
    for (const name of PRESET_NAMES) {
      const config = resolvePreset(name);
      expect(config.preset).toBe(name);
      expect(config.evaluation.evaluator.id).toBe('worker-pool');
      // Every registered primitive, except in the paper preset (above); the paper's four schedules.
      expect(config.ga).toMatchObject({
        primitives: name === 'paper' ? [...PAPER_PRIMITIVE_IDS] : null,
        schedules: null,
      });
      expect(config.runsDir).toBe('/project/.evopt/runs');
      expect(PRESETS[name].seed).toBe(CONFIG_DEFAULTS.seed);
    }
  });

  it('a config on the paper preset can still search every registered primitive', () => {
    const config = resolveConfig({
      file: { preset: 'paper', ga: { primitives: null } },
      baseDir: '/project',
      cwd: '/project',
      env: {},
    });
    expect(config.ga.primitives).toBeNull();
  });

  it('quick is the default', () => {
    expect(DEFAULT_PRESET).toBe('quick');
    expect(resolveConfig({ baseDir: '/p', cwd: '/p', env: {} }).preset).toBe('quick');
  });

  it('defineConfig returns its argument', () => {
    const input = { preset: 'smoke' as const, ga: { generations: 2 } };
    expect(defineConfig(input)).toBe(input);
  });
});
