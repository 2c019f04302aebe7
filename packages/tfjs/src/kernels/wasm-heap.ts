/**
 * Helpers for kernels that run on the wasm backend but do part of their work in JavaScript on the
 * wasm heap. Composite kernels call other wasm kernels directly (not through the engine), so
 * tf.profile charges the whole cost to the kernel that was asked for and no tape sees the parts.
 */
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The wasm backend's own kernels, captured before any patch replaces them. */
const originals = new Map<string, KernelConfig>();

/** Remembers the stock wasm kernel `name` (once) so patches can fall back to it. */
export function captureOriginal(name: string): KernelConfig | undefined {
  const known = originals.get(name);
  if (known) return known;
  const config = getKernel(name, 'wasm');
  if (!config) return undefined;
  originals.set(name, config);
  return config;
}

/** Runs the stock wasm kernel `name` on tensor infos, bypassing the engine (no tape, no profile entry). */
export function runOriginal(
  name: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = captureOriginal(name);
  if (!kernel) throw new Error(`wasm backend has no '${name}' kernel to build on`);
  const out = kernel.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel '${name}' returned several outputs; one expected`);
  return out;
}

/** A reshape that shares the data (the wasm kernel only bumps a reference count). */
export function reshapeInfo(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return runOriginal('Reshape', backend, { x }, { shape });
}

/** Releases intermediate tensor infos made inside a kernel. */
export function disposeInfos(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * A Float32Array view of a tensor's heap memory. Take views only after the last allocation of a
 * kernel: allocating can grow the wasm memory, which detaches every earlier view.
 */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A zero-filled float32 output on the wasm heap. */
export function zerosOutput(backend: BackendWasm, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapF32(backend, out).fill(0);
  return out;
}

/** Plain `a·b` on the wasm backend's fast (XNNPACK, no transpose flags) path; a and b are rank 2. */
export function plainMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  return runOriginal('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
}
