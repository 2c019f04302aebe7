import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '@evopt/tfjs';
import { useTestBackend } from '../__fixtures__/backend.js';
import { BATCH_NORM_EPSILON, batchNorm, CifarCnn, createVisionModel } from './index.js';
import { conv } from './init.js';

beforeAll(useTestBackend);

const images = (batch: number, seed: number): tf.Tensor4D => tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', seed);
const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/** Every weight of a fresh model, as bytes. */
function weights(seed: number): Buffer {
  const model = new CifarCnn(seed);
  const bytes = Buffer.concat(model.parameters.map((v) => Buffer.from((v.dataSync() as Float32Array).buffer)));
  model.dispose();
  return bytes;
}

/** Per-channel mean and biased variance of x [batch, h, w, c], in float64. */
function channelStats(x: tf.Tensor4D): { mean: number[]; variance: number[]; n: number } {
  const c = x.shape[3];
  const data = x.dataSync();
  const n = data.length / c;
  const mean = Array.from({ length: c }, () => 0);
  const variance = Array.from({ length: c }, () => 0);
  data.forEach((v, i) => (mean[i % c] = (mean[i % c] as number) + v / n));
  data.forEach((v, i) => (variance[i % c] = (variance[i % c] as number) + (v - (mean[i % c] as number)) ** 2 / n));
  return { mean, variance, n };
}

describe('CifarCnn', () => {
  it('maps [batch, 32, 32, 3] or [batch, 3072] images to [batch, 10] logits, in training and in inference', () => {
    const model = createVisionModel('cifar-cnn', 1);
    const x = images(2, 3);
    const flat = tf.reshape(x, [2, 3072]);
    for (const input of [x, flat]) {
      for (const training of [true, false]) {
        const logits = model.apply(input, training);
        expect(logits.shape).toEqual([2, 10]);
        logits.dispose();
      }
    }
    expect(model.trainableVariables.map((v) => v.shape)).toEqual([
      [3, 3, 3, 32],
      [32],
      [32],
      [32],
      [3, 3, 32, 32],
      [32],
      [3, 3, 32, 64],
      [64],
      [64],
      [64],
      [3, 3, 64, 64],
      [64],
      [4096, 512],
      [512],
      [512, 10],
      [10],
    ]);
    expect((model as CifarCnn).buffers.map((v) => [v.shape, v.trainable])).toEqual([
      [[32], false],
      [[32], false],
      [[64], false],
      [[64], false],
    ]);
    tf.dispose([x, flat]);
    model.dispose();
  });

  it('is initialised from its seed like PyTorch: same seed, same weights; γ = 1, β = 0; running stats 0 and 1', () => {
    expect(weights(42).equals(weights(42))).toBe(true);
    expect(weights(42).equals(weights(43))).toBe(false);
    const model = new CifarCnn(42);
    expect(new Set(values(model.norm1.gamma))).toEqual(new Set([1]));
    expect(new Set(values(model.norm2.beta))).toEqual(new Set([0]));
    expect(values(model.buffers[0] as tf.Tensor).every((v) => v === 0)).toBe(true);
    expect(values(model.buffers[1] as tf.Tensor).every((v) => v === 1)).toBe(true);
    const bound = 1 / Math.sqrt(64 * 9);
    expect(Math.max(...values(model.conv4.weight).map(Math.abs))).toBeLessThanOrEqual(bound);
    model.dispose();
  });

  it('draws a different dropout mask in every layer and at every step, and none in inference', () => {
    const model = new CifarCnn(5);
    const [first, second, third] = model.dropouts;
    expect(new Set([first.seed, second.seed, third.seed]).size).toBe(3);
    expect([first.rate, second.rate, third.rate]).toEqual([0.25, 0.25, 0.5]);
    const x = images(2, 1);
    const run = (training: boolean) => tf.tidy(() => values(model.apply(x, training)));
    expect(run(true)).not.toEqual(run(true));
    expect(run(false)).toEqual(run(false));
    x.dispose();
    model.dispose();
  });
});

