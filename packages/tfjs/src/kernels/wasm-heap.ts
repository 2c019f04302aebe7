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

/** The whole wasm heap as floats (same caveat as heapF32: take it after the last allocation). */
export function heapAll(backend: BackendWasm): Float32Array {
  // Emscripten's module object, which tfjs-backend-wasm types without its heap views.
  const module = backend.wasm as unknown as { HEAPF32?: Float32Array; HEAPU8: Uint8Array };
  return module.HEAPF32?.buffer === module.HEAPU8.buffer ? module.HEAPF32 : new Float32Array(module.HEAPU8.buffer);
}

/** Where a float32 tensor starts in {@link heapAll}, in elements. */
export function floatOffset(backend: BackendWasm, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset / Float32Array.BYTES_PER_ELEMENT;
}

/** A zero-filled float32 output on the wasm heap. */
export function zerosOutput(backend: BackendWasm, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  heapF32(backend, out).fill(0);
  return out;
}

/**
 * A tensor info that aliases `shape`'s worth of floats inside `base`, starting `offset` floats in;
 * no copy. Only pass a view to kernels that read it, and release it with {@link releaseView}
 * (never disposeInfos, which would free memory the view does not own).
 */
export function heapView(backend: BackendWasm, base: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const data = backend.dataIdMap.get(base.dataId);
  if (!data) throw new Error('heapView: the base tensor is not on the wasm backend');
  return backend.makeOutput(shape, 'float32', data.memoryOffset + offset * Float32Array.BYTES_PER_ELEMENT);
}

/** Forgets a {@link heapView}: drops its id (and any operator the wasm side cached for it) without freeing memory. */
export function releaseView(backend: BackendWasm, view: TensorInfo): void {
  const data = backend.dataIdMap.get(view.dataId);
  if (!data) return;
  backend.wasm.tfjs.disposeData(data.id);
  backend.dataIdMap.delete(view.dataId);
}

/** Plain `a·b` on the wasm backend's fast (XNNPACK, no transpose flags) path; a and b are rank 2. */
export function plainMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  return runOriginal('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
}
