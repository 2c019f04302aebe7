import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, runKernel, setUpBackends, ties, wasmVsCpu } from './__fixtures__/compare.js';
import { meanGradient, sumGradient } from './gradients.js';
import { registerWasmKernelPatches } from './register.js';

const TOLERANCE = 1e-4;

beforeAll(setUpBackends);

describe('registerWasmKernelPatches', () => {
  it('is idempotent and names every patch', () => {
    const first = registerWasmKernelPatches();
    expect(registerWasmKernelPatches()).toEqual(first);
    expect(first).toEqual(
      expect.arrayContaining([
        'wasm:Conv2DBackpropFilter',
        'wasm:BatchMatMul',
        'wasm:Conv2DBackpropInput',
        'wasm:MaxPoolGrad',
        'wasm:Sum',
        'wasm:Mean',
        'wasm:Identity',
        'wasm:Cast',
        'wasm:Sign',
        'gradient:Sum',
        'gradient:Mean',
      ]),
    );
    expect(tf.getGradient('Sum')).toBe(sumGradient);
    expect(tf.getGradient('Mean')).toBe(meanGradient);
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
    // A wide b: computed as (b·aᵀ)ᵀ, as for a dense layer's input gradient (dy · Wᵀ).
    [[6, 9], [40, 9], false, true],
    [[9, 6], [40, 9], true, true],
    [[16, 64], [512, 64], false, true],
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
    // Tiled 2×2 with a multiple of four channels: the WebAssembly SIMD routine.
    [[2, 8, 6, 4], 2, 2, 'valid'],
    [[3, 6, 10, 8], 2, 2, 'valid'],
    [[2, 16, 16, 32], 2, 2, 'valid'],
  ] as [number[], number, number, 'same' | 'valid'][])(
    'matches cpu for %j, filter %d, stride %d, %s',
    async (shape, size, stride, pad) => {
      for (const input of [normal(shape, 3), ties(shape, 4)]) {
        const diff = await wasmVsCpu([input], (x) =>
          tf.tidy(() => {
            const y = tf.maxPool(x as tf.Tensor4D, size, stride, pad);
            const dy = tf.add(tf.mul(tf.onesLike(y), 0.5), tf.reshape(tf.range(0, y.size, 1, 'float32'), y.shape));
            return runKernel('MaxPoolGrad', { dy, input: x!, output: y }, { filterSize: size, strides: stride, pad });
          }),
        );
        expect(diff).toBeLessThanOrEqual(TOLERANCE);
      }
    },
  );
});

// [shape, axes, keepDims]: leading-axis reductions (odd and even row counts, a single row, the
// CIFAR CNN's batch-norm and bias shapes) and inner-axis ones that run the stock kernel.
const REDUCTIONS: [number[], number[], boolean][] = [
  [[4, 5, 6, 3], [0, 1, 2], false],
  [[4, 5, 6, 3], [0, 1, 2], true],
  [[6, 7], [0], false],
  [[6, 7], [-2], false],
  [[1, 7], [0], false],
  [[7, 5, 3], [0, 1], false],
  [[4, 5, 3], [1], false],
  [[4, 5, 3], [0, 1, 2], false],
  [[300, 40], [0], false],
  [[8, 32, 32, 32], [0, 1, 2], false],
  [[9, 16, 16, 64], [0, 1, 2], true],
];

describe('wasm MaxPoolGrad with NaN, ±Infinity and ties', () => {
  // Windows mixing NaN (never the maximum), −Infinity (never gets the gradient when all are −∞),
  // +Infinity and equal values (the first one wins), over 4 and 3 channels (SIMD and JavaScript).
  const SPECIAL = [Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0, -0, 1, 1, -2];
  it.each([[[2, 6, 6, 4]], [[2, 6, 6, 3]], [[1, 4, 8, 8]]] as [number[]][])('matches cpu for %j', async (shape) => {
    const size = shape.reduce((p, d) => p * d, 1);
    const { values: noise } = normal(shape, 12);
    const values = Float32Array.from(
      { length: size },
      (_, i) => SPECIAL[(i * 7 + Math.floor(i / 5)) % SPECIAL.length]! + (i % 11 === 0 ? noise[i]! : 0),
    );
    values.fill(Number.NEGATIVE_INFINITY, 0, shape[3]! * 2);
    values.fill(Number.NEGATIVE_INFINITY, shape[2]! * shape[3]!, shape[2]! * shape[3]! + shape[3]! * 2);
    const diff = await wasmVsCpu([{ values, shape }], (x) =>
      tf.tidy(() => {
        const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
        const dy = tf.sub(tf.reshape(tf.range(0, y.size, 1, 'float32'), y.shape), 5);
        return runKernel('MaxPoolGrad', { dy, input: x!, output: y }, { filterSize: 2, strides: 2, pad: 'valid' });
      }),
    );
    expect(diff).toBe(0);
  });
});

