import { describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptError } from '../errors.js';
import { resolveConfig, type ResolveConfigOptions } from './resolve.js';

const at = { baseDir: '/project/conf', cwd: '/project', env: {} } as const;
const file = (content: unknown, extra: Partial<ResolveConfigOptions> = {}) =>
  resolveConfig({
    ...at,
    file: content,
    filepath: '/project/conf/evopt.config.ts',
    source: 'evopt.config.ts',
    ...extra,
  });

function failure(run: () => unknown): EvoptError {
  try {
    run();
  } catch (error) {
    if (isEvoptError(error)) return error;
    throw error;
  }
  throw new Error('expected an EvoptError');
}

describe('resolveConfig precedence', () => {
  it('lays the file over its preset and command-line overrides over both', () => {
    const config = file(
      { preset: 'smoke', seed: 7, ga: { generations: 9, populationSize: 10 } },
      { overrides: { ga: { generations: 2 }, evaluation: { steps: 5 } } },
    );
    expect(config.preset).toBe('smoke');
    expect(config.seed).toBe(7);
    expect(config.ga).toMatchObject({ generations: 2, populationSize: 10, elites: 2 });
    expect(config.evaluation.steps).toBe(5);
  });

  it("lets the preset argument replace the file's preset", () => {
    const config = file({ preset: 'smoke', ga: { generations: 9 } }, { preset: 'paper' });
    expect(config.preset).toBe('paper');
    expect(config.ga).toMatchObject({ populationSize: 50, generations: 9 });
  });

  it("appends plugins from file and flags after the preset's", () => {
    const config = file(
      { preset: 'smoke', plugins: ['./local.js'] },
      { overrides: { plugins: ['extra-plugin', './flag.js'] } },
    );
    expect(config.plugins.slice(-3)).toEqual(['./local.js', 'extra-plugin', '/project/flag.js']);
    expect(config.plugins).toContain('@evopt/plugin-primitives');
  });

  it("resolves runsDir and dataDir against the config's directory, flags against cwd", () => {
    expect(file({ runsDir: 'out', dataDir: '../data' })).toMatchObject({
      runsDir: '/project/conf/out',
      dataDir: '/project/data',
    });
    expect(file({ runsDir: 'out' }, { overrides: { runsDir: 'cli-out' } }).runsDir).toBe('/project/cli-out');
    expect(file({ runsDir: '/abs/runs' }).runsDir).toBe('/abs/runs');
  });

  it('takes dataDir from EVOPT_DATA_DIR when the config names none', () => {
    expect(file({}, { env: { EVOPT_DATA_DIR: 'datasets' } }).dataDir).toBe('/project/datasets');
    expect(file({ dataDir: 'mine' }, { env: { EVOPT_DATA_DIR: '/env' } }).dataDir).toBe('/project/conf/mine');
  });

  it('with preset null, builds the config from the defaults and the file alone', () => {
    const config = file({
      preset: null,
      ga: { populationSize: 4, generations: 2, elites: 1 },
      tasks: [{ id: 'testing/quadratic' }],
      evaluation: { steps: 10, seeds: 1 },
    });
    expect(config).toMatchObject({ preset: null, plugins: [], selection: { id: 'tournament', options: { k: 4 } } });
    expect(config.tasks).toEqual([{ id: 'testing/quadratic', options: {} }]);
  });

  it('with preset null, asks for what no preset supplies', () => {
    const error = failure(() => file({ preset: null, ga: { populationSize: 4 } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('ga.generations: expected integer ≥ 1, found nothing');
    expect(error.message).toContain('evopt.config.ts (without a preset) has 5 problems');
    expect(error.message).toContain('tasks: expected at least one task, e.g. [{ id: "mnist-lite" }], found nothing');
    expect(failure(() => file({ tasks: [] })).message).toContain(
      'tasks: expected at least 1 item(s), found an array of 0',
    );
  });
});

describe('resolveConfig errors', () => {
  it('names the file, the path, what was expected and what was found', () => {
    const error = failure(() => file({ ga: { populationSize: 1.5 } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message.split('\n')[0]).toBe(
      'evopt.config.ts: ga.populationSize: expected integer ≥ 2, found number 1.5',
    );
    expect(error.fix).toContain('evopt.config.ts');
    expect(error.details).toMatchObject({
      file: '/project/conf/evopt.config.ts',
      issues: [{ path: 'ga.populationSize', problem: 'expected integer ≥ 2, found number 1.5' }],
    });
  });

  it('lists several problems, one line each', () => {
    const error = failure(() =>
      file({ seed: 'x', ga: { crossoverRate: 2, mutation: { sigma: 0 } }, tasks: [{ options: {} }] }),
    );
    expect(error.message).toContain('evopt.config.ts has 4 problems');
    expect(error.message).toContain('  - seed: expected integer from 0 to 4294967295, found string "x"');
    expect(error.message).toContain('  - ga.crossoverRate: expected number in [0, 1], found number 2');
    expect(error.message).toContain('  - ga.mutation.sigma: expected number > 0, found number 0');
    expect(error.message).toContain('  - tasks[0].id: expected a contribution id');
  });

  it('suggests the nearest known key for a misspelt one', () => {
    const error = failure(() => file({ ga: { populationSise: 10 } }));
    expect(error.message).toContain('ga.populationSise: unknown key; did you mean ga.populationSize?');
    expect(error.details['issues']).toEqual([
      {
        path: 'ga.populationSise',
        problem: 'unknown key; did you mean ga.populationSize?',
        suggestion: 'ga.populationSize',
      },
    ]);
  });

  it('finds a key written one level too high, and lists the keys when nothing is close', () => {
    expect(failure(() => file({ generations: 3 })).message).toContain(
      'generations: unknown key; did you mean ga.generations?',
    );
    expect(failure(() => file({ evaluation: { zzz: 1 } })).message).toContain(
      'evaluation.zzz: unknown key; the keys allowed here are steps, seeds, evaluator',
    );
  });

  it('lists the known presets for an unknown one, from the file or the command line', () => {
    expect(failure(() => file({ preset: 'fast' })).message).toContain(
      'preset: expected one of "smoke", "quick", "paper", found string "fast"',
    );
    const error = failure(() => file({}, { preset: 'quik' }));
    expect(error.message).toBe(
      'Unknown preset "quik". Known presets: smoke, quick, paper.\n  fix: Did you mean "quick"? Pass --preset quick.',
    );
    expect(error.details).toMatchObject({ known: ['smoke', 'quick', 'paper'] });
  });

  it('refuses elites that fill the population, naming both keys', () => {
    const error = failure(() => file({ preset: 'smoke', ga: { elites: 8 } }));
    expect(error.message).toBe(
      'evopt.config.ts (on preset "smoke"): ga.elites: expected fewer elites than ga.populationSize (8), found number 8\n' +
        '  fix: Lower ga.elites below 8, or raise ga.populationSize above 8.',
    );
  });

  it('blames command-line flags by name', () => {
    const error = failure(() => file({}, { overrides: { ga: { generations: 0 } } }));
    expect(error.message).toContain('command-line options: ga.generations: expected integer ≥ 1, found number 0');
    expect(error.details['file']).toBeNull();
  });

  it('refuses a config that is not an object', () => {
    expect(failure(() => file([1, 2])).message).toContain(
      'evopt.config.ts: (root): expected an object, found an array of 2',
    );
  });
});

describe('evaluation.queue', () => {
  it("adds the queue plugin once and makes its evaluator the run's, keeping a queue evaluator's other options", () => {
    const plain = file({ preset: 'smoke', evaluation: { queue: 'redis://:pw@10.0.0.5:6379/0' } });
    expect(plain.evaluation.evaluator).toEqual({ id: 'queue', options: { url: 'redis://:pw@10.0.0.5:6379/0' } });
    expect(plain.plugins.filter((p) => p === '@evopt/plugin-queue')).toHaveLength(1);
    const tuned = file(
      {
        preset: 'smoke',
        plugins: ['@evopt/plugin-queue'],
        evaluation: { evaluator: { id: 'queue', options: { queueName: 'lab', attempts: 5 } } },
      },
      { overrides: { evaluation: { queue: 'rediss://redis.internal:6380' } } },
    );
    expect(tuned.evaluation.evaluator).toEqual({
      id: 'queue',
      options: { queueName: 'lab', attempts: 5, url: 'rediss://redis.internal:6380' },
    });
    expect(tuned.plugins.filter((p) => p === '@evopt/plugin-queue')).toHaveLength(1);
    expect(file({ preset: 'smoke' }).evaluation).toMatchObject({ queue: null, evaluator: { id: 'worker-pool' } });
  });

  it('names the key and what it expects for a URL that is not Redis', () => {
    expect(failure(() => file({ evaluation: { queue: 'localhost:6379' } })).message).toMatch(
      /evaluation\.queue.*redis:\/\/ or rediss:\/\/ URL/s,
    );
  });
});
