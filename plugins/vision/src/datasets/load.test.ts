import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptError, type EvoptErrorCode } from '@evopt/core';
import { CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH, CIFAR_TRAIN_BATCHES, CLASS_NAMES, IDX_FILES } from './catalog.js';
import { cifarBatch, gzip, idxImages, idxLabels, labelAt, pixelAt } from './__fixtures__/formats.js';
import { loadDataset } from './load.js';
import type { DatasetId } from './types.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'evopt-load-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let dirs = 0;
/** A fresh data dir, so the per-thread cache never serves one test's dataset to another. */
async function dataDir(): Promise<string> {
  const dir = join(scratch, `data-${dirs++}`);
  await mkdir(dir);
  return dir;
}

interface IdxLayout {
  readonly train?: number;
  readonly trainLabels?: number;
  readonly test?: number;
  readonly raw?: boolean;
}

/** Writes an MNIST-format dataset (gzipped as published, or raw) and returns its dataset dir. */
async function writeIdx(root: string, id: DatasetId, layout: IdxLayout = {}): Promise<string> {
  const { train = 12, trainLabels = train, test = 5, raw = false } = layout;
  const directory = join(root, id);
  await mkdir(directory, { recursive: true });
  const put = (name: string, data: Buffer) =>
    raw ? writeFile(join(directory, name.replace(/\.gz$/, '')), data) : writeFile(join(directory, name), gzip(data));
  await Promise.all([
    put(IDX_FILES.train.images, idxImages(train)),
    put(IDX_FILES.train.labels, idxLabels(trainLabels)),
    put(IDX_FILES.test.images, idxImages(test)),
    put(IDX_FILES.test.labels, idxLabels(test)),
  ]);
  return directory;
}

/** Writes CIFAR-10's extracted batches: `perBatch` images in each of the five train batches. */
async function writeCifar(root: string, perBatch = 4, test = 3): Promise<string> {
  const batches = join(root, 'cifar10', CIFAR_BATCH_DIRECTORY);
  await mkdir(batches, { recursive: true });
  await Promise.all([
    ...CIFAR_TRAIN_BATCHES.map((name, b) => writeFile(join(batches, name), cifarBatch(perBatch, b * perBatch))),
    writeFile(join(batches, CIFAR_TEST_BATCH), cifarBatch(test, 1000)),
  ]);
  return batches;
}

async function expectError(
  promise: Promise<unknown>,
  code: EvoptErrorCode,
  names: readonly string[],
  dataset: DatasetId,
): Promise<EvoptError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isEvoptError(error, code), String(error)).toBe(true);
  const message = (error as Error).message;
  for (const name of names) expect(message).toContain(name);
  expect(message).toContain(`evopt data fetch ${dataset}`);
  return error as EvoptError;
}

function expectIdxSplit(set: { images: Uint8Array; labels: Uint8Array; count: number }, count: number): void {
  expect(set.count).toBe(count);
  expect([...set.labels]).toEqual(Array.from({ length: count }, (_, i) => labelAt(i)));
  let wrong = 0;
  for (let i = 0; i < count; i++) for (let j = 0; j < 784; j++) if (set.images[i * 784 + j] !== pixelAt(i, j)) wrong++;
  expect(wrong).toBe(0);
}

