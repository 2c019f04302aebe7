import * as tf from '@tensorflow/tfjs-core';
import type { ElementwiseOps } from '@evopt/core';

/**
 * {@link ElementwiseOps} over TensorFlow.js tensors: what lets core's `genomeStep` (and every
 * primitive) run on tensors with the same semantics as the plain-number reference.
 *
 * A scalar operand may be a JS number or a tensor; both broadcast (tfjs turns a number into a
 * float32 scalar). Every op allocates a new tensor, so call these inside `tf.tidy`.
 */
export const tensorOps: ElementwiseOps<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  neg: (a) => tf.neg(a),
  abs: (a) => tf.abs(a),
  sign: (a) => tf.sign(a),
  sqrt: (a) => tf.sqrt(a),
  square: (a) => tf.square(a),
  exp: (a) => tf.exp(a),
  maximum: (a, b) => tf.maximum(a, b),
  minimum: (a, b) => tf.minimum(a, b),
  // Optimizer state is always float32, whatever the dtype of the tensor it is shaped like.
  fill: (like, value) => tf.fill(like.shape, value, 'float32'),
};