describe('batch norm', () => {
  it('normalises each channel with the batch mean and biased variance in training (γ = 1, β = 0)', () => {
    tf.tidy(() => {
      const x = tf.add(tf.mul(images(4, 9), tf.tensor1d([2, 0.5, 3])), tf.tensor1d([1, -4, 0.25])) as tf.Tensor4D;
      const { y } = batchNorm(x, tf.ones([3]), tf.zeros([3]), tf.zeros([3]), tf.ones([3]), true);
      const stats = channelStats(y);
      for (let c = 0; c < 3; c++) {
        expect(stats.mean[c]).toBeCloseTo(0, 4);
        // The biased variance of a normalised channel is 1 − ε/(σ² + ε).
        expect(stats.variance[c]).toBeCloseTo(1, 3);
      }
    });
  });

  it('moves the running stats 10% toward the batch mean and the unbiased batch variance after one training apply', () => {
    const model = new CifarCnn(3);
    const x = images(4, 11);
    const expected = tf.tidy(() => channelStats(conv(x, model.conv1)));
    model.apply(x, true).dispose();
    const [runningMean, runningVar] = model.buffers as [tf.Variable, tf.Variable];
    const unbiased = expected.variance.map((v) => (v * expected.n) / (expected.n - 1));
    values(runningMean).forEach((v, c) => expect(v).toBeCloseTo(0.1 * (expected.mean[c] as number), 5));
    values(runningVar).forEach((v, c) => expect(v).toBeCloseTo(0.9 + 0.1 * (unbiased[c] as number), 5));
    x.dispose();
    model.dispose();
  });

  it('uses the running stats in inference, deterministically, and leaves them unchanged', () => {
    tf.tidy(() => {
      const x = images(2, 4);
      const [mean, variance, gamma, beta] = [
        tf.tensor1d([0.5, -1, 2]),
        tf.tensor1d([4, 0.25, 1]),
        tf.tensor1d([2, 1, 0.5]),
        tf.tensor1d([0, 1, -1]),
      ];
      const { y, runningMean, runningVar } = batchNorm(x, gamma, beta, mean, variance, false);
      expect(runningMean).toBe(mean);
      expect(runningVar).toBe(variance);
      const input = x.dataSync();
      const [m, v, g, b] = [mean, variance, gamma, beta].map((t) => t.dataSync());
      values(y).forEach((out, i) => {
        const c = i % 3;
        const want =
          (((input[i] as number) - (m?.[c] as number)) / Math.sqrt((v?.[c] as number) + BATCH_NORM_EPSILON)) *
            (g?.[c] as number) +
          (b?.[c] as number);
        expect(out).toBeCloseTo(want, 4);
      });
    });

    const model = new CifarCnn(8);
    const x = images(2, 6);
    const before = model.buffers.map(values);
    const first = tf.tidy(() => values(model.apply(x, false)));
    expect(tf.tidy(() => values(model.apply(x, false)))).toEqual(first);
    expect(model.buffers.map(values)).toEqual(before);
    expect(model.step).toBe(0);
    // Other running stats, other logits: inference reads them.
    (model.buffers[1] as tf.Variable).assign(tf.fill([32], 9));
    expect(tf.tidy(() => values(model.apply(x, false)))).not.toEqual(first);
    x.dispose();
    model.dispose();
  });
});

describe('batch norm gradient', () => {
  /** PyTorch's training-mode formula as plain ops, differentiated by tfjs. */
  const reference = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON))), gamma), beta);
  };

  it('gives the same output as the plain formula, and gradients that match its derivative', () => {
    tf.tidy(() => {
      const x = tf.add(tf.mul(images(3, 21), tf.tensor1d([2, 0.5, 3])), tf.tensor1d([1, -4, 0.25])) as tf.Tensor4D;
      const gamma = tf.tensor1d([1.5, -0.5, 0.75]);
      const beta = tf.tensor1d([0.1, 0.2, -0.3]);
      const weights = tf.randomNormal(x.shape, 0, 1, 'float32', 22);
      const mine = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor =>
        batchNorm(a as tf.Tensor4D, g, b, tf.zeros([3]), tf.ones([3]), true).y;
      expect(values(mine(x, gamma, beta))).toEqual(values(reference(x, gamma, beta)));
      const loss =
        (f: typeof reference) =>
        (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(tf.square(f(a, g, b)), weights));
      const got = tf.grads(loss(mine))([x, gamma, beta]);
      const want = tf.grads(loss(reference))([x, gamma, beta]);
      got.forEach((grad, i) => {
        const expected = values(want[i] as tf.Tensor);
        const scale = Math.max(...expected.map(Math.abs));
        values(grad).forEach((v, j) => expect(Math.abs(v - (expected[j] as number))).toBeLessThanOrEqual(1e-5 * scale));
      });
    });
  });
});

describe('training the CifarCnn', () => {
  it('sends a finite, non-zero gradient to every parameter', () => {
    const model = new CifarCnn(2);
    const x = images(4, 2);
    const y = tf.tensor1d([0, 3, 7, 9], 'int32');
    const { value, grads } = tf.variableGrads(
      () => softmaxCrossEntropy(model.apply(x, true), y),
      [...model.parameters],
    );
    expect(Object.keys(grads)).toHaveLength(16);
    for (const variable of model.parameters) {
      const grad = values(grads[variable.name] as tf.Tensor);
      expect(grad.every(Number.isFinite), variable.name).toBe(true);
      expect(
        grad.some((g) => g !== 0),
        variable.name,
      ).toBe(true);
    }
    tf.dispose([value, x, y, ...Object.values(grads)]);
    model.dispose();
  });

  it('leaks no tensors across training and inference applies, and frees everything on dispose', () => {
    const x = images(2, 5);
    const start = tf.memory().numTensors;
    const model = new CifarCnn(4);
    const withModel = tf.memory().numTensors;
    expect(withModel - start).toBe(16 + 4);
    for (const training of [true, true, false, true]) model.apply(x, training).dispose();
    expect(tf.memory().numTensors).toBe(withModel);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
    x.dispose();
  });
});
