import * as tf from '@tensorflow/tfjs-core';
import { defineTask, EvoptError, Rng } from '@evopt/core';
import type {
  EvaluationItem,
  EvaluationOutcome,
  TaskDefinition,
  TaskInstance,
  TaskPreflightContext,
} from '@evopt/core';
import type { TrainableModel } from '@evopt/tfjs';
import {
  CIFAR_AUGMENTATION,
  imageBatchSource,
  imageTensor,
  NORMALISATION,
  type Normalisation,
} from '../data/image-batches.js';
import { splitImages, type ImageSplit } from '../data/image-splits.js';
import { fetchCommand } from '../datasets/catalog.js';
import { checkDatasetPresent, loadDataset } from '../datasets/load.js';
import type { Dataset, DatasetId } from '../datasets/types.js';
import { createVisionModel } from '../models/index.js';
import { EVALUATION_BATCH, startBackend } from './evaluate-item.js';
import { evaluatePopulation, populationGroups, populationSize } from './evaluate-population.js';
import {
  cifar10Options,
  mnistOptions,
  type Cifar10Options,
  type ImageTaskOptions,
  type MnistOptions,
} from './image-options.js';

/** The image tasks: one per dataset, each with its dataset's id. */
export type ImageTaskId = DatasetId;

/** What an image task needs from outside; tests inject an in-memory loader. */
export interface ImageTaskDeps {
  /** The dataset's official train and test splits (default: {@link loadDataset} from the data dir). */
  readonly load: (id: DatasetId, dataDir: string) => Promise<Dataset>;
  /** Throws DATA_MISSING when the dataset's files are not there (default: {@link checkDatasetPresent}). */
  readonly check: (id: DatasetId, dataDir: string) => Promise<void>;
}

interface TaskSpec {
  readonly title: string;
  readonly model: string;
  /** Image height, width, channels the task's models take. */
  readonly shape: readonly [number, number, number];
}

const SPECS: Readonly<Record<ImageTaskId, TaskSpec>> = {
  mnist: { title: 'MNIST digits', model: 'the SmallCNN (or the MLP)', shape: [28, 28, 1] },
  'fashion-mnist': { title: 'Fashion-MNIST clothing', model: 'the SmallCNN (or the MLP)', shape: [28, 28, 1] },
  cifar10: { title: 'CIFAR-10', model: "the paper's CIFAR CNN with crop-and-flip augmentation", shape: [32, 32, 3] },
};

/**
 * The fraction of `split`'s images the model classifies right, in inference mode, normalising
 * `chunk` rows at a time so memory stays bounded however large the split.
 */
export function imageAccuracy(
  model: TrainableModel,
  split: ImageSplit,
  normalisation: Normalisation,
  chunk = EVALUATION_BATCH,
): number {
  const { set, rows } = split;
  let correct = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.subarray(start, start + chunk);
    const predicted = tf.tidy(() =>
      tf.argMax(model.apply(imageTensor(set, part, normalisation), false), -1).dataSync(),
    );
    for (let i = 0; i < part.length; i++) if (predicted[i] === set.labels[part[i] as number]) correct++;
  }
  return correct / rows.length;
}

/** DATA_CORRUPT unless both splits hold images of the shape the task's models take. */
function checkShape(id: ImageTaskId, dataset: Dataset): void {
  const [height, width, channels] = SPECS[id].shape;
  for (const [name, set] of [
    ['train', dataset.train],
    ['test', dataset.test],
  ] as const) {
    if (set.height !== height || set.width !== width || set.channels !== channels) {
      throw new EvoptError(
        'DATA_CORRUPT',
        `The ${id} task trains on ${height}×${width}×${channels} images, but the loaded ${name} split holds ${set.height}×${set.width}×${set.channels} images.`,
        {
          fix: `Fetch the dataset again with \`${fetchCommand(id)}\``,
          details: {
            dataset: id,
            split: name,
            expected: [height, width, channels],
            got: [set.height, set.width, set.channels],
          },
        },
      );
    }
  }
}

function docs(id: ImageTaskId): string {
  const { title, model } = SPECS[id];
  return [
    `Trains ${model} on ${title} with the genome. Data: \`${fetchCommand(id)}\` puts it under the data dir.`,
    'Splits: a fixed permutation (independent of the run seed) of the official train split gives `validationSize`',
    'validation images and, after them, a `trainSubset` training subset; `split: test` scores on the official test set.',
    'Score: accuracy on `split` + 0.05·max(0, 1 − mean of the last 50 training losses); a diverged run scores −1.',
    'Search on `validation`; use `test` only for final reports. `population`: how many same-seed genomes train together',
    "as one stacked model ('auto': all of a batch on a GPU, one at a time on wasm and cpu).",
  ].join('\n');
}

