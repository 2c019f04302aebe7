/**
 * Cast to the dtype a tensor already has, without a copy. The engine routes the gradient of every
 * tensor it saved for backpropagation through such a cast, as does ReLU's gradient; the wasm kernel
 * copies the data each time (≈ 12 ms of a CIFAR CNN step). A same-dtype cast shares the data, as
 * Identity does (identity.ts). A cast to bool tests for non-zero, as the cpu backend does (the stock
 * kernel truncates the number into a byte instead); other conversions run the stock kernel.
 */
import { Cast } from '@tensorflow/tfjs-core';
import type { CastAttrs, CastInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { shareData } from './identity.js';
import { runOriginal } from './wasm-heap.js';

function toBool(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const out = backend.makeOutput([...x.shape], 'bool');
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
  return out;
}

function cast(args: { inputs: CastInputs; backend: BackendWasm; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  if (attrs.dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) return toBool(backend, x);
  if (x.dtype !== attrs.dtype || x.dtype === 'string') return runOriginal(Cast, backend, { x }, { ...attrs });
  return shareData(backend, x);
}

/** Replaces wasm's Cast with one that shares the data when the dtype does not change. */
export const castPatch: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
