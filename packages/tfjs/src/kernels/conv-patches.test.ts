import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, runKernel, setUpBackends, wasmVsCpu, wasmVsCpuOverTerms } from './__fixtures__/compare.js';
import { SHIFTED_CHUNK_PIXELS } from './backprop-filter-shifted.js';
import { CHUNK_COLUMNS } from './conv2d-backprop-filter.js';

const TOLERANCE = 1e-4;
/** For long reductions, relative to the magnitude of the summed terms (float32 rounding is ≈ 6e-8). */
const SUM_TOLERANCE = 1e-6;

beforeAll(setUpBackends);

// [input NHWC, filter HWIO, stride, pad]; odd sizes, batch > 1, non-square filters.
const CASES: [number[], number[], number, 'same' | 'valid'][] = [
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'same'],
  [[2, 7, 7, 3], [3, 3, 3, 4], 1, 'valid'],
  [[2, 7, 7, 3], [3, 3, 3, 4], 2, 'same'],
  [[2, 7, 7, 3], [3, 3, 3, 4], 2, 'valid'],
  [[3, 9, 6, 1], [2, 3, 1, 5], 1, 'same'],
  [[3, 9, 6, 2], [2, 3, 2, 5], 2, 'same'],
  [[1, 5, 5, 4], [5, 5, 4, 2], 1, 'valid'],
];

function outShape(input: number[], filter: number[], stride: number, pad: 'same' | 'valid'): number[] {
  const [b, h, w] = input as [number, number, number];
  const [kh, kw, , co] = filter as [number, number, number, number];
  const size = (n: number, k: number): number =>
    pad === 'same' ? Math.ceil(n / stride) : Math.ceil((n - k + 1) / stride);
  return [b, size(h, kh), size(w, kw), co];
}

