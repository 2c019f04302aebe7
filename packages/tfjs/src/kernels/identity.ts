/**
 * Identity without a copy. The engine clones (runs Identity on) every tensor a gradient will need,
 * about 110 tensors per CIFAR CNN training step, and the wasm kernel copies each one; the cpu
 * backend shares the data instead, as this does. Sharing is safe because no kernel writes into its
 * inputs: a tensor's data never changes after the kernel that made it returns.
 */
import { Identity } from '@tensorflow/tfjs-core';
import type { IdentityInputs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runOriginal } from './wasm-heap.js';

/** A new tensor on `x`'s data (one more reference to it), without copying. */
export function shareData(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

function identity(args: { inputs: IdentityInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  return x.dtype === 'string' ? runOriginal(Identity, backend, { x }) : shareData(backend, x);
}

/** Replaces wasm's Identity with one that shares its input's data. */
export const identityPatch: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
