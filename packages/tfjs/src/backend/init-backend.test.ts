import * as tf from '@tensorflow/tfjs-core';
import { isEvoptError } from '@evopt/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendChoice } from '../contracts.js';
import { initBackend, resetBackendForTests } from './init-backend.js';

afterEach(() => resetBackendForTests());

// What this process can load decides what 'tensorflow' and 'auto' must do: on a GPU machine
// @tensorflow/tfjs-node-gpu is installed and starts, elsewhere it is absent (or its libraries are).
// The name is a variable so that TypeScript does not look for the optional package's types.
const TFJS_NODE_GPU: string = '@tensorflow/tfjs-node-gpu';
// TensorFlow takes (almost) all GPU memory at start unless told to grow: leave room for the other
// test processes that train on the same card.
process.env['TF_FORCE_GPU_ALLOW_GROWTH'] ??= 'true';
const tensorflowLoads = await import(TFJS_NODE_GPU).then(
  () => true,
  () => false,
);

/** The devices the tensorflow backend reports: the GPU when TensorFlow found one, else its CPU. */
function expectTensorflowDevices(devices: readonly string[]): void {
  const usingGpu = (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  expect(devices).toHaveLength(1);
  expect(devices[0]).toMatch(usingGpu ? /GPU:0/ : /no usable GPU/);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('initBackend', () => {
  it('rejects an unknown backend name, listing the valid ones', async () => {
    const error = await failure(initBackend('webgl' as BackendChoice));
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain("unknown backend 'webgl'");
    expect(error.message).toContain('auto, tensorflow, wasm, cpu');
  });

  // Each behaviour that depends on tfjs-node-gpu is two tests, one of them skipped on any machine,
  // so the report says which half ran here.
  it.runIf(tensorflowLoads)('starts tensorflow where tfjs-node-gpu loads, on its device', async () => {
    const info = await initBackend('tensorflow');
    expect(info).toMatchObject({ name: 'tensorflow', patches: [], skipped: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    expectTensorflowDevices(info.devices);
    const product = tf.tidy(() =>
      tf.matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([[5], [6]]),
      ),
    );
    expect(Array.from(product.dataSync())).toEqual([17, 39]);
    product.dispose();
  });

  it.skipIf(tensorflowLoads)('explains how to install tfjs-node-gpu where it does not load', async () => {
    const error = await failure(initBackend('tensorflow'));
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain('npm install @tensorflow/tfjs-node-gpu');
    expect(error.message).toContain('CUDA 11.2');
    expect(error.message).toContain('cuDNN 8.1');
    expect(error.message).toContain('npm rebuild @tensorflow/tfjs-node-gpu --foreground-scripts');
    expect(error.message).toContain('docs/GPU.md');
  });

  it('starts wasm with its kernel patches, caches it, and refuses a switch', async () => {
    const messages: string[] = [];
    const info = await initBackend('wasm', (m) => messages.push(m));
    expect(info).toMatchObject({ name: 'wasm', devices: ['cpu'], skipped: [] });
    expect(info.patches).toContain('wasm:Conv2DBackpropFilter');
    expect(tf.getBackend()).toBe('wasm');
    expect(messages).toEqual(['backend wasm (cpu)']);
    expect(await initBackend('wasm')).toBe(info);
    const error = await failure(initBackend('cpu'));
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect(error.message).toContain("already initialised backend 'wasm'");
  });

  it('starts cpu with no patches', async () => {
    const info = await initBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', devices: ['cpu'], patches: [], skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it.runIf(tensorflowLoads)('auto takes tensorflow where it loads', async () => {
    const info = await initBackend('auto');
    expect(info).toMatchObject({ name: 'tensorflow', skipped: [] });
    expect(tf.getBackend()).toBe('tensorflow');
    expectTensorflowDevices(info.devices);
  });

  it.skipIf(tensorflowLoads)(
    'auto skips tensorflow where it does not load, saying why, and lands on wasm',
    async () => {
      const info = await initBackend('auto');
      expect(info.name).toBe('wasm');
      expect(info.skipped).toHaveLength(1);
      expect(info.skipped[0]).toMatch(/^tensorflow: .*tfjs-node-gpu/);
      expect(tf.getBackend()).toBe('wasm');
    },
  );

  it.runIf(tensorflowLoads)('keeps a started tensorflow, as it keeps wasm', async () => {
    const info = await initBackend('tensorflow');
    expect(await initBackend('tensorflow')).toBe(info);
    expect((await failure(initBackend('cpu'))).message).toContain("already initialised backend 'tensorflow'");
  });

  it.skipIf(tensorflowLoads)('lets a thread try again after a failed start', async () => {
    await failure(initBackend('tensorflow'));
    expect((await initBackend('cpu')).name).toBe('cpu');
  });

  it('trains on wasm: a gradient step through the patched kernels changes the weights', async () => {
    await initBackend('wasm');
    const w = tf.variable(tf.randomNormal([3, 3, 1, 2], 0, 1, 'float32', 1));
    const x = tf.randomNormal([2, 6, 6, 1], 0, 1, 'float32', 2);
    const before = w.dataSync().slice();
    const optimizer = tf.train.sgd(0.1);
    const loss = optimizer.minimize(
      () => tf.sum(tf.square(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'))),
      true,
    );
    expect(Number.isFinite(loss?.dataSync()[0])).toBe(true);
    expect(w.dataSync()).not.toEqual(before);
    tf.dispose([w, x, loss as tf.Tensor]);
    optimizer.dispose();
  });
});
