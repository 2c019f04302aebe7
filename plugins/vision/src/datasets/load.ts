import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EvoptError } from '@evopt/core';
import {
  CIFAR_BATCH_DIRECTORY,
  CIFAR_TEST_BATCH,
  CIFAR_TRAIN_BATCHES,
  CLASS_NAMES,
  DATASETS,
  IDX_FILES,
  fetchCommand,
} from './catalog.js';
import { readCifarBatches } from './cifar.js';
import { corruptFile, readIdxImages, readIdxLabels, type IdxImages } from './idx.js';
import type { Dataset, DatasetId, ImageSet } from './types.js';

type Split = keyof typeof IDX_FILES;
const SPLITS: readonly Split[] = ['train', 'test'];

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function missing(id: DatasetId, directory: string, absent: readonly string[]): EvoptError {
  const fetch = fetchCommand(id);
  return new EvoptError(
    'DATA_MISSING',
    `The ${id} dataset is not in ${directory}: ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} missing.`,
    {
      fix: `Run \`${fetch}\` to download it (or \`${fetch} --from <dir>\` to use a local copy); to look in another directory, set \`dataDir\` in the config or the EVOPT_DATA_DIR environment variable`,
      details: { dataset: id, directory, missing: absent },
    },
  );
}

/** The published `.gz` file, or else the same file un-gzipped; null when neither is there. */
async function findIdxFile(directory: string, name: string): Promise<string | null> {
  for (const candidate of [name, name.replace(/\.gz$/, '')]) {
    const path = join(directory, candidate);
    if (await isFile(path)) return path;
  }
  return null;
}

function idxFiles(directory: string): Promise<{ name: string; path: string | null }[]> {
  return Promise.all(
    SPLITS.flatMap((split) => [IDX_FILES[split].images, IDX_FILES[split].labels]).map(async (name) => ({
      name,
      path: await findIdxFile(directory, name),
    })),
  );
}

/** The CIFAR-10 batch files (relative to the dataset's directory) that are not there. */
async function absentCifarBatches(directory: string): Promise<string[]> {
  const names = [...CIFAR_TRAIN_BATCHES, CIFAR_TEST_BATCH];
  const present = await Promise.all(names.map((name) => isFile(join(directory, CIFAR_BATCH_DIRECTORY, name))));
  return names.filter((_, i) => !present[i]).map((name) => join(CIFAR_BATCH_DIRECTORY, name));
}

/**
 * Throws the DATA_MISSING error {@link loadDataset} would, without reading anything: a cheap check
 * that the files of dataset `id` are in `dataDir`, for a run to make before it starts.
 */
export async function checkDatasetPresent(id: DatasetId, dataDir: string): Promise<void> {
  const directory = resolve(dataDir, DATASETS[id].directory);
  const absent =
    id === 'cifar10'
      ? await absentCifarBatches(directory)
      : (await idxFiles(directory)).filter((file) => file.path === null).map((file) => file.name);
  if (absent.length > 0) throw missing(id, directory, absent);
}

function labelled(
  id: DatasetId,
  split: Split,
  images: IdxImages,
  imagesFile: string,
  labels: Uint8Array,
  labelsFile: string,
): ImageSet {
  if (labels.length !== images.count) {
    throw corruptFile(
      id,
      labelsFile,
      `it holds ${labels.length} labels, but the ${split} images file ${imagesFile} holds ${images.count} images`,
    );
  }
  return { ...images, labels };
}

async function loadIdx(id: DatasetId, directory: string): Promise<Dataset> {
  const classes = CLASS_NAMES[id];
  const files = await idxFiles(directory);
  const absent = files.filter((file) => file.path === null).map((file) => file.name);
  if (absent.length > 0) throw missing(id, directory, absent);
  const [trainImages, trainLabels, testImages, testLabels] = files.map((file) => file.path as string) as [
    string,
    string,
    string,
    string,
  ];
  const [trainSet, trainTargets, testSet, testTargets] = await Promise.all([
    readIdxImages(trainImages, id),
    readIdxLabels(trainLabels, classes.length, id),
    readIdxImages(testImages, id),
    readIdxLabels(testLabels, classes.length, id),
  ]);
  if (testSet.height !== trainSet.height || testSet.width !== trainSet.width) {
    throw corruptFile(
      id,
      testImages,
      `its images are ${testSet.height}×${testSet.width}, but the train images (${trainImages}) are ${trainSet.height}×${trainSet.width}`,
    );
  }
  return {
    id,
    train: labelled(id, 'train', trainSet, trainImages, trainTargets, trainLabels),
    test: labelled(id, 'test', testSet, testImages, testTargets, testLabels),
    classes,
  };
}

async function loadCifar(id: DatasetId, directory: string): Promise<Dataset> {
  const batches = join(directory, CIFAR_BATCH_DIRECTORY);
  const absent = await absentCifarBatches(directory);
  if (absent.length > 0) throw missing(id, directory, absent);
  const [train, test] = await Promise.all([
    readCifarBatches(
      CIFAR_TRAIN_BATCHES.map((name) => join(batches, name)),
      id,
    ),
    readCifarBatches([join(batches, CIFAR_TEST_BATCH)], id),
  ]);
  return { id, train, test, classes: CLASS_NAMES[id] };
}

// One load per process or worker thread (module scope is per thread), shared by every task instance.
const cache = new Map<string, Promise<Dataset>>();

/**
 * The checked train and test splits of dataset `id` under `dataDir` (in `<dataDir>/<directory>`,
 * see {@link DATASETS}), loaded once per process or worker thread. A missing dataset throws
 * DATA_MISSING that says where it looked and how to fetch it; a damaged file throws DATA_CORRUPT
 * that names it. A failed load is not cached, so a fetch in between is picked up by the next call.
 */
export function loadDataset(id: DatasetId, dataDir: string): Promise<Dataset> {
  const directory = resolve(dataDir, DATASETS[id].directory);
  const key = `${id}\0${directory}`;
  let dataset = cache.get(key);
  if (!dataset) {
    dataset = id === 'cifar10' ? loadCifar(id, directory) : loadIdx(id, directory);
    cache.set(key, dataset);
    const pending = dataset;
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
  }
  return dataset;
}
