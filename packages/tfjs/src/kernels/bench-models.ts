/**
 * The two networks the benchmark times, built from plain tfjs-core ops exactly like
 * plugin-vision's models (which this package cannot import): the paper's SmallCNN and the
 * 784-128-10 MLP. Weights are seeded; their values do not matter for speed.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A network as the benchmark needs it: logits from a batch, and its variables. */
export interface BenchModel {
  readonly inputShape: readonly number[];
  readonly variables: readonly tf.Variable[];
  logits(x: tf.Tensor, step: number): tf.Tensor2D;
  dispose(): void;
}

function weight(shape: number[], fanIn: number, seed: number): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed));
}

function dense(x: tf.Tensor, w: tf.Variable, b: tf.Variable): tf.Tensor2D {
  return tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b);
}

/** SmallCNN: conv32 3×3 same · ReLU · maxpool 2 · conv64 3×3 same · ReLU · maxpool 2 · fc256 · ReLU · dropout 0.3 · fc10. */
export function smallCnn(seed = 1): BenchModel {
  const flat = 7 * 7 * 64;
  const w1 = weight([3, 3, 1, 32], 9, seed);
  const b1 = weight([32], 9, seed + 1);
  const w2 = weight([3, 3, 32, 64], 288, seed + 2);
  const b2 = weight([64], 288, seed + 3);
  const w3 = weight([flat, 256], flat, seed + 4);
  const b3 = weight([256], flat, seed + 5);
  const w4 = weight([256, 10], 256, seed + 6);
  const b4 = weight([10], 256, seed + 7);
  const variables = [w1, b1, w2, b2, w3, b3, w4, b4];
  return {
    inputShape: [28, 28, 1],
    variables,
    logits(x, step) {
      const conv = (input: tf.Tensor4D, w: tf.Variable, b: tf.Variable): tf.Tensor4D =>
        tf.relu(tf.add(tf.conv2d(input, w as tf.Tensor4D, 1, 'same'), b)) as tf.Tensor4D;
      const a = tf.maxPool(conv(x as tf.Tensor4D, w1, b1), 2, 2, 'valid');
      const c = tf.maxPool(conv(a, w2, b2), 2, 2, 'valid');
      const hidden = tf.relu(dense(tf.reshape(c, [-1, flat]), w3, b3));
      return dense(tf.dropout(hidden, 0.3, undefined, seed * 100_003 + step), w4, b4);
    },
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}

/** The 784-128-10 MLP with ReLU. */
export function mlp(seed = 1): BenchModel {
  const w1 = weight([784, 128], 784, seed);
  const b1 = weight([128], 784, seed + 1);
  const w2 = weight([128, 10], 128, seed + 2);
  const b2 = weight([10], 128, seed + 3);
  const variables = [w1, b1, w2, b2];
  return {
    inputShape: [784],
    variables,
    logits: (x) => dense(tf.relu(dense(x, w1, b1)), w2, b2),
    dispose: () => variables.forEach((v) => v.dispose()),
  };
}
