import { EvoptError, paper, Rng } from '@evopt/core';
import type { Dataset, ImageSet } from '../datasets/types.js';
import { permutation, SPLIT_SEED } from './splits.js';

/** Images held out of the official train split for search fitness (ours; the paper scored on test). */
export const IMAGE_VALIDATION_SIZE = 5_000;
/** Images trained on per evaluation: the paper's 15k subset. */
export const IMAGE_TRAIN_SUBSET = paper.PAPER_TASKS.trainSubset;

/** Some rows of an image set: a view, no copy, so every split shares the dataset's bytes. */
export interface ImageSplit {
  readonly set: ImageSet;
  readonly rows: Int32Array;
}

/** Training subset and validation split (disjoint, both from the official train split), and the official test split. */
export interface ImageSplits {
  readonly train: ImageSplit;
  readonly validation: ImageSplit;
  readonly test: ImageSplit;
}

export interface ImageSplitOptions {
  readonly trainSubset: number;
  readonly validationSize: number;
}

/**
 * Splits `dataset` by the fixed {@link SPLIT_SEED} permutation of its official train split
 * (independent of the run seed, so every run, worker and report sees the same images): the first
 * `validationSize` rows are the validation split, the next `trainSubset` the training subset.
 * The test split is the whole official test set. Throws CONFIG_INVALID when the two do not fit.
 */
export function splitImages(
  dataset: Dataset,
  options: ImageSplitOptions = { trainSubset: IMAGE_TRAIN_SUBSET, validationSize: IMAGE_VALIDATION_SIZE },
): ImageSplits {
  const { trainSubset, validationSize } = options;
  const available = dataset.train.count;
  if (trainSubset + validationSize > available) {
    throw new EvoptError(
      'CONFIG_INVALID',
      `The ${dataset.id} task asks for trainSubset ${trainSubset} + validationSize ${validationSize} = ${trainSubset + validationSize} images, but the official train split of ${dataset.id} has ${available} images.`,
      {
        fix: `Lower trainSubset or validationSize in the task's options so that together they are at most ${available}`,
        details: { dataset: dataset.id, trainSubset, validationSize, available },
      },
    );
  }
  const order = permutation(available, Rng.fromSeed(SPLIT_SEED));
  return {
    validation: { set: dataset.train, rows: order.slice(0, validationSize) },
    train: { set: dataset.train, rows: order.slice(validationSize, validationSize + trainSubset) },
    test: { set: dataset.test, rows: Int32Array.from({ length: dataset.test.count }, (_, i) => i) },
  };
}
