import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baselineGenome,
  EvoptError,
  isEvoptError,
  Rng,
  type EvaluationItem,
  type EvaluationOutcome,
  type TaskContext,
  type TaskInstance,
} from '@evopt/core';
import { cifar10, fashionMnist, mnist } from '../index.js';
import { TEST_BACKEND, useTestBackend } from '../__fixtures__/backend.js';
import { visionRegistries } from '../__fixtures__/registries.js';
import type { Dataset, DatasetId, ImageSet } from '../datasets/types.js';
import { cifar10Options, mnistOptions } from './image-options.js';
import { createImageTask, type ImageTaskDeps, type ImageTaskId } from './image-task.js';

const registries = visionRegistries();
beforeAll(useTestBackend);

const context: TaskContext = {
  registries,
  dataDir: '/nonexistent',
  log: () => {},
  backend: TEST_BACKEND,
  report: () => {},
};
const noProgress = { onProgress: () => {} };
const adam = baselineGenome('adam');
const SHAPES: Record<DatasetId, [number, number, number]> = {
  mnist: [28, 28, 1],
  'fashion-mnist': [28, 28, 1],
  cifar10: [32, 32, 3],
};
const SMALL = { batchSize: 16, trainSubset: 160, validationSize: 100 };

/** `count` seeded random images of the right shape, with random labels. */
function randomSet(count: number, [height, width, channels]: readonly number[], seed: number): ImageSet {
  const rng = Rng.fromSeed(seed);
  const images = Uint8Array.from({ length: count * (height ?? 0) * (width ?? 0) * (channels ?? 0) }, () =>
    rng.int(0, 255),
  );
  const labels = Uint8Array.from({ length: count }, () => rng.int(0, 9));
  return { images, labels, count, height: height ?? 0, width: width ?? 0, channels: channels ?? 0 };
}

/** 300 train and 100 test images per dataset, made once; `loads` records each call. */
const datasets = new Map<DatasetId, Dataset>();
const loads: [DatasetId, string][] = [];
const memory: ImageTaskDeps = {
  check: () => Promise.resolve(),
  load: (id, dataDir) => {
    loads.push([id, dataDir]);
    let dataset = datasets.get(id);
    if (!dataset) {
      dataset = { id, train: randomSet(300, SHAPES[id], 1), test: randomSet(100, SHAPES[id], 2), classes: [] };
      datasets.set(id, dataset);
    }
    return Promise.resolve(dataset);
  },
};

function item(seed: number, steps = 3): EvaluationItem {
  return { genome: adam, hash: `h${seed}`, seed, seedIndex: 0, steps };
}

async function instance(
  id: ImageTaskId,
  options: Record<string, unknown>,
  deps: ImageTaskDeps = memory,
): Promise<TaskInstance> {
  return id === 'cifar10'
    ? createImageTask(id, deps).create(cifar10Options.parse(options), context)
    : createImageTask(id, deps).create(mnistOptions.parse(options), context);
}

async function evaluate(
  id: ImageTaskId,
  options: Record<string, unknown>,
  items: EvaluationItem[],
): Promise<EvaluationOutcome[]> {
  const task = await instance(id, options);
  try {
    return await task.evaluate(items, noProgress);
  } finally {
    await task.dispose?.();
  }
}

const withoutSpeed = (outcome: EvaluationOutcome | undefined) => ({
  ...outcome,
  metrics: { ...outcome?.metrics, stepsPerSecond: 0 },
});

/** What `run` throws or rejects with; undefined if it succeeds. */
async function failure(run: () => unknown): Promise<unknown> {
  return Promise.resolve()
    .then(run)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
}

describe('image task options', () => {
  it("have a default for every field: the paper's subset and batch, 5,000 validation images", () => {
    const shared = {
      batchSize: 128,
      trainSubset: 15_000,
      validationSize: 5_000,
      split: 'validation',
      population: 'auto',
    };
    expect(mnistOptions.parse({})).toEqual({ model: 'cnn', ...shared });
    expect(cifar10Options.parse({})).toEqual({ model: 'cifar-cnn', ...shared, augment: true });
    expect(mnistOptions.parse({ model: 'mlp', population: 4 })).toMatchObject({ model: 'mlp', population: 4 });
  });

  it('reject unknown keys, a model for other images, augmentation of MNIST and a population of 0', () => {
    expect(() => mnistOptions.parse({ epochs: 3 })).toThrow();
    expect(() => mnistOptions.parse({ model: 'cifar-cnn' })).toThrow();
    expect(() => cifar10Options.parse({ model: 'cnn' })).toThrow();
    expect(() => mnistOptions.parse({ augment: true })).toThrow();
    expect(() => cifar10Options.parse({ population: 0 })).toThrow();
  });

  it("are registered with the tasks, each under its dataset's id", () => {
    expect(registries.tasks.get('mnist')).toBe(mnist);
    expect(registries.tasks.get('fashion-mnist')).toBe(fashionMnist);
    expect(registries.tasks.get('cifar10')).toBe(cifar10);
    expect(cifar10.meta.options).toBe(cifar10Options);
  });
});