describe('wasm Conv2DBackpropFilter', () => {
  it.each(CASES)('matches cpu for x %j, filter %j, stride %d, %s', async (input, filter, stride, pad) => {
    const x = normal(input, 1);
    const dy = normal(outShape(input, filter, stride, pad), 2);
    const diff = await wasmVsCpu([x, dy], (xt, dyt) =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: xt!, dy: dyt! },
        { strides: stride, pad, dataFormat: 'NHWC', filterShape: filter },
      ),
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('wasm Conv2DBackpropFilter over several inner-dimension chunks', () => {
  // Enough output rows (b, oh) that the product is split into chunks, the last one partial.
  const LARGE: [number[], number[], number, 'same' | 'valid'][] = [
    [[5, 30, 30, 2], [3, 3, 2, 3], 1, 'same'],
    [[7, 41, 41, 1], [3, 3, 1, 4], 2, 'same'],
    [[6, 40, 40, 3], [3, 3, 3, 5], 2, 'same'],
    [[3, 33, 29, 3], [2, 3, 3, 2], 1, 'valid'],
  ];
  it.each(LARGE)('matches cpu for x %j, filter %j, stride %d, %s', async (input, filter, stride, pad) => {
    const [b, h] = input as [number, number];
    const outRows = b * (pad === 'same' ? Math.ceil(h / stride) : Math.ceil((h - filter[0]! + 1) / stride));
    const outWidth = outShape(input, filter, stride, pad)[2]!;
    expect(outRows).toBeGreaterThan(Math.round(CHUNK_COLUMNS / outWidth));
    const x = normal(input, 8);
    const dy = normal(outShape(input, filter, stride, pad), 9);
    const diff = await wasmVsCpu([x, dy], (xt, dyt) =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: xt!, dy: dyt! },
        { strides: stride, pad, dataFormat: 'NHWC', filterShape: filter },
      ),
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('wasm Conv2DBackpropFilter by shifted views (stride 1)', () => {
  // [input NHWC, filter HWIO, explicit or named padding]: the CIFAR CNN's layers at a smaller
  // batch, odd and non-square sizes, even and non-square filters, 'valid', and explicit padding
  // that is uneven or wider than the filter needs (output larger than the input). Inputs with
  // fewer than STACK_BELOW_CHANNELS channels take the stacked product, the others one per tap.
  type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  const SHIFTED: [number[], number[], Pad][] = [
    [[2, 32, 32, 32], [3, 3, 32, 32], 'same'],
    [[3, 16, 16, 32], [3, 3, 32, 64], 'same'],
    [[2, 16, 16, 64], [3, 3, 64, 64], 'same'],
    [[3, 7, 9, 5], [3, 3, 5, 6], 'same'],
    [[3, 7, 9, 5], [3, 3, 5, 6], 'valid'],
    [[2, 8, 7, 4], [2, 3, 4, 3], 'same'],
    [[2, 9, 8, 6], [5, 2, 6, 7], 'same'],
    [
      [2, 6, 5, 4],
      [3, 3, 4, 2],
      [
        [0, 0],
        [2, 0],
        [0, 3],
        [0, 0],
      ],
    ],
    [
      [2, 5, 6, 4],
      [3, 3, 4, 2],
      [
        [0, 0],
        [4, 4],
        [3, 5],
        [0, 0],
      ],
    ],
    [[2, 4, 4, 8], [1, 1, 8, 3], 'valid'],
    [[3, 10, 10, 3], [3, 3, 3, 8], 'same'],
    [[3, 9, 9, 1], [3, 3, 1, 6], 'same'],
  ];
  const outSize = (n: number, k: number, pad: Pad, axis: 1 | 2): number =>
    pad === 'same' ? n : pad === 'valid' ? n - k + 1 : n + pad[axis][0] + pad[axis][1] - k + 1;
  it.each(SHIFTED)('matches cpu for x %j, filter %j, pad %j', async (input, filter, pad) => {
    const [b, h, w] = input as [number, number, number];
    const [kh, kw, , co] = filter as [number, number, number, number];
    const x = normal(input, 11);
    const dy = normal([b, outSize(h, kh, pad, 1), outSize(w, kw, pad, 2), co], 12);
    const diff = await wasmVsCpu([x, dy], (xt, dyt) =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: xt!, dy: dyt! },
        { strides: 1, pad, dataFormat: 'NHWC', filterShape: filter },
      ),
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([4, 8])('sums several chunks of images, the last one partial (%d input channels)', async (channels) => {
    // 'same' 3×3 pads each 30×30 image to a 31×31 grid cell.
    const input = [7, 30, 30, channels];
    expect(Math.max(1, Math.round(SHIFTED_CHUNK_PIXELS / (31 * 31)))).toBeLessThan(input[0]! / 2);
    const x = normal(input, 13);
    const dy = normal([7, 30, 30, 5], 14);
    // Each output sums 6,300 products, some cancelling to below 1: measure against the terms.
    const diff = await wasmVsCpuOverTerms([x, dy], (xt, dyt) =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: xt!, dy: dyt! },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, channels, 5] },
      ),
    );
    expect(diff).toBeLessThanOrEqual(SUM_TOLERANCE);
  });
});

describe('wasm Conv2DBackpropInput', () => {
  it.each(CASES)('matches cpu for x %j, filter %j, stride %d, %s', async (input, filter, stride, pad) => {
    const w = normal(filter, 3);
    const dy = normal(outShape(input, filter, stride, pad), 4);
    const diff = await wasmVsCpu([dy, w], (dyt, wt) =>
      runKernel(
        'Conv2DBackpropInput',
        { dy: dyt!, filter: wt! },
        { strides: stride, pad, dataFormat: 'NHWC', inputShape: input },
      ),
    );
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('conv2d gradients through the patched kernels', () => {
  it('match cpu for a conv · relu · maxpool · dense loss, wrt input and filter', async () => {
    const x = normal([2, 9, 9, 2], 5);
    const w = normal([3, 3, 2, 4], 6);
    const d = normal([4 * 4 * 4, 3], 7);
    const grads = (xt: tf.Tensor, wt: tf.Tensor, dt: tf.Tensor): tf.Tensor =>
      tf.tidy(() => {
        const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
          const h = tf.maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')), 2, 2, 'valid');
          return tf.sum(tf.square(tf.matMul(tf.reshape(h, [2, -1]), dt as tf.Tensor2D)));
        };
        const [gx, gw] = tf.grads(loss)([xt, wt]);
        return tf.concat([tf.reshape(gx!, [-1]), tf.reshape(gw!, [-1])]);
      });
    expect(await wasmVsCpu([x, w, d], (a, b, c) => grads(a!, b!, c!))).toBeLessThanOrEqual(TOLERANCE);
  });
});
