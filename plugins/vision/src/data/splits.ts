import { Rng } from '@evopt/core';
import { IMAGE_PIXELS, loadDigits, mnistDigitsDirectory, type Digits } from './digits.js';

/**
 * The seed of the one permutation that splits the digits. It is fixed, independent of the run
 * seed, so every run, worker and report sees the same train / validation / test digits.
 */
export const SPLIT_SEED = 1234;
/** Digits held out of training and used for search fitness. */
export const VALIDATION_SIZE = 1_000;
/** Digits held out for final reports only; a task scores on them only with `split: 'test'`. */
export const TEST_SIZE = 1_000;

/** Some digits: `count` normalised images and their labels. */
export interface DigitSet {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
}

/** The three disjoint splits: 8,000 train, 1,000 validation, 1,000 test with the `mnist` package. */
export interface DigitSplits {
  readonly train: DigitSet;
  readonly validation: DigitSet;
  readonly test: DigitSet;
}

/** A seeded Fisher–Yates permutation of 0…n−1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}

function take(digits: Digits, rows: Int32Array): DigitSet {
  const images = new Float32Array(rows.length * IMAGE_PIXELS);
  const labels = new Int32Array(rows.length);
  for (const [i, row] of rows.entries()) {
    images.set(digits.images.subarray(row * IMAGE_PIXELS, (row + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
    labels[i] = digits.labels[row] as number;
  }
  return { images, labels, count: rows.length };
}

/** Splits digits by the fixed {@link SPLIT_SEED} permutation: train first, then validation, then test. */
export function splitDigits(digits: Digits): DigitSplits {
  const trainSize = digits.count - VALIDATION_SIZE - TEST_SIZE;
  if (trainSize < 1)
    throw new RangeError(`splitDigits needs more than ${VALIDATION_SIZE + TEST_SIZE} digits, got ${digits.count}`);
  const order = permutation(digits.count, Rng.fromSeed(SPLIT_SEED));
  return {
    train: take(digits, order.subarray(0, trainSize)),
    validation: take(digits, order.subarray(trainSize, trainSize + VALIDATION_SIZE)),
    test: take(digits, order.subarray(trainSize + VALIDATION_SIZE)),
  };
}

// One load per process or worker thread (module scope is per thread), shared by every task instance.
const cache = new Map<string, Promise<DigitSplits>>();

/**
 * The checked, normalised and split digits of `directory` (default: the installed `mnist`
 * package), loaded once per process or worker thread. A failed load is not cached, so a fixed
 * install is picked up by the next call.
 */
export function loadDigitSplits(directory: string = mnistDigitsDirectory()): Promise<DigitSplits> {
  let splits = cache.get(directory);
  if (!splits) {
    splits = loadDigits(directory).then(splitDigits);
    cache.set(directory, splits);
    splits.catch(() => cache.delete(directory));
  }
  return splits;
}