describe.each([
  ['mnist', { model: 'cnn' }],
  ['fashion-mnist', { model: 'mlp' }],
  ['cifar10', { augment: true }],
] as const)('%s', (id, options) => {
  it('trains two genomes a few steps and scores them on the validation split', async () => {
    const before = tf.memory().numTensors;
    const outcomes = await evaluate(id, { ...SMALL, ...options }, [item(1), item(2)]);
    expect(tf.memory().numTensors).toBe(before);
    expect(outcomes).toHaveLength(2);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'ok', stepsCompleted: 3 });
      expect(Object.keys(outcome.metrics).sort()).toEqual([
        'finalLoss',
        'lossTailMean',
        'populationSize',
        'stepsPerSecond',
        'valAccuracy',
      ]);
      const accuracy = outcome.metrics['valAccuracy'] ?? -1;
      // 100 validation images: accuracy is a whole number of percent.
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
      expect(Math.round(accuracy * 100)).toBeCloseTo(accuracy * 100, 8);
      expect(outcome.score).toBeGreaterThanOrEqual(accuracy);
      expect(outcome.score).toBeLessThanOrEqual(accuracy + 0.05);
    }
    expect(outcomes[1]?.metrics['finalLoss']).not.toBe(outcomes[0]?.metrics['finalLoss']);
    expect(loads.at(-1)).toEqual([id, '/nonexistent']);
  });
});

describe('image tasks', () => {
  it('give the same score for the same item, augmentation, dropout and batch norm included', async () => {
    const outcomes = await evaluate('cifar10', SMALL, [item(5), item(5)]);
    expect(outcomes[0]?.status).toBe('ok');
    expect(withoutSpeed(outcomes[1])).toEqual(withoutSpeed(outcomes[0]));
  });

  it('score on the official test split only when asked, reported as testAccuracy', async () => {
    const [onTest] = await evaluate('mnist', { ...SMALL, model: 'mlp', split: 'test' }, [item(3)]);
    const [onValidation] = await evaluate('mnist', { ...SMALL, model: 'mlp' }, [item(3)]);
    expect(onTest?.metrics['valAccuracy']).toBeUndefined();
    expect(onTest?.metrics['testAccuracy']).toBeGreaterThanOrEqual(0);
    // Training is the same; only the scored images differ.
    expect(onTest?.metrics['finalLoss']).toBe(onValidation?.metrics['finalLoss']);
  });

  it('refuse a training subset and validation split larger than the train split, saying its size', async () => {
    const error = await failure(() => instance('mnist', { trainSubset: 250, validationSize: 100 }));
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/350 images.*has 300 images/);
    expect((error as EvoptError).fix).toMatch(/trainSubset or validationSize/);
  });

  it('refuse a batch larger than the training subset', async () => {
    const error = await failure(() => instance('cifar10', { batchSize: 64, trainSubset: 32, validationSize: 10 }));
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/batchSize \(64\).*trainSubset \(32 images\)/);
  });

  it("pass a loader's error on unchanged", async () => {
    const missing = new EvoptError('DATA_MISSING', 'The cifar10 dataset is not in /nonexistent.');
    const error = await failure(() => instance('cifar10', {}, { ...memory, load: () => Promise.reject(missing) }));
    expect(error).toBe(missing);
  });

  it('say how to fetch a dataset that is not in the data dir', async () => {
    const error = await failure(() => mnist.create(mnistOptions.parse({}), context));
    expect(isEvoptError(error, 'DATA_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/evopt data fetch mnist/);
  });

  it('refuse images of the wrong shape as a corrupt dataset', async () => {
    const grey = await memory.load('mnist', '.');
    const error = await failure(() =>
      instance('cifar10', {}, { ...memory, load: () => Promise.resolve({ ...grey, id: 'cifar10' }) }),
    );
    expect(isEvoptError(error, 'DATA_CORRUPT')).toBe(true);
    expect((error as Error).message).toMatch(/32×32×3 images.*28×28×1/);
  });
});

describe('population training inside a task', () => {
  const genomes = [adam, { ...baselineGenome('sgd-momentum'), lr: 0.05 }, baselineGenome('rmsprop')];
  const items = (seed: number): EvaluationItem[] =>
    genomes.map((genome, i) => ({ genome, hash: `g${i}`, seed, seedIndex: 0, steps: 3 }));

  it('gives the outcomes of one-by-one training when it stacks same-seed genomes (population 3 vs 1)', async () => {
    const batch = [...items(5), ...items(6)];
    const together = await evaluate('cifar10', { ...SMALL, batchSize: 8, population: 3 }, batch);
    const alone = await evaluate('cifar10', { ...SMALL, batchSize: 8, population: 1 }, batch);
    expect(together.map((o) => o.status)).toEqual(alone.map((o) => o.status));
    // Really stacked (three per seed) in one case, really one by one in the other.
    expect(together.map((o) => o.metrics['populationSize'])).toEqual([3, 3, 3, 3, 3, 3]);
    expect(alone.map((o) => o.metrics['populationSize'])).toEqual([1, 1, 1, 1, 1, 1]);
    together.forEach((outcome, i) => {
      const solo = alone[i] as EvaluationOutcome;
      expect(outcome.score).toBeCloseTo(solo.score, 4);
      expect(outcome.metrics['finalLoss']).toBeCloseTo(solo.metrics['finalLoss'] as number, 4);
    });
  });
});
