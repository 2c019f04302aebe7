import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTask } from '@evopt/testing';
import { TEST_BACKEND, useTestBackend } from './__fixtures__/backend.js';
import { visionRegistries } from './__fixtures__/registries.js';
import {
  CIFAR_BATCH_DIRECTORY,
  CIFAR_TEST_BATCH,
  CIFAR_TRAIN_BATCHES,
  DATASETS,
  IDX_FILES,
} from './datasets/catalog.js';
import { cifarBatch, gzip, idxImages, idxLabels } from './datasets/__fixtures__/formats.js';
import type { DatasetId } from './datasets/types.js';
import { cifar10, fashionMnist, mnist, mnistLite } from './index.js';

// Every task of the plugin runs the conformance suite that third-party tasks run, on the backend
// this package tests on. The dataset tasks read small files written in the real formats (real
// readers, real preflight), so they need no download. The suite trains 8 items per task.
const registries = visionRegistries();
const context = { backend: TEST_BACKEND };
const STEPS = 3;

/** Images per dataset file: enough for a training subset and a validation split of a few batches. */
const TRAIN_IMAGES = 120;
const TEST_IMAGES = 30;
const SMALL = { batchSize: 16, trainSubset: 80, validationSize: 40 };

const dataDir = mkdtempSync(join(tmpdir(), 'evopt-vision-conformance-'));

function writeDataset(id: DatasetId): void {
  const directory = join(dataDir, DATASETS[id].directory);
  if (id === 'cifar10') {
    const batches = join(directory, CIFAR_BATCH_DIRECTORY);
    mkdirSync(batches, { recursive: true });
    const perBatch = TRAIN_IMAGES / CIFAR_TRAIN_BATCHES.length;
    CIFAR_TRAIN_BATCHES.forEach((name, b) => writeFileSync(join(batches, name), cifarBatch(perBatch, b * perBatch)));
    writeFileSync(join(batches, CIFAR_TEST_BATCH), cifarBatch(TEST_IMAGES, 1000));
    return;
  }
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, IDX_FILES.train.images), gzip(idxImages(TRAIN_IMAGES)));
  writeFileSync(join(directory, IDX_FILES.train.labels), gzip(idxLabels(TRAIN_IMAGES)));
  writeFileSync(join(directory, IDX_FILES.test.images), gzip(idxImages(TEST_IMAGES)));
  writeFileSync(join(directory, IDX_FILES.test.labels), gzip(idxLabels(TEST_IMAGES)));
}

beforeAll(async () => {
  await useTestBackend();
  for (const id of ['mnist', 'fashion-mnist', 'cifar10'] as const) writeDataset(id);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('@evopt/plugin-vision tasks', () => {
  it('registers mnist-lite and the three dataset tasks, each covered below', () => {
    expect(registries.tasks.ids()).toEqual(['cifar10', 'fashion-mnist', 'mnist', 'mnist-lite']);
  });

  describe('task "mnist-lite" (MLP)', () => {
    testTask(mnistLite, { test: it, registries, context, options: { model: 'mlp', batchSize: 32 }, steps: STEPS });
  });

  describe('task "mnist" (MLP, small files)', () => {
    testTask(mnist, {
      test: it,
      registries,
      context: { ...context, dataDir },
      options: { ...SMALL, model: 'mlp' },
      steps: STEPS,
    });
  });

  // population: 2 trains the batch's two same-seed items as one stacked model (what 'auto' does on a
  // GPU), so "batch-independent" checks it against the item trained alone, bit for bit.
  describe('task "fashion-mnist" (SmallCNN trained as a population of 2, small files)', () => {
    testTask(fashionMnist, {
      test: it,
      registries,
      context: { ...context, dataDir },
      options: { ...SMALL, model: 'cnn', batchSize: 8, population: 2 },
      steps: STEPS,
    });
  });

  describe('task "cifar10" (CIFAR CNN, small files)', () => {
    testTask(cifar10, {
      test: it,
      registries,
      context: { ...context, dataDir },
      options: { ...SMALL, batchSize: 8 },
      steps: STEPS,
    });
  });
});
