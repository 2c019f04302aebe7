import * as tf from '@tensorflow/tfjs-core';
import { EvoptError } from '@evopt/core';
import type { TrainableModel } from '../contracts.js';

/**
 * The fraction of rows of `x` whose arg-max logit equals the integer label in `y`, computed in
 * inference mode (`training` false: no dropout, batch-norm moving statistics) in batches of
 * `batchSize` so memory stays bounded. Frees every tensor it makes; `x` and `y` stay the caller's.
 */
export function evaluateAccuracy(model: TrainableModel, x: tf.Tensor, y: tf.Tensor, batchSize: number): number {
  const rows = x.shape[0] ?? 0;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new EvoptError('INTERNAL', `evaluateAccuracy needs a positive integer batch size, got ${batchSize}.`, {
      fix: 'Pass the evaluation batch size, for example 256.',
    });
  }
  if (rows === 0 || y.shape[0] !== rows) {
    throw new EvoptError(
      'INTERNAL',
      `evaluateAccuracy needs as many labels as inputs (at least one), got ${rows} inputs and ${y.shape[0] ?? 0} labels.`,
      {
        fix: 'Pass the inputs and their integer labels with the same first dimension.',
      },
    );
  }
  let correct = 0;
  for (let start = 0; start < rows; start += batchSize) {
    const size = Math.min(batchSize, rows - start);
    correct += tf.tidy(() => {
      const logits = model.apply(tf.slice(x, start, size), false);
      const predicted = tf.argMax(logits, -1);
      const labels = tf.cast(tf.reshape(tf.slice(y, start, size), [-1]), 'int32');
      return tf.sum(tf.cast(tf.equal(predicted, labels), 'int32')).dataSync()[0] ?? 0;
    });
  }
  return correct / rows;
}
