import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defineTask,
  EvoptError,
  isEvoptError,
  type EvaluationOutcome,
  type TaskDefinition,
  type TaskInstance,
} from '@evopt/core';
import { quadraticTask, type QuadraticOptions } from '@evopt/plugin-quadratic';
import { baselineRegistries } from '../../__fixtures__/registries.js';
import { checkTask, testTask, type TaskCheckOptions } from './task.js';
import type { TensorCounter } from './tensors.js';

const registries = baselineRegistries();

/** testing/quadratic with its instance changed by `wrap`: a deliberately broken task. */
function variant(
  name: string,
  wrap: (inner: TaskInstance) => TaskInstance,
  extra: Partial<TaskDefinition<QuadraticOptions>> = {},
): TaskDefinition<QuadraticOptions> {
  return defineTask<QuadraticOptions>({
    id: `broken/${name}`,
    meta: quadraticTask.meta,
    async create(options, context) {
      return wrap(await quadraticTask.create(options, context));
    },
    ...extra,
  });
}

/** The same instance, with its outcomes changed by `change`. */
const mapOutcomes =
  (change: (o: EvaluationOutcome) => EvaluationOutcome) =>
  (inner: TaskInstance): TaskInstance => ({
    evaluate: async (items, context) => (await inner.evaluate(items, context)).map(change),
  });

async function rulesOf(
  def: TaskDefinition<QuadraticOptions>,
  settings: Partial<TaskCheckOptions> = {},
): Promise<string[]> {
  return [...new Set((await checkTask(def, { registries, ...settings })).map((v) => v.rule))];
}