describe('wasm Sum', () => {
  it.each(REDUCTIONS)('matches cpu for %j over axes %j (keepDims %s)', async (shape, axis, keepDims) => {
    const diff = await wasmVsCpu([normal(shape, 5)], (x) => tf.sum(x!, axis, keepDims));
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('wasm Mean', () => {
  it.each(REDUCTIONS)('matches cpu for %j over axes %j (keepDims %s)', async (shape, axis, keepDims) => {
    const diff = await wasmVsCpu([normal(shape, 6)], (x) => tf.mean(x!, axis, keepDims));
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives batch norm moments that match cpu, with their gradients', async () => {
    const diff = await wasmVsCpu([normal([6, 5, 7, 8], 7)], (x) =>
      tf.tidy(() => {
        const f = (t: tf.Tensor): tf.Scalar => {
          const { mean, variance } = tf.moments(t, [0, 1, 2]);
          return tf.sum(tf.mul(tf.square(tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, 1e-5)))), tf.range(0, 8)));
        };
        return tf.grad(f)(x!);
      }),
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('wasm Identity', () => {
  it('shares data: a clone outlives its source and keeps its values', async () => {
    await tf.setBackend('wasm');
    const source = tf.tensor([1, 2, 3, 4], [2, 2]);
    const before = tf.memory().numTensors;
    const copy = tf.clone(source);
    source.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4]);
    expect(copy.shape).toEqual([2, 2]);
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });
});

describe('wasm Cast', () => {
  it.each([
    ['float32', 'float32'],
    ['float32', 'int32'],
    ['int32', 'float32'],
    ['int32', 'int32'],
    ['float32', 'bool'],
    ['bool', 'float32'],
  ] as [tf.DataType, tf.DataType][])('matches cpu from %s to %s', async (from, to) => {
    const values = normal([3, 4], 10);
    const diff = await wasmVsCpu([values], (x) => tf.tidy(() => tf.cast(tf.cast(tf.mul(x!, 3), from), to)));
    expect(diff).toBe(0);
  });

  it('shares data for a same-dtype cast: the result outlives its source', async () => {
    await tf.setBackend('wasm');
    const source = tf.tensor([1.5, -2, 3], [3]);
    const same = tf.cast(source, 'float32');
    source.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2, 3]);
    same.dispose();
  });
});

describe('Sum and Mean gradients', () => {
  // [shape, axes]: leading, inner and mixed axes; dy differs per output element.
  it.each([
    [
      [4, 3, 5, 2],
      [0, 1, 2],
    ],
    [[4, 3, 5, 2], [3]],
    [
      [4, 3, 5, 2],
      [1, 3],
    ],
    [[6, 7], [0]],
    [
      [6, 7],
      [0, 1],
    ],
  ] as [number[], number[]][])('broadcast dy (and dy / n for the mean) for %j over axes %j', async (shape, axes) => {
    const reducedShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const n = axes.reduce((p, a) => p * shape[a]!, 1);
    const w = normal(reducedShape, 9);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const x = tf.tensor(normal(shape, 8).values, shape);
      const weights = tf.tensor(w.values, reducedShape);
      const [gSum, gMean] = [tf.sum, tf.mean].map((reduce) =>
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(reduce(t, axes, true), weights)))(x),
      );
      const expected = tf.tidy(() => tf.mul(weights, tf.ones(shape)));
      expect(Array.from(await gSum!.data())).toEqual(Array.from(await expected.data()));
      const expectedMean = tf.tidy(() => tf.mul(tf.div(weights, n), tf.ones(shape)));
      expect(Array.from(await gMean!.data())).toEqual(Array.from(await expectedMean.data()));
      tf.dispose([x, weights, gSum!, gMean!, expected, expectedMean]);
    }
  });
});
