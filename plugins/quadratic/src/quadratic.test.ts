import { createRegistries, freezeRegistries, importPlugin, registerPlugin } from '@evopt/core';
import type { EvaluationItem, EvaluationProgress, Genome, ReadonlyRegistries } from '@evopt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { curvatures, trainQuadratic } from './quadratic-problem.js';
import { quadraticOptions, quadraticTask } from './quadratic.js';

// Stands in for @evopt/plugin-primitives and -schedules: grad, adam, constant (see that file).
const FIXTURE_URL = new URL('../../../packages/core/test-fixtures/plugin.js', import.meta.url).href;
let registries: ReadonlyRegistries;

beforeAll(async () => {
  const r = createRegistries();
  registerPlugin(r, await importPlugin(FIXTURE_URL, FIXTURE_URL));
  registries = freezeRegistries(r);
});

function genome(overrides: Partial<Genome> = {}): Genome {
  return {
    schema: 'evopt.genome/1',
    terms: [{ primitive: 'adam', alpha: 1 }],
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    useM: true,
    useV: true,
    biasCorrection: true,
    clip: null,
    schedule: { id: 'constant', params: {} },
    ...overrides,
  };
}

function item(overrides: Partial<Genome> = {}, seed = 1, steps = 200): EvaluationItem {
  return { genome: genome(overrides), hash: 'h', seed, seedIndex: 0, steps };
}

async function run(items: EvaluationItem[], options: Record<string, unknown> = {}) {
  const task = await quadraticTask.create(quadraticOptions.parse(options), {
    registries,
    dataDir: '.',
    backend: 'auto',
    log: () => undefined,
    report: () => undefined,
  });
  return task.evaluate(items, { onProgress: () => undefined });
}

describe('testing/quadratic', () => {
  it('has defaults for every option and refuses unknown ones', () => {
    expect(quadraticOptions.parse({})).toEqual({
      dims: 8,
      condition: 10,
      noise: 0.1,
      delayMs: 0,
      delayPer: 'evaluation',
      crashOnLr: null,
      exitOnLr: null,
    });
    expect(quadraticOptions.safeParse({ dimz: 3 }).success).toBe(false);
  });

  it('spaces curvatures from 1 to the condition number', () => {
    expect(curvatures(3, 100)).toEqual([1, 10, 100]);
    expect(curvatures(1, 100)).toEqual([1]);
  });

  it('is deterministic: the same genome and seed give the same outcome', async () => {
    const [a] = await run([item()]);
    const [b] = await run([item()]);
    expect(b).toEqual(a);
    expect(a?.status).toBe('ok');
    expect(a?.stepsCompleted).toBe(200);
    expect(Object.keys(a?.metrics ?? {}).sort()).toEqual(['finalLoss', 'initialLoss', 'lossTailMean']);
    expect(a?.score).toBeCloseTo(1 / (1 + (a?.metrics['lossTailMean'] ?? NaN)), 12);
  });

  it('scores different genomes and seeds differently, and rewards a better optimizer', async () => {
    const [good, slow, otherSeed] = await run([item({ lr: 0.05 }), item({ lr: 1e-4 }), item({ lr: 0.05 }, 2)]);
    expect(good?.score).not.toBe(slow?.score);
    expect(good?.score).not.toBe(otherSeed?.score);
    expect(good?.score ?? 0).toBeGreaterThan(slow?.score ?? 1);
    for (const outcome of [good, slow, otherSeed]) {
      expect(outcome?.score).toBeGreaterThan(0);
      expect(outcome?.score).toBeLessThanOrEqual(1);
    }
  });

  it('marks a huge learning rate as diverged with score −1', async () => {
    const outcomes = await run([item({ lr: 10, terms: [{ primitive: 'grad', alpha: 1 }] }), item({ lr: 50 })]);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'diverged', score: -1 });
      expect(outcome.stepsCompleted).toBeLessThan(200);
      expect(Object.values(outcome.metrics).every(Number.isFinite)).toBe(true);
    }
  });

  it('throws on crashOnLr, for poison-genome tests', async () => {
    await expect(run([item({ lr: 0.02 })], { crashOnLr: 0.02 })).rejects.toThrow(/crashOnLr/);
  });

  it('reports progress at most every ~100 ms, and once at the end', async () => {
    const reports: EvaluationProgress[] = [];
    await trainQuadratic(
      item({}, 1, 40),
      { dims: 4, condition: 10, noise: 0.1, delayMs: 10, delayPer: 'step' },
      registries,
      (p) => reports.push(p),
    );
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(reports.length).toBeLessThanOrEqual(8);
    expect(reports.at(-1)).toMatchObject({ step: 40, totalSteps: 40 });
  });
});