/** The `mnist`, `fashion-mnist` or `cifar10` task; `deps` replaces the dataset loader (tests). */
export function createImageTask(id: 'cifar10', deps?: ImageTaskDeps): TaskDefinition<Cifar10Options>;
export function createImageTask(id: 'mnist' | 'fashion-mnist', deps?: ImageTaskDeps): TaskDefinition<MnistOptions>;
export function createImageTask(
  id: ImageTaskId,
  deps?: ImageTaskDeps,
): TaskDefinition<MnistOptions> | TaskDefinition<Cifar10Options>;
export function createImageTask(
  id: ImageTaskId,
  deps: ImageTaskDeps = { load: loadDataset, check: checkDatasetPresent },
): TaskDefinition<MnistOptions> | TaskDefinition<Cifar10Options> {
  // Before a run starts: are the dataset's files there? (Reading and checking them is create's job.)
  const preflight = (_options: unknown, { dataDir }: TaskPreflightContext) => deps.check(id, dataDir);
  const meta = {
    summary: `Trains ${SPECS[id].model} on ${SPECS[id].title} (a 15k training subset by default), scored on a held-out split.`,
    docs: docs(id),
  };
  return id === 'cifar10'
    ? defineTask<Cifar10Options>({
        id,
        meta: { ...meta, options: cifar10Options },
        preflight,
        create: (options, context) => createInstance(id, options, context, deps),
      })
    : defineTask<MnistOptions>({
        id,
        meta: { ...meta, options: mnistOptions },
        preflight,
        create: (options, context) => createInstance(id, options, context, deps),
      });
}

async function createInstance(
  id: ImageTaskId,
  options: ImageTaskOptions,
  context: Parameters<TaskDefinition['create']>[1],
  deps: ImageTaskDeps,
): Promise<TaskInstance> {
  if (options.batchSize > options.trainSubset) {
    throw new EvoptError(
      'CONFIG_INVALID',
      `The ${id} task's batchSize (${options.batchSize}) is larger than its trainSubset (${options.trainSubset} images).`,
      {
        fix: "Lower batchSize or raise trainSubset in the task's options",
        details: { task: id, batchSize: options.batchSize, trainSubset: options.trainSubset },
      },
    );
  }
  const backend = await startBackend(context);
  const population = populationSize(options.population, backend);
  // Loaded once per worker thread (the loader caches); kept as bytes, normalised a batch at a time.
  const dataset = await deps.load(id, context.dataDir);
  checkShape(id, dataset);
  const splits = splitImages(dataset, options);
  const scored = splits[options.split];
  const normalisation = NORMALISATION[id];
  const augment = 'augment' in options && options.augment ? CIFAR_AUGMENTATION : undefined;
  const shared = {
    registries: context.registries,
    createModel: (seed: number) => createVisionModel(options.model, seed),
    createBatches: (seed: number) =>
      imageBatchSource(splits.train.set, splits.train.rows, options.batchSize, Rng.fromSeed(seed), {
        normalisation,
        ...(augment ? { augment } : {}),
      }),
    score: (model: TrainableModel) => imageAccuracy(model, scored, normalisation),
    accuracyMetric: options.split === 'test' ? ('testAccuracy' as const) : ('valAccuracy' as const),
  };
  return {
    async evaluate(items, { onProgress, signal }) {
      const outcomes: EvaluationOutcome[] = [];
      // Same-seed items train together as one population where that pays (a GPU); else one by one.
      for (const group of populationGroups(items, population)) {
        const members = group.map((index) => items[index] as EvaluationItem);
        outcomes.push(
          ...(await evaluatePopulation(members, {
            ...shared,
            onProgress: (member, progress) => onProgress(group[member] as number, progress),
            ...(signal ? { signal } : {}),
          })),
        );
      }
      return outcomes;
    },
  };
}

/** `mnist`: the SmallCNN (or MLP) on MNIST, the paper's first task. */
export const mnist = createImageTask('mnist');
/** `fashion-mnist`: the SmallCNN (or MLP) on Fashion-MNIST. */
export const fashionMnist = createImageTask('fashion-mnist');
/** `cifar10`: the paper's CIFAR CNN on CIFAR-10, with crop-and-flip augmentation. */
export const cifar10 = createImageTask('cifar10');
