import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';
import type { TrainableModel } from '@evopt/tfjs';
import { CLASS_COUNT } from '../data/digits.js';
import { SeededDropout } from './dropout.js';
import { conv, convParams, dense, denseParams, type DenseParams } from './init.js';

/** The paper's SmallCNN dropout rate, before its last layer. */
export const SMALL_CNN_DROPOUT = 0.3;
const FLAT = 7 * 7 * 64;

/**
 * The paper's SmallCNN in NHWC: conv32 3×3 same · ReLU · maxpool 2 · conv64 3×3 same · ReLU ·
 * maxpool 2 · flatten · fc256 · ReLU · dropout 0.3 · fc10. Initialised like PyTorch from `seed`;
 * dropout masks come from `seed` and the step, new every step. Input: [batch, 784] or
 * [batch, 28, 28, 1]. The flatten order (HWC here, CHW in PyTorch) changes nothing: this network
 * is trained from scratch, never loaded from PyTorch weights.
 */
export class SmallCnn implements TrainableModel {
  readonly conv1: DenseParams;
  readonly conv2: DenseParams;
  readonly fc1: DenseParams;
  readonly fc2: DenseParams;
  readonly dropout: SeededDropout;

  constructor(seed: number) {
    const rng = Rng.fromSeed(deriveSeed('init', seed));
    this.conv1 = convParams(rng, 3, 1, 32);
    this.conv2 = convParams(rng, 3, 32, 64);
    this.fc1 = denseParams(rng, FLAT, 256);
    this.fc2 = denseParams(rng, 256, CLASS_COUNT);
    this.dropout = new SeededDropout(SMALL_CNN_DROPOUT, seed);
  }

  get trainableVariables(): readonly tf.Variable[] {
    return [this.conv1, this.conv2, this.fc1, this.fc2].flatMap((p) => [p.weight, p.bias]);
  }

  /** Logits [batch, 10]; `training` turns dropout on. */
  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const image = tf.reshape(x, [-1, 28, 28, 1]) as tf.Tensor4D;
      const a = tf.maxPool(tf.relu(conv(image, this.conv1)), 2, 2, 'valid');
      const b = tf.maxPool(tf.relu(conv(a, this.conv2)), 2, 2, 'valid');
      const hidden = tf.relu(dense(tf.reshape(b, [-1, FLAT]), this.fc1));
      return dense(this.dropout.apply(hidden, training), this.fc2);
    });
  }

  dispose(): void {
    for (const variable of this.trainableVariables) variable.dispose();
  }
}
