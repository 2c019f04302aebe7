import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baselineGenome,
  isEvoptError,
  parseGenome,
  type EvaluationItem,
  type Genome,
  type TaskContext,
  type TaskInstance,
  type WorkerInfo,
} from '@evopt/core';
import { mnistLite, mnistLiteOptions } from '../index.js';
import type { MnistLiteOptions } from './options.js';
import { TEST_BACKEND } from '../__fixtures__/backend.js';
import { visionRegistries } from '../__fixtures__/registries.js';

const registries = visionRegistries();

const reports: WorkerInfo[] = [];
const context: TaskContext = {
  registries,
  dataDir: '.',
  log: () => {},
  backend: TEST_BACKEND,
  report: (info) => reports.push(info),
};
const SLOW = 60_000;

async function createTask(options: Partial<MnistLiteOptions>): Promise<TaskInstance> {
  return mnistLite.create(mnistLiteOptions.parse(options), context);
}

function item(genome: Genome, seed: number, steps: number): EvaluationItem {
  return { genome, hash: `h${seed}`, seed, seedIndex: 0, steps };
}

const adam = baselineGenome('adam');
const noProgress = { onProgress: () => {} };
let mlp: TaskInstance;

beforeAll(async () => {
  mlp = await createTask({ model: 'mlp', batchSize: 64 });
}, SLOW);
afterAll(async () => {
  await mlp.dispose?.();
});

describe('mnist-lite', () => {
  it('has defaults for every option: the MLP, batch 128, scored on validation', () => {
    expect(mnistLiteOptions.parse({})).toEqual({ model: 'mlp', batchSize: 128, split: 'validation' });
    expect(registries.tasks.get('mnist-lite')).toBe(mnistLite);
  });

  it('starts the backend the user chose and reports it', () => {
    expect(reports[0]).toMatchObject({ backend: TEST_BACKEND });
  });

  it('refuses a backend it does not know, saying which ones exist', async () => {
    const error: unknown = await Promise.resolve()
      .then(() => mnistLite.create(mnistLiteOptions.parse({}), { ...context, backend: 'tpu' }))
      .catch((e: unknown) => e);
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/tpu[\s\S]*wasm/);
  });

  it(
    'trains the MLP with Adam for 30 steps to a validation accuracy far above chance',
    async () => {
      const [outcome] = await mlp.evaluate([item(adam, 1, 30)], noProgress);
      expect(outcome?.status).toBe('ok');
      expect(outcome?.stepsCompleted).toBe(30);
      expect(outcome?.metrics['valAccuracy']).toBeGreaterThan(0.5);
      expect(Object.keys(outcome?.metrics ?? {}).sort()).toEqual([
        'finalLoss',
        'lossTailMean',
        'stepsPerSecond',
        'valAccuracy',
      ]);
      // The paper's score: accuracy plus at most 0.05 for a low training loss.
      const bonus = 0.05 * Math.max(0, 1 - (outcome?.metrics['lossTailMean'] ?? 0));
      expect(outcome?.score).toBeCloseTo((outcome?.metrics['valAccuracy'] ?? 0) + bonus, 10);
    },
    SLOW,
  );

  it(
    'is deterministic for the same seed and differs for another',
    async () => {
      const outcomes = await mlp.evaluate([item(adam, 7, 20), item(adam, 7, 20), item(adam, 8, 20)], noProgress);
      expect(outcomes[1]).toEqual({
        ...outcomes[0],
        metrics: { ...outcomes[0]?.metrics, stepsPerSecond: outcomes[1]?.metrics['stepsPerSecond'] },
      });
      expect(outcomes[2]?.metrics['finalLoss']).not.toBe(outcomes[0]?.metrics['finalLoss']);
    },
    SLOW,
  );

  it(
    'records a genome whose loss blows up as diverged with score −1, and carries on',
    async () => {
      const huge = parseGenome({ ...adam, lr: 1e6 });
      const nan = parseGenome({ ...adam, terms: [{ primitive: 'grad', alpha: 1 }], lr: 1e38 });
      const outcomes = await mlp.evaluate([item(huge, 1, 20), item(nan, 1, 20), item(adam, 1, 5)], noProgress);
      for (const outcome of outcomes.slice(0, 2)) {
        expect(outcome).toMatchObject({ status: 'diverged', score: -1 });
        expect(outcome.stepsCompleted).toBeLessThan(20);
        for (const value of Object.values(outcome.metrics)) expect(Number.isFinite(value)).toBe(true);
      }
      expect(outcomes[2]?.status).toBe('ok');
    },
    SLOW,
  );

  it(
    'calls a run diverged when its last update leaves weights that are not finite',
    async () => {
      const nan = parseGenome({ ...adam, terms: [{ primitive: 'grad', alpha: 1 }], lr: 1e38 });
      const [outcome] = await mlp.evaluate([item(nan, 1, 1)], noProgress);
      expect(outcome).toMatchObject({ status: 'diverged', score: -1, stepsCompleted: 1 });
    },
    SLOW,
  );

  it(
    'leaks no tensors across evaluations, diverged or not',
    async () => {
      await mlp.evaluate([item(adam, 2, 2)], noProgress);
      const before = tf.memory().numTensors;
      await mlp.evaluate([item(adam, 3, 5), item(parseGenome({ ...adam, lr: 1e6 }), 3, 10)], noProgress);
      expect(tf.memory().numTensors).toBe(before);
    },
    SLOW,
  );

  it('stops with ABORTED when its signal is aborted', async () => {
    const error: unknown = await mlp
      .evaluate([item(adam, 1, 5)], { ...noProgress, signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(isEvoptError(error, 'ABORTED')).toBe(true);
  });

  it(
    'scores on the test digits only when asked, reported as testAccuracy',
    async () => {
      const test = await createTask({ model: 'mlp', batchSize: 64, split: 'test' });
      const [onTest] = await test.evaluate([item(adam, 1, 30)], noProgress);
      const [onValidation] = await mlp.evaluate([item(adam, 1, 30)], noProgress);
      await test.dispose?.();
      expect(onTest?.metrics['testAccuracy']).toBeGreaterThan(0.5);
      expect(onTest?.metrics['valAccuracy']).toBeUndefined();
      expect(onTest?.metrics['finalLoss']).toBe(onValidation?.metrics['finalLoss']);
      expect(onTest?.metrics['testAccuracy']).not.toBe(onValidation?.metrics['valAccuracy']);
    },
    SLOW,
  );

  it(
    'trains the SmallCNN a few steps without leaking tensors',
    async () => {
      const cnn = await createTask({ model: 'cnn', batchSize: 16 });
      const before = tf.memory().numTensors;
      const [outcome] = await cnn.evaluate([item(adam, 1, 3)], noProgress);
      expect(tf.memory().numTensors).toBe(before);
      await cnn.dispose?.();
      expect(outcome).toMatchObject({ status: 'ok', stepsCompleted: 3 });
      expect(outcome?.metrics['valAccuracy']).toBeGreaterThanOrEqual(0);
    },
    SLOW,
  );
});
