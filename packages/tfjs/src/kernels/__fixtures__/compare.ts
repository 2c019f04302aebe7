/**
 * Runs the same computation on the cpu backend (the reference) and on the patched wasm backend,
 * and measures how far apart they are. Inputs are plain arrays so each backend builds its own
 * tensors; the wasm run also checks that no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import { registerWasmKernelPatches } from '../register.js';

export interface Input {
  readonly values: Float32Array;
  readonly shape: number[];
}

/** Seeded normal values (the same on every backend, since they are drawn once here). */
export function normal(shape: number[], seed: number): Input {
  const values = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);
  return { values: Float32Array.from(values), shape };
}

/** Small integers, so pooling windows contain ties (the cpu backend picks the first maximum). */
export function ties(shape: number[], seed: number): Input {
  const { values } = normal(shape, seed);
  return { values: values.map((v) => Math.max(0, Math.round(v * 2))), shape };
}

export async function setUpBackends(): Promise<void> {
  registerWasmKernelPatches();
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
}

async function runOn(
  backend: string,
  inputs: readonly Input[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const tensors = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
  const before = tf.memory().numTensors;
  const out = fn(...tensors);
  const values = Float32Array.from(await out.data());
  out.dispose();
  const after = tf.memory().numTensors;
  tf.dispose(tensors);
  if (after !== before) throw new Error(`${backend}: ${after - before} tensor(s) leaked`);
  return values;
}

/** Largest |wasm − cpu| / max(1, |cpu|): an absolute error for small values, relative for large. */
export async function wasmVsCpu(inputs: readonly Input[], fn: (...xs: tf.Tensor[]) => tf.Tensor): Promise<number> {
  const expected = await runOn('cpu', inputs, fn);
  const actual = await runOn('wasm', inputs, fn);
  if (actual.length !== expected.length) throw new Error(`sizes differ: wasm ${actual.length}, cpu ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const diff = Math.abs(actual[i]! - e) / Math.max(1, Math.abs(e));
    worst = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : Math.max(worst, diff);
  }
  return worst;
}

/**
 * Largest |wasm − cpu| / magnitude, where magnitude is `fn` of the inputs' absolute values on cpu:
 * for a sum of products, Σ|a·b| over the terms of each output. Float32 rounding in a long reduction
 * is relative to its terms, not to their sum, which may cancel to near zero; this measures that.
 */
export async function wasmVsCpuOverTerms(
  inputs: readonly Input[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<number> {
  const expected = await runOn('cpu', inputs, fn);
  const magnitude = await runOn(
    'cpu',
    inputs.map((i) => ({ values: i.values.map(Math.abs), shape: i.shape })),
    fn,
  );
  const actual = await runOn('wasm', inputs, fn);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!) / Math.max(Number.MIN_VALUE, magnitude[i]!);
    worst = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : Math.max(worst, diff);
  }
  return worst;
}

/** Calls a kernel by name, as gradients do, so the test reaches exactly the patched kernel. */
export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}
