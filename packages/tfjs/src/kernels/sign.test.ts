import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { normal, setUpBackends, wasmVsCpu } from './__fixtures__/compare.js';

beforeAll(setUpBackends);

// Both signs of every magnitude from 1e-3 down past float32's epsilon (1.19e-7) and its smallest
// normal (1.18e-38) into the denormals, then ±0, NaN, ±Infinity and the largest floats.
const MAGNITUDES = [1e-3, 1e-5, 1e-7, 1.1e-7, 1e-8, 1e-10, 1e-15, 1e-20, 1e-25, 1e-30, 1e-38, 1e-40, 1e-45];
const EDGES = [...MAGNITUDES.flatMap((m) => [m, -m]), 0, -0, NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1, -1, 123456];
/** cpu's convention, written out: NaN and -0 give +0. */
const EXPECTED = [...MAGNITUDES.flatMap(() => [1, -1]), 0, 0, 0, 1, -1, 1, -1, 1, -1, 1];

/** sign of `values` in `shape` on `backend`, read back as plain numbers, leaving no tensor behind. */
async function signOn(backend: string, values: number[], shape: number[], dtype: tf.DataType = 'float32') {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const x = tf.tensor(values, shape, dtype);
  const y = tf.sign(x);
  const out = { values: Array.from(await y.data()), shape: y.shape, dtype: y.dtype };
  tf.dispose([x, y]);
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** `count` values cycling through EDGES. */
const cycle = (count: number): number[] => Array.from({ length: count }, (_, i) => EDGES[i % EDGES.length]!);

describe('wasm Sign against cpu', () => {
  it('gives cpu’s values on every edge case, bit for bit (+0 for -0 and NaN)', async () => {
    const wasm = await signOn('wasm', EDGES, [EDGES.length]);
    const cpu = await signOn('cpu', EDGES, [EDGES.length]);
    expect(cpu.values).toEqual(EXPECTED);
    expect(wasm).toEqual(cpu);
  });

  it.each([[[]], [[1]], [[7]], [[4, 9]], [[3, 5, 7]], [[2, 3, 4, 5]], [[5, 1, 1, 41]], [[10, 100]]])(
    'matches cpu in shape %j',
    async (shape) => {
      const values = cycle(shape.reduce((a, b) => a * b, 1));
      const wasm = await signOn('wasm', values, shape);
      expect(wasm).toEqual(await signOn('cpu', values, shape));
      expect(wasm.shape).toEqual(shape);
    },
  );

  it('gives an empty result for an empty tensor', async () => {
    const wasm = await signOn('wasm', [], [0, 3]);
    expect(wasm).toEqual({ values: [], shape: [0, 3], dtype: 'float32' });
    expect(wasm).toEqual(await signOn('cpu', [], [0, 3]));
  });

  it('matches cpu for int32 and bool inputs, keeping the dtype', async () => {
    const ints = [0, 3, -7, 1, -1, 2147483647, -2147483648];
    const wasm = await signOn('wasm', ints, [7], 'int32');
    expect(wasm).toEqual({ values: [0, 1, -1, 1, -1, 1, -1], shape: [7], dtype: 'int32' });
    expect(wasm).toEqual(await signOn('cpu', ints, [7], 'int32'));
    const bools = [1, 0, 1];
    expect(await signOn('wasm', bools, [3], 'bool')).toEqual(await signOn('cpu', bools, [3], 'bool'));
  });

  // A population of gradients at each scale, as the sign-based update terms see them.
  it.each([1, 1e-6, 1e-9, 1e-20, 1e-39])('matches cpu on [P, N] gradients scaled by %d', async (scale) => {
    const diff = await wasmVsCpu([normal([3, 257], 5)], (g) => tf.tidy(() => tf.sign(tf.mul(g!, scale))));
    expect(diff).toBe(0);
  });

  it('keeps sign-based update terms alive for tiny gradients: exp(sign(g)·sign(m))·g as on cpu', async () => {
    const inputs = [normal([4, 33], 6), normal([4, 33], 7)];
    const diff = await wasmVsCpu(inputs, (g, m) =>
      tf.tidy(() => {
        const tiny = tf.mul(g!, 1e-9);
        return tf.div(tf.mul(tf.exp(tf.mul(tf.sign(tiny), tf.sign(m!))), tiny), 1e-9);
      }),
    );
    expect(diff).toBeLessThanOrEqual(1e-6);
  });

  it('has a zero gradient, as on cpu', async () => {
    const values = [-2, -1e-9, 0, 1e-9, 3];
    const grads: number[][] = [];
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const x = tf.tensor1d(values);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sign(t), t)))(x);
      grads.push(Array.from(await dx.data()));
      tf.dispose([x, dx]);
      expect(tf.memory().numTensors).toBe(before);
    }
    // d/dx (sign(x)·x) with sign's gradient 0: sign(x) itself.
    expect(grads[0]).toEqual([-1, -1, 0, 1, 1]);
    expect(grads[0]).toEqual(grads[1]);
  });
});