describe('checkTask', () => {
  it('finds nothing wrong with the test-double task testing/quadratic', async () => {
    expect(await checkTask(quadraticTask, { registries })).toEqual([]);
    expect(await checkTask(quadraticTask, { registries, options: { dims: 3, noise: 0 }, steps: 20 })).toEqual([]);
  });

  it('reports a task that keeps a counter across evaluations as not deterministic', async () => {
    let calls = 0;
    const drifting = variant('drifting', (inner) => ({
      evaluate: (items, context) => {
        const shift = calls++;
        return inner.evaluate(
          items.map((item) => ({ ...item, seed: item.seed + shift })),
          context,
        );
      },
    }));
    const violations = await checkTask(drifting, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['deterministic']);
    expect(violations[0]?.message).toMatch(
      /gave item 0 \(seed \d+\) score [\d.]+ and then [\d.]+, when the batch was evaluated again on the same instance/,
    );
    expect(violations[0]?.fix).toMatch(/from item\.seed/);
  });

  it('reports a task whose module-level state changes results between instances', async () => {
    let instances = 0;
    const def = variant('per-instance', (inner) => {
      const shift = instances++;
      return {
        evaluate: (items, context) =>
          inner.evaluate(
            items.map((item) => ({ ...item, seed: item.seed + shift })),
            context,
          ),
      };
    });
    const violations = await checkTask(def, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['deterministic']);
    expect(violations[0]?.message).toMatch(/when the batch was evaluated on a fresh instance/);
  });

  it('reports a task that shares one random stream across the items of a batch as batch-dependent', async () => {
    const shared = variant('shared-stream', (inner) => ({
      evaluate: (items, context) =>
        inner.evaluate(
          items.map((item, index) => ({ ...item, seed: item.seed + index })),
          context,
        ),
    }));
    const violations = await checkTask(shared, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['batch-independent']);
    expect(violations[0]?.message).toMatch(/gave item 1 of the batch, and then the same item alone, score/);
  });

  it('reports records that lack a score', async () => {
    const scoreless = variant(
      'scoreless',
      mapOutcomes(({ score: _score, ...rest }) => rest as EvaluationOutcome),
    );
    const violations = await checkTask(scoreless, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['outcomes', 'divergence']);
    expect(violations[0]?.message).toMatch(
      /returned, for item 0, status 'ok' with score undefined \(an ok score must be finite/,
    );
  });

  it('reports records with a metric that is not a finite number, or too many steps', async () => {
    expect(
      await rulesOf(
        variant(
          'nan-metric',
          mapOutcomes((o) => ({ ...o, metrics: { ...o.metrics, gradNorm: Number.NaN } })),
        ),
      ),
    ).toEqual(['outcomes', 'divergence']);
    const violations = await checkTask(
      variant(
        'overcounts',
        mapOutcomes((o) => ({ ...o, stepsCompleted: o.stepsCompleted + 1 })),
      ),
      { registries },
    );
    expect(violations[0]).toMatchObject({
      rule: 'outcomes',
      message: expect.stringMatching(/stepsCompleted 6 \(expected an integer from 0 to the item's 5 steps\)/),
    });
  });

  it('reports a batch that returns fewer outcomes than items', async () => {
    const short = variant('short', (inner) => ({
      evaluate: async (items, context) => (await inner.evaluate(items, context)).slice(0, 1),
    }));
    const violations = await checkTask(short, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['outcomes']);
    expect(violations[0]?.message).toMatch(/returned 1 outcomes for 2 items/);
  });

  it('reports a baseline the task cannot train as trains', async () => {
    const noMomentum = variant('no-momentum', (inner) => ({
      evaluate: async (items, context) => {
        const outcomes = await inner.evaluate(items, context);
        return outcomes.map((o, i): EvaluationOutcome =>
          items[i]?.genome.terms[0]?.primitive === 'momentum'
            ? {
                status: 'failed',
                score: -1,
                metrics: {},
                stepsCompleted: 0,
                error: { name: 'Error', message: 'momentum is not supported' },
              }
            : o,
        );
      },
    }));
    const violations = await checkTask(noMomentum, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['trains']);
    expect(violations[0]?.message).toMatch(/status 'failed' for item 1 .*momentum.*: momentum is not supported/);
  });

  it('reports a diverging genome that throws, or scores NaN as ok, instead of diverged', async () => {
    const throws = variant(
      'throws-on-divergence',
      mapOutcomes((o) => {
        if (o.status === 'diverged') throw new Error('loss is NaN');
        return o;
      }),
    );
    const violations = await checkTask(throws, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['divergence']);
    expect(violations[0]?.message).toMatch(/threw while checked: Error: loss is NaN/);
    const unnoticed = variant(
      'nan-ok',
      mapOutcomes((o) => (o.status === 'diverged' ? { ...o, status: 'ok', score: Number.NaN } : o)),
    );
    expect(await rulesOf(unnoticed)).toEqual(['divergence']);
  });

  it("reports progress past the item's steps", async () => {
    const def = variant('overshoots', (inner) => ({
      evaluate: (items, context) =>
        inner.evaluate(items, {
          ...context,
          onProgress: (index, p) => context.onProgress(index, { ...p, step: p.step + 1 }),
        }),
    }));
    const violations = await checkTask(def, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['progress']);
    expect(violations[0]?.message).toMatch(/reported step 6 of 5 for item \d/);
  });

  it('reports a dispose that throws when called again', async () => {
    const def = variant('dispose-once', (inner) => {
      let disposed = false;
      return {
        evaluate: (items, context) => inner.evaluate(items, context),
        dispose: () => {
          if (disposed) throw new Error('already disposed');
          disposed = true;
        },
      };
    });
    const violations = await checkTask(def, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['dispose']);
    expect(violations[0]?.message).toMatch(/threw from a second dispose: Error: already disposed/);
  });

  it('reports a create that returns no evaluate function', async () => {
    const def = variant('no-evaluate', () => ({}) as TaskInstance);
    expect(await rulesOf(def)).toContain('create');
  });

  describe('preflight', () => {
    let dataDir: string;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'evopt-preflight-test-'));
      await writeFile(join(dataDir, 'data.bin'), 'x');
    });
    afterAll(() => rm(dataDir, { recursive: true, force: true }));

    const needsData = (fail: (path: string) => Error) =>
      variant('needs-data', (inner) => inner, {
        preflight: (_options, { dataDir: dir }) => {
          if (!existsSync(join(dir, 'data.bin'))) throw fail(join(dir, 'data.bin'));
        },
      });

    it('accepts a missing dataset reported as an EvoptError with a fix', async () => {
      const def = needsData(
        (path) => new EvoptError('DATA_MISSING', `${path} is missing.`, { fix: 'Run `my-task fetch`.' }),
      );
      expect(await checkTask(def, { registries, context: { dataDir } })).toEqual([]);
    });

    it('reports a missing dataset reported as a bare Error', async () => {
      const violations = await checkTask(
        needsData((path) => new Error(`ENOENT: ${path}`)),
        { registries, context: { dataDir } },
      );
      expect(violations.map((v) => v.rule)).toEqual(['preflight']);
      expect(violations[0]?.message).toMatch(
        /threw, on an empty data dir, Error: ENOENT: .*data\.bin, which is not an EvoptError with a fix/,
      );
    });

    it('reports a preflight that fails with the data dir under test', async () => {
      const def = needsData(
        (path) => new EvoptError('DATA_MISSING', `${path} is missing.`, { fix: 'Run `my-task fetch`.' }),
      );
      const violations = await checkTask(def, { registries, context: { dataDir: join(dataDir, 'elsewhere') } });
      expect(violations.map((v) => v.rule)).toEqual(['preflight']);
      expect(violations[0]?.message).toMatch(/failed its preflight with the data dir under test/);
    });
  });

  describe('tensor-leaks', () => {
    /** A stand-in tensor library: the set of live "tensors". */
    function fakeTensors(): { live: Set<object>; counter: TensorCounter } {
      const live = new Set<object>();
      return { live, counter: { label: 'fake tensors', count: () => live.size } };
    }

    it('reports a task that leaves a tensor behind on every evaluation', async () => {
      const { live, counter } = fakeTensors();
      const def = variant('leaky-evaluate', (inner) => ({
        evaluate: (items, context) => {
          live.add({});
          return inner.evaluate(items, context);
        },
      }));
      const violations = await checkTask(def, { registries, tensors: counter });
      expect(violations.map((v) => v.rule)).toEqual(['tensor-leaks']);
      expect(violations[0]?.message).toMatch(
        /left 1 more fake tensors after evaluating the batch a second time: \d+ before, \d+ after/,
      );
      expect(await rulesOf(def, { tensors: counter, tensorAllowance: 1 })).toEqual([]);
    });

    it('reports a task whose dispose does not free what create allocated', async () => {
      const { live, counter } = fakeTensors();
      const def = variant('leaky-create', (inner) => {
        live.add({});
        return inner;
      });
      const violations = await checkTask(def, { registries, tensors: counter });
      expect(violations.map((v) => v.rule)).toEqual(['tensor-leaks']);
      expect(violations[0]?.message).toMatch(/after a second create → evaluate → dispose cycle/);
    });

    it('accepts a cache filled once on first use, which the suite warms before counting', async () => {
      const { live, counter } = fakeTensors();
      let cache: object | undefined;
      const def = variant('caches', (inner) => ({
        evaluate: (items, context) => {
          if (!cache) live.add((cache = {}));
          return inner.evaluate(items, context);
        },
      }));
      expect(await checkTask(def, { registries, tensors: counter })).toEqual([]);
    });
  });

  it('refuses to run without the primitives the genomes use, saying what to register', () => {
    const error: unknown = (() => {
      try {
        testTask(quadraticTask, { test: () => undefined, registries: baselineRegistriesWithout() });
      } catch (e) {
        return e;
      }
    })();
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/lack primitive "momentum"[\s\S]*fix: Register @evopt\/plugin-primitives/);
  });
});

