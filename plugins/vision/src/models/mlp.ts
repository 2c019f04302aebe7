import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';
import { FunctionalModelBase } from '@evopt/tfjs';
import type { ForwardContext, ForwardResult } from '@evopt/tfjs';
import { IMAGE_PIXELS, CLASS_COUNT } from '../data/digits.js';
import { denseParams, dense, type DenseParams } from './init.js';

/** Width of the MLP's hidden layer (torch_ref.py's MLP: 784-128-10). */
export const MLP_HIDDEN = 128;

/** torch_ref.py's MLP, 784 → 128 (ReLU) → 10, initialised like PyTorch from `seed`. */
export class Mlp extends FunctionalModelBase {
  readonly hidden: DenseParams;
  readonly output: DenseParams;
  readonly parameters: readonly tf.Variable[];
  readonly buffers: readonly tf.Variable[] = [];

  constructor(seed: number) {
    super();
    const rng = Rng.fromSeed(deriveSeed('init', seed));
    this.hidden = denseParams(rng, IMAGE_PIXELS, MLP_HIDDEN);
    this.output = denseParams(rng, MLP_HIDDEN, CLASS_COUNT);
    this.parameters = [this.hidden.weight, this.hidden.bias, this.output.weight, this.output.bias];
  }

  /** Logits [batch, 10] for x [batch, 784]; there is nothing stochastic, so the context is unused. */
  forward(
    parameters: readonly tf.Tensor[],
    buffers: readonly tf.Tensor[],
    x: tf.Tensor,
    _context: ForwardContext,
  ): ForwardResult {
    const [w1, b1, w2, b2] = parameters as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const hidden = tf.relu(dense(tf.reshape(x, [-1, IMAGE_PIXELS]), { weight: w1, bias: b1 }));
    return { logits: dense(hidden, { weight: w2, bias: b2 }), buffers };
  }
}
