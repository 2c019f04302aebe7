import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@evopt/core';
import type { TrainingBatch } from '@evopt/tfjs';
import { IMAGE_PIXELS } from './digits.js';
import { permutation, type DigitSet } from './splits.js';

/** Row indices of successive training batches, like torch_ref.py's loop. */
export interface BatchOrder {
  /** The rows of the next batch; `batchSize` of them. */
  next(): Int32Array;
}

/**
 * Seeded batch order over `count` rows: a fresh permutation each epoch, and a new epoch as soon
 * as the next batch would not fit in the rest of the current one (torch_ref.py drops the tail).
 */
export function batchOrder(count: number, batchSize: number, rng: Rng): BatchOrder {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > count) {
    throw new RangeError(`batchSize must be an integer in 1…${count} (the training digits), got ${batchSize}`);
  }
  let order = permutation(count, rng);
  let position = 0;
  return {
    next() {
      if (position + batchSize > count) {
        order = permutation(count, rng);
        position = 0;
      }
      const rows = order.slice(position, position + batchSize);
      position += batchSize;
      return rows;
    },
  };
}

/**
 * A `nextBatch` for the training loop: x [batch, 784] float32 and y [batch] int32, copied from
 * `set` in the seeded order. The loop disposes the tensors it gets.
 */
export function batchSource(set: DigitSet, batchSize: number, rng: Rng): (step: number) => TrainingBatch {
  const order = batchOrder(set.count, batchSize, rng);
  return () => {
    // Fresh arrays each step: the cpu backend keeps the array it is given rather than copying it.
    const pixels = new Float32Array(batchSize * IMAGE_PIXELS);
    const labels = new Int32Array(batchSize);
    for (const [i, row] of order.next().entries()) {
      pixels.set(set.images.subarray(row * IMAGE_PIXELS, (row + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
      labels[i] = set.labels[row] as number;
    }
    return { x: tf.tensor2d(pixels, [batchSize, IMAGE_PIXELS], 'float32'), y: tf.tensor1d(labels, 'int32') };
  };
}