/** Registries without the baselines' primitives. */
function baselineRegistriesWithout() {
  const r = baselineRegistries();
  return {
    ...r,
    primitives: { ...r.primitives, has: (id: string) => id !== 'momentum' && r.primitives.has(id) },
  } as typeof r;
}

describe('testTask', () => {
  it('registers one test per rule, each throwing an error that names the rule and its fix', async () => {
    const registered: [string, () => unknown][] = [];
    const broken = variant('dispose-throws', (inner) => ({
      evaluate: (i, c) => inner.evaluate(i, c),
      dispose: () => {
        throw new Error('boom');
      },
    }));
    testTask(broken, { test: (name, fn) => registered.push([name, fn]), registries });
    expect(registered.map(([name]) => name.split(' › ')[1]?.split(':')[0])).toEqual([
      'valid-id',
      'meta-summary',
      'options-defaults',
      'preflight',
      'create',
      'outcomes',
      'trains',
      'progress',
      'deterministic',
      'batch-independent',
      'divergence',
      'dispose',
      'tensor-leaks',
    ]);
    const [name, fn] = registered.find(([n]) => n.includes('› dispose:')) ?? ['', () => undefined];
    expect(name).toMatch(/^task "broken\/dispose-throws" › dispose: /);
    const error: unknown = await Promise.resolve()
      .then(fn)
      .catch((e: unknown) => e);
    expect(isEvoptError(error, 'PLUGIN_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /task "broken\/dispose-throws" breaks the conformance rule "dispose"[\s\S]*threw from dispose: Error: boom[\s\S]*fix: Free what create allocated/,
    );
  });
});

describe('testTask with vitest', () => {
  testTask(quadraticTask, { test: it, registries, options: { dims: 4 } });
});
