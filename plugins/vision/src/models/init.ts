import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@evopt/core';

/**
 * A trainable variable drawn from U(−1/√fanIn, 1/√fanIn): PyTorch's default for both the weight
 * (kaiming_uniform with a = √5 reduces to this bound) and the bias of nn.Linear and nn.Conv2d.
 * Values come from `rng`, so the same seed gives the same weights on every backend.
 */
export function pytorchUniform(rng: Rng, shape: readonly number[], fanIn: number): tf.Variable {
  const bound = 1 / Math.sqrt(fanIn);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.uniform(-bound, bound);
  // The initial tensor is only a carrier; tidy frees it while the variable keeps its own reference.
  return tf.tidy(() => tf.variable(tf.tensor(values, [...shape], 'float32'), true));
}

/** A dense layer's weight [fanIn, units] and bias [units], drawn in that order (as PyTorch does). */
export interface DenseParams {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
}

export function denseParams(rng: Rng, fanIn: number, units: number): DenseParams {
  return { weight: pytorchUniform(rng, [fanIn, units], fanIn), bias: pytorchUniform(rng, [units], fanIn) };
}

/** A 2-D convolution's filter [k, k, in, out] (NHWC) and bias [out]; fan-in is in·k·k. */
export function convParams(rng: Rng, kernel: number, inChannels: number, outChannels: number): DenseParams {
  const fanIn = inChannels * kernel * kernel;
  return {
    weight: pytorchUniform(rng, [kernel, kernel, inChannels, outChannels], fanIn),
    bias: pytorchUniform(rng, [outChannels], fanIn),
  };
}

/** A layer's weight and bias as tensors: its own variables, or a population member's slice of them. */
export interface LayerWeights {
  readonly weight: tf.Tensor;
  readonly bias: tf.Tensor;
}

/** x·W + b for x [batch, fanIn]. */
export function dense(x: tf.Tensor, params: LayerWeights): tf.Tensor2D {
  return tf.add(tf.matMul(x as tf.Tensor2D, params.weight as tf.Tensor2D), params.bias);
}

/** 'same'-padded, stride-1 convolution plus bias, for x [batch, h, w, in]. */
export function conv(x: tf.Tensor4D, params: LayerWeights): tf.Tensor4D {
  return tf.add(tf.conv2d(x, params.weight as tf.Tensor4D, 1, 'same'), params.bias);
}
