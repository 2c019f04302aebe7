import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, runKernel, setUpBackends, ties, wasmVsCpu } from './__fixtures__/compare.js';
import { registerWasmKernelPatches } from './register.js';

const TOLERANCE = 1e-4;

beforeAll(setUpBackends);

describe('registerWasmKernelPatches', () => {
  it('is idempotent and names every patch', () => {
    const first = registerWasmKernelPatches();
    expect(registerWasmKernelPatches()).toEqual(first);
    expect(first).toEqual(expect.arrayContaining([
      'wasm:Conv2DBackpropFilter', 'wasm:BatchMatMul', 'wasm:Conv2DBackpropInput', 'wasm:MaxPoolGrad', 'wasm:Sum',
    ]));
  });
});

describe('wasm BatchMatMul with transpose flags', () => {
  it.each([
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 9, 4], [2, 9, 6], true, false],
    [[2, 4, 9], [2, 6, 9], false, true],
  ])('matches cpu for a %j, b %j, transposeA %s, transposeB %s', async (a, b, ta, tb) => {
    const diff = await wasmVsCpu([normal(a, 1), normal(b, 2)], (x, y) => tf.matMul(x!, y!, ta, tb));
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('wasm MaxPoolGrad', () => {
  // [input, filter, stride, pad]: the tiled 2×2 fast path, overlapping windows, odd sizes, padding.
  it.each([
    [[2, 8, 6, 3], 2, 2, 'valid'],
    [[2, 7, 7, 3], 2, 2, 'valid'],
    [[2, 7, 7, 3], 2, 2, 'same'],
    [[3, 9, 5, 2], 3, 2, 'same'],
    [[2, 6, 6, 4], 3, 1, 'valid'],
    [[1, 5, 7, 1], 2, 1, 'same'],
  ] as [number[], number, number, 'same' | 'valid'][])('matches cpu for %j, filter %d, stride %d, %s', async (shape, size, stride, pad) => {
    for (const input of [normal(shape, 3), ties(shape, 4)]) {
      const diff = await wasmVsCpu([input], (x) =>
        tf.tidy(() => {
          const y = tf.maxPool(x as tf.Tensor4D, size, stride, pad);
          const dy = tf.add(tf.mul(tf.onesLike(y), 0.5), tf.reshape(tf.range(0, y.size, 1, 'float32'), y.shape));
          return runKernel('MaxPoolGrad', { dy, input: x!, output: y }, { filterSize: size, strides: stride, pad });
        }));
      expect(diff).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});

describe('wasm Sum', () => {
  it.each([
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [0, 1, 2], true],
    [[6, 7], [0], false],
    [[6, 7], [-2], false],
    [[4, 5, 3], [1], false],
    [[4, 5, 3], [0, 1, 2], false],
    [[300, 40], [0], false],
  ] as [number[], number[], boolean][])('matches cpu for %j over axes %j (keepDims %s)', async (shape, axis, keepDims) => {
    const diff = await wasmVsCpu([normal(shape, 5)], (x) => tf.sum(x!, axis, keepDims));
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});
