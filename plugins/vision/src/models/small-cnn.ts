import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';
import { FunctionalModelBase } from '@evopt/tfjs';
import type { ForwardContext, ForwardResult } from '@evopt/tfjs';
import { CLASS_COUNT } from '../data/digits.js';
import { SeededDropout } from './dropout.js';
import { conv, convParams, dense, denseParams, type DenseParams } from './init.js';

/** The paper's SmallCNN dropout rate, before its last layer. */
export const SMALL_CNN_DROPOUT = 0.3;
const FLAT = 7 * 7 * 64;

/**
 * The paper's SmallCNN in NHWC: conv32 3×3 same · ReLU · maxpool 2 · conv64 3×3 same · ReLU ·
 * maxpool 2 · flatten · fc256 · ReLU · dropout 0.3 · fc10. Initialised like PyTorch from `seed`;
 * dropout masks come from `seed` and the training step, new every step. Input: [batch, 784] or
 * [batch, 28, 28, 1]. The flatten order (HWC here, CHW in PyTorch) changes nothing: this network
 * is trained from scratch, never loaded from PyTorch weights.
 */
export class SmallCnn extends FunctionalModelBase {
  readonly conv1: DenseParams;
  readonly conv2: DenseParams;
  readonly fc1: DenseParams;
  readonly fc2: DenseParams;
  readonly dropout: SeededDropout;
  readonly parameters: readonly tf.Variable[];
  readonly buffers: readonly tf.Variable[] = [];

  constructor(seed: number) {
    super();
    const rng = Rng.fromSeed(deriveSeed('init', seed));
    this.conv1 = convParams(rng, 3, 1, 32);
    this.conv2 = convParams(rng, 3, 32, 64);
    this.fc1 = denseParams(rng, FLAT, 256);
    this.fc2 = denseParams(rng, 256, CLASS_COUNT);
    this.dropout = new SeededDropout(SMALL_CNN_DROPOUT, seed);
    this.parameters = [this.conv1, this.conv2, this.fc1, this.fc2].flatMap((p) => [p.weight, p.bias]);
  }

  /** Logits [batch, 10]; `context.training` turns dropout on, with the mask of `context.step`. */
  forward(
    parameters: readonly tf.Tensor[],
    buffers: readonly tf.Tensor[],
    x: tf.Tensor,
    context: ForwardContext,
  ): ForwardResult {
    const [c1, c1b, c2, c2b, f1, f1b, f2, f2b] = parameters as tf.Tensor[] as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const image = tf.reshape(x, [-1, 28, 28, 1]) as tf.Tensor4D;
    const a = tf.maxPool(tf.relu(conv(image, { weight: c1, bias: c1b })), 2, 2, 'valid');
    const b = tf.maxPool(tf.relu(conv(a, { weight: c2, bias: c2b })), 2, 2, 'valid');
    const hidden = tf.relu(dense(tf.reshape(b, [-1, FLAT]), { weight: f1, bias: f1b }));
    const dropped = context.training ? this.dropout.mask(hidden, context.step) : hidden;
    return { logits: dense(dropped, { weight: f2, bias: f2b }), buffers };
  }
}
