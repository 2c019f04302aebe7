import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';
import type { TrainableModel } from '@evopt/tfjs';
import { IMAGE_PIXELS, CLASS_COUNT } from '../data/digits.js';
import { denseParams, dense, type DenseParams } from './init.js';

/** Width of the MLP's hidden layer (torch_ref.py's MLP: 784-128-10). */
export const MLP_HIDDEN = 128;

/** torch_ref.py's MLP, 784 → 128 (ReLU) → 10, initialised like PyTorch from `seed`. */
export class Mlp implements TrainableModel {
  readonly hidden: DenseParams;
  readonly output: DenseParams;

  constructor(seed: number) {
    const rng = Rng.fromSeed(deriveSeed('init', seed));
    this.hidden = denseParams(rng, IMAGE_PIXELS, MLP_HIDDEN);
    this.output = denseParams(rng, MLP_HIDDEN, CLASS_COUNT);
  }

  get trainableVariables(): readonly tf.Variable[] {
    return [this.hidden.weight, this.hidden.bias, this.output.weight, this.output.bias];
  }

  /** Logits [batch, 10] for x [batch, 784]; there is nothing stochastic, so `training` is unused. */
  apply(x: tf.Tensor, _training: boolean): tf.Tensor {
    return tf.tidy(() => dense(tf.relu(dense(tf.reshape(x, [-1, IMAGE_PIXELS]), this.hidden)), this.output));
  }

  dispose(): void {
    for (const variable of this.trainableVariables) variable.dispose();
  }
}
