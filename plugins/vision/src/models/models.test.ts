import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../__fixtures__/backend.js';
import type { ForwardContext, ForwardResult, FunctionalModel } from '@evopt/tfjs';
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
});

const live = (): number => tf.memory().numTensors;

/**
 * Live tensors over a model's life: how many creating it adds (its variables), and how many a
 * training forward pass and a backward pass (loss and one gradient per parameter) each leave behind
 * once what they return is disposed, and once the model is disposed too. A pass that keeps a
 * tensor shows as 1 in `forward` or `backward`.
 */
function tensorBalance(create: () => FunctionalModel, features: number) {
  const before = live();
  const model = create();
  const variables = live() - before;
  const x = tf.randomNormal([2, features], 0, 1, 'float32', 7);
  let start = live();
  model.apply(x, true).dispose();
  const forward = live() - start;
  start = live();
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(model.apply(x, true))) as tf.Scalar,
    [...model.parameters],
  );
  const gradients = Object.keys(grads).length;
  tf.dispose([value, ...Object.values(grads)]);
  const backward = live() - start;
  x.dispose();
  model.dispose();
  return { variables, gradients, forward, backward, afterDispose: live() - before };
}

describe.each([
  // Weights and biases per layer, batch norm's γ and β; buffers: its running mean and variance.
  { kind: 'mlp', features: 784, parameters: 4, buffers: 0 },
  { kind: 'cnn', features: 784, parameters: 8, buffers: 0 },
  { kind: 'cifar-cnn', features: 3072, parameters: 16, buffers: 4 },
] as const)('$kind tensors', ({ kind, features, parameters, buffers }) => {
  it('holds only its variables, and a forward and backward pass leave no tensor behind', () => {
    expect(tensorBalance(() => createVisionModel(kind, 3), features)).toEqual({
      variables: parameters + buffers,
      gradients: parameters,
      forward: 0,
      backward: 0,
      afterDispose: 0,
    });
  });
});

describe('the tensor balance itself', () => {
  it('sees a forward pass that keeps one tensor', () => {
    class LeakyMlp extends Mlp {
      override forward(
        p: readonly tf.Tensor[],
        b: readonly tf.Tensor[],
        x: tf.Tensor,
        context: ForwardContext,
      ): ForwardResult {
        tf.keep(tf.add(x, 0)); // the leak: kept past the tidy that apply and variableGrads run in
        return super.forward(p, b, x, context);
      }
    }
    expect(tensorBalance(() => new LeakyMlp(3), 784)).toMatchObject({
      variables: 4,
      forward: 1,
      backward: 1,
      afterDispose: 2,
    });
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
    expect(cnn.trainableVariables.map((v) => v.shape)).toEqual([
      [3, 3, 1, 32],
      [32],
      [3, 3, 32, 64],
      [64],
      [3136, 256],
      [256],
      [256, 10],
      [10],
    ]);
    cnn.dispose();
    const mlp = new Mlp(9);
    expect(mlp.trainableVariables.map((v) => v.shape)).toEqual([[784, 128], [128], [128, 10], [10]]);
    mlp.dispose();
  });
});
