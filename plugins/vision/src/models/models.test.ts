import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../__fixtures__/backend.js';
import { createVisionModel, Mlp, SmallCnn, type VisionModelKind } from './index.js';

beforeAll(useTestBackend);

/** Every weight of a fresh model, as bytes: cheap to compare for the CNN's 0.8 M parameters. */
const weights = (kind: VisionModelKind, seed: number): Buffer => {
  const model = createVisionModel(kind, seed);
  const bytes = Buffer.concat(model.trainableVariables.map((v) => Buffer.from((v.dataSync() as Float32Array).buffer)));
  model.dispose();
  return bytes;
};

describe.each(['mlp', 'cnn'] as const)('%s', (kind) => {
  it('maps [batch, 784] digits to [batch, 10] logits, in training and in evaluation', () => {
    const model = createVisionModel(kind, 1);
    const x = tf.randomNormal([3, 784], 0, 1, 'float32', 7);
    for (const training of [true, false]) {
      const logits = model.apply(x, training);
      expect(logits.shape).toEqual([3, 10]);
      logits.dispose();
    }
    x.dispose();
    model.dispose();
  });

  it('is initialised from its seed: same seed, same weights; another seed, other weights', () => {
    expect(weights(kind, 42).equals(weights(kind, 42))).toBe(true);
    expect(weights(kind, 42).equals(weights(kind, 43))).toBe(false);
  });

  it('frees every tensor on dispose', () => {
    const before = tf.memory().numTensors;
    const model = createVisionModel(kind, 3);
    model.apply(tf.zeros([2, 784]), true).dispose();
    model.dispose();
    tf.disposeVariables();
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1);
  });
});

describe('PyTorch default initialisation', () => {
  it('draws weights and biases from U(−1/√fan_in, 1/√fan_in), per layer', () => {
    const cnn = new SmallCnn(9);
    const fanIns = [9, 9, 32 * 9, 32 * 9, 3136, 3136, 256, 256];
    cnn.trainableVariables.forEach((variable, i) => {
      const bound = 1 / Math.sqrt(fanIns[i] as number);
      const values = variable.dataSync() as Float32Array;
      const largest = values.reduce((max: number, v: number) => Math.max(max, Math.abs(v)), 0);
      expect(largest).toBeLessThanOrEqual(bound);
      // Uniform, not a narrower draw: the extremes come close to the bound.
      if (values.length > 100) expect(largest).toBeGreaterThan(0.95 * bound);
    });
    expect(cnn.trainableVariables.map((v) => v.shape)).toEqual([[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [3136, 256], [256], [256, 10], [10]]);
    cnn.dispose();
    const mlp = new Mlp(9);
    expect(mlp.trainableVariables.map((v) => v.shape)).toEqual([[784, 128], [128], [128, 10], [10]]);
    mlp.dispose();
  });
});