describe.each(['mnist', 'fashion-mnist'] as const)('loadDataset(%s)', (id) => {
  it.each([false, true])('reads the four IDX files (raw: %s)', async (raw) => {
    const root = await dataDir();
    await writeIdx(root, id, { train: 12, test: 5, raw });
    const dataset = await loadDataset(id, root);
    expect(dataset.id).toBe(id);
    expect(dataset.classes).toEqual(CLASS_NAMES[id]);
    expect(dataset.train).toMatchObject({ height: 28, width: 28, channels: 1 });
    expectIdxSplit(dataset.train, 12);
    expectIdxSplit(dataset.test, 5);
  });

  it('says which dataset is missing, where it looked and how to fetch it', async () => {
    const root = await dataDir();
    const error = await expectError(
      loadDataset(id, root),
      'DATA_MISSING',
      [id, join(root, id), '--from', 'EVOPT_DATA_DIR', 'dataDir'],
      id,
    );
    expect(error.details).toMatchObject({ dataset: id, directory: join(root, id) });
  });

  it('names the one file that is missing', async () => {
    const root = await dataDir();
    const directory = await writeIdx(root, id);
    await rm(join(directory, IDX_FILES.test.labels));
    const error = await expectError(loadDataset(id, root), 'DATA_MISSING', [IDX_FILES.test.labels, directory], id);
    expect(error.details['missing']).toEqual([IDX_FILES.test.labels]);
  });

  it('refuses images and labels whose counts differ', async () => {
    const root = await dataDir();
    const directory = await writeIdx(root, id, { train: 12, trainLabels: 11 });
    await expectError(
      loadDataset(id, root),
      'DATA_CORRUPT',
      [join(directory, IDX_FILES.train.labels), '11 labels', '12 images'],
      id,
    );
  });

  it('refuses a corrupt file rather than return the other splits', async () => {
    const root = await dataDir();
    const directory = await writeIdx(root, id);
    await writeFile(join(directory, IDX_FILES.test.images), Buffer.from('not gzip, not IDX'));
    await expectError(loadDataset(id, root), 'DATA_CORRUPT', [join(directory, IDX_FILES.test.images)], id);
  });
});

describe('loadDataset(cifar10)', () => {
  it('reads the five train batches in order and the test batch', async () => {
    const root = await dataDir();
    await writeCifar(root, 4, 3);
    const dataset = await loadDataset('cifar10', root);
    expect(dataset.classes).toEqual(CLASS_NAMES.cifar10);
    expect(dataset.train).toMatchObject({ count: 20, height: 32, width: 32, channels: 3 });
    expect(dataset.test.count).toBe(3);
    expect([...dataset.train.labels]).toEqual(Array.from({ length: 20 }, (_, i) => labelAt(i)));
    expect([...dataset.test.labels]).toEqual([0, 1, 2].map((i) => labelAt(1000 + i)));
    // Image 13 is the second of data_batch_4; check one pixel per channel at (y, x) = (7, 30).
    for (let c = 0; c < 3; c++)
      expect(dataset.train.images[((13 * 32 + 7) * 32 + 30) * 3 + c]).toBe(pixelAt(13, c * 1024 + 7 * 32 + 30));
    expect(dataset.test.images[((2 * 32 + 31) * 32 + 31) * 3 + 2]).toBe(pixelAt(1002, 2 * 1024 + 31 * 32 + 31));
  });

  it('says where it looked when the batches are not extracted', async () => {
    const root = await dataDir();
    await mkdir(join(root, 'cifar10'));
    await expectError(
      loadDataset('cifar10', root),
      'DATA_MISSING',
      ['cifar10', join(root, 'cifar10'), CIFAR_TEST_BATCH],
      'cifar10',
    );
  });

  it('refuses a damaged batch', async () => {
    const root = await dataDir();
    const batches = await writeCifar(root);
    await writeFile(join(batches, CIFAR_TRAIN_BATCHES[2]), cifarBatch(4).subarray(0, 100));
    await expectError(loadDataset('cifar10', root), 'DATA_CORRUPT', [join(batches, CIFAR_TRAIN_BATCHES[2])], 'cifar10');
  });
});

describe('loadDataset caching', () => {
  it('loads once per dataset and directory, however the directory is spelled', async () => {
    const root = await dataDir();
    await writeIdx(root, 'mnist');
    const first = loadDataset('mnist', root);
    expect(loadDataset('mnist', relative(process.cwd(), root))).toBe(first);
    expect(loadDataset('mnist', `${root}/x/..`)).toBe(first);
    expect(loadDataset('fashion-mnist', root)).not.toBe(first);
    await first;
    await loadDataset('fashion-mnist', root).catch(() => undefined);
  });

  it('does not cache a failed load, so a later fetch is picked up', async () => {
    const root = await dataDir();
    await expect(loadDataset('mnist', root)).rejects.toThrow(/not in/);
    await writeIdx(root, 'mnist', { train: 6, test: 2 });
    const dataset = await loadDataset('mnist', root);
    expect(dataset.train.count).toBe(6);
  });
});
