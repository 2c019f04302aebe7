import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../__fixtures__/backend.js';
import { SeededDropout } from './dropout.js';
import { SmallCnn } from './small-cnn.js';

beforeAll(useTestBackend);

/** The masks of `steps` successive training applies to a tensor of ones. */
function masks(seed: number, steps: number, rate = 0.3): number[][] {
  const dropout = new SeededDropout(rate, seed);
  const ones = tf.ones([8, 64]);
  const result = Array.from({ length: steps }, (_, step) => {
    const out = dropout.mask(ones, step);
    const values = Array.from(out.dataSync());
    out.dispose();
    return values;
  });
  ones.dispose();
  return result;
}

describe('SeededDropout', () => {
  it('draws a different mask at every step', () => {
    const [a, b, c] = masks(1, 3) as [number[], number[], number[]];
    expect(a).not.toEqual(b);
    expect(b).not.toEqual(c);
  });

  it('repeats the same sequence of masks for the same seed, and another for another seed', () => {
    expect(masks(1, 3)).toEqual(masks(1, 3));
    expect(masks(2, 1)).not.toEqual(masks(1, 1));
  });

  it('drops about `rate` of the units and scales the rest by 1/(1 − rate)', () => {
    const values = masks(4, 20).flat();
    const dropped = values.filter((v) => v === 0).length / values.length;
    expect(dropped).toBeGreaterThan(0.27);
    expect(dropped).toBeLessThan(0.33);
    expect(new Set(values.filter((v) => v !== 0).map((v) => v.toFixed(5)))).toEqual(new Set([(1 / 0.7).toFixed(5)]));
  });

  it('draws the mask of a step whatever was drawn before, so population members match solo runs', () => {
    const dropout = new SeededDropout(0.3, 1);
    const ones = tf.ones([8, 64]);
    const third = Array.from(dropout.mask(ones, 2).dataSync());
    expect(third).toEqual(masks(1, 3)[2]);
    ones.dispose();
  });

  it("advances the SmallCNN's step on training passes only", () => {
    const cnn = new SmallCnn(5);
    const x = tf.zeros([1, 784]);
    cnn.apply(x, false).dispose();
    expect(cnn.step).toBe(0);
    cnn.apply(x, true).dispose();
    expect(cnn.step).toBe(1);
    x.dispose();
    cnn.dispose();
  });

  it('makes the SmallCNN stochastic in training and deterministic in evaluation', () => {
    const cnn = new SmallCnn(5);
    const x = tf.randomNormal([2, 784], 0, 1, 'float32', 3);
    const run = (training: boolean) => tf.tidy(() => Array.from(cnn.apply(x, training).dataSync()));
    expect(run(true)).not.toEqual(run(true));
    expect(run(false)).toEqual(run(false));
    x.dispose();
    cnn.dispose();
  });
});
