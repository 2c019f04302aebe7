import { describe, expect, it } from 'vitest';
import { Rng } from '@evopt/core';
import { CLASS_COUNT, IMAGE_PIXELS, type Digits } from './digits.js';
import { batchOrder } from './batches.js';
import { loadDigitSplits, splitDigits, TEST_SIZE, VALIDATION_SIZE, type DigitSet } from './splits.js';

/** 10,000 fake digits whose first pixel is their row number, so splits can be traced back. */
function numberedDigits(count = 10_000): Digits {
  const images = new Float32Array(count * IMAGE_PIXELS);
  const labels = new Int32Array(count);
  for (let row = 0; row < count; row++) {
    images[row * IMAGE_PIXELS] = row;
    labels[row] = row % CLASS_COUNT;
  }
  return { images, labels, count, directory: 'numbered' };
}

const rowsOf = (set: DigitSet) => Array.from({ length: set.count }, (_, i) => set.images[i * IMAGE_PIXELS] as number);

describe('splitDigits', () => {
  it('splits into 8,000 train, 1,000 validation and 1,000 test digits, disjoint and covering all', () => {
    const splits = splitDigits(numberedDigits());
    expect([splits.train.count, splits.validation.count, splits.test.count]).toEqual([
      8000,
      VALIDATION_SIZE,
      TEST_SIZE,
    ]);
    const all = [...rowsOf(splits.train), ...rowsOf(splits.validation), ...rowsOf(splits.test)];
    expect(new Set(all).size).toBe(10_000);
    // Shuffled, not the class-ordered file order.
    expect(rowsOf(splits.test).slice(0, 5)).not.toEqual([9000, 9001, 9002, 9003, 9004]);
  });

  it('keeps labels with their images', () => {
    const splits = splitDigits(numberedDigits());
    for (const set of [splits.train, splits.validation, splits.test]) {
      rowsOf(set).forEach((row, i) => expect(set.labels[i]).toBe(row % CLASS_COUNT));
    }
  });

  it('is the same split every time: its seed is fixed, not the run seed', () => {
    expect(rowsOf(splitDigits(numberedDigits()).validation)).toEqual(rowsOf(splitDigits(numberedDigits()).validation));
  });

  it('gives every class a fair share of the real validation and test digits', async () => {
    const splits = await loadDigitSplits();
    expect(await loadDigitSplits()).toBe(splits);
    for (const set of [splits.validation, splits.test]) {
      for (let k = 0; k < CLASS_COUNT; k++) {
        const share = set.labels.filter((l) => l === k).length / set.count;
        expect(share).toBeGreaterThan(0.06);
        expect(share).toBeLessThan(0.15);
      }
    }
  }, 30_000);
});

describe('batchOrder', () => {
  it('visits every row once per epoch, reshuffles each epoch and drops the tail like torch_ref.py', () => {
    const order = batchOrder(10, 3, Rng.fromSeed(5));
    const epoch1 = [order.next(), order.next(), order.next()].flatMap((b) => [...b]);
    const epoch2 = [order.next(), order.next(), order.next()].flatMap((b) => [...b]);
    expect(new Set(epoch1).size).toBe(9);
    expect(new Set(epoch2).size).toBe(9);
    expect(epoch2).not.toEqual(epoch1);
  });

  it('is determined by its Rng', () => {
    const draw = (seed: number) => {
      const order = batchOrder(100, 7, Rng.fromSeed(seed));
      return Array.from({ length: 20 }, () => [...order.next()]);
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('refuses a batch larger than the data', () => {
    expect(() => batchOrder(10, 11, Rng.fromSeed(1))).toThrow(/batchSize must be an integer in 1…10/);
  });
});
