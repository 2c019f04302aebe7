import { describe, expect, it } from 'vitest';
import { isEvoptError } from '@evopt/core';
import type { Dataset, ImageSet } from '../datasets/types.js';
import { splitImages } from './image-splits.js';

/** `count` 1×1 grey images whose pixel is their row number (mod 256) and whose label is row mod 10. */
function numbered(count: number): ImageSet {
  return {
    images: Uint8Array.from({ length: count }, (_, i) => i % 256),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    height: 1,
    width: 1,
    channels: 1,
  };
}

const dataset: Dataset = { id: 'mnist', train: numbered(1_000), test: numbered(200), classes: [] };

describe('splitImages', () => {
  it('takes validation first, then the training subset, from one fixed permutation of the train split', () => {
    const splits = splitImages(dataset, { trainSubset: 600, validationSize: 300 });
    expect(splits.validation.rows).toHaveLength(300);
    expect(splits.train.rows).toHaveLength(600);
    expect(splits.train.set).toBe(dataset.train);
    expect(splits.validation.set).toBe(dataset.train);
    const all = [...splits.validation.rows, ...splits.train.rows];
    expect(new Set(all).size).toBe(900);
    expect(all.every((row) => row >= 0 && row < 1_000)).toBe(true);
    // Shuffled, not the file order.
    expect(Array.from(splits.validation.rows.subarray(0, 5))).not.toEqual([0, 1, 2, 3, 4]);
  });

  it('is the same split every time, and a larger training subset only adds images', () => {
    const small = splitImages(dataset, { trainSubset: 100, validationSize: 300 });
    const large = splitImages(dataset, { trainSubset: 700, validationSize: 300 });
    expect(large.validation.rows).toEqual(small.validation.rows);
    expect(Array.from(large.train.rows.subarray(0, 100))).toEqual(Array.from(small.train.rows));
  });

  it('scores on the whole official test split, in order', () => {
    const { test } = splitImages(dataset, { trainSubset: 10, validationSize: 10 });
    expect(test.set).toBe(dataset.test);
    expect(Array.from(test.rows)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('refuses a training subset and validation split that do not fit, saying how many images there are', () => {
    let error: unknown;
    try {
      splitImages(dataset, { trainSubset: 900, validationSize: 200 });
    } catch (e) {
      error = e;
    }
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/900 \+ validationSize 200 = 1100 images.*has 1000 images/);
  });
});
