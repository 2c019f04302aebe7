/**
 * BatchMatMul with transpose flags. The wasm backend runs flagged products on a scalar loop about
 * 13× slower than its plain XNNPACK product (see shared/bench/README.md), and dense layers' backward
 * passes always use the flagged forms; an explicit transpose followed by a plain product wins.
 */
import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeInfos, heapF32, runOriginal } from './wasm-heap.js';

/** Swaps the last two axes of a float32 tensor with a cache-blocked loop (wasm's Transpose is slow on tall matrices). */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2] ?? 1;
  const cols = x.shape[rank - 1] ?? 1;
  const batch = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const outShape = [...x.shape.slice(0, -2), cols, rows];
  const out = backend.makeOutput(outShape, 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  const block = 32;
  for (let n = 0; n < batch; n++) {
    const base = n * rows * cols;
    for (let r0 = 0; r0 < rows; r0 += block) {
      const r1 = Math.min(rows, r0 + block);
      for (let c0 = 0; c0 < cols; c0 += block) {
        const c1 = Math.min(cols, c0 + block);
        for (let r = r0; r < r1; r++) {
          const from = base + r * cols;
          for (let c = c0; c < c1; c++) dst[base + c * rows + r] = src[from + c]!;
        }
      }
    }
  }
  return out;
}

function batchMatMul(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: BatchMatMulAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const plain = { transposeA: false, transposeB: false };
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runOriginal(BatchMatMul, backend, { a, b }, { ...attrs });
  }
  const made: TensorInfo[] = [];
  const aPlain = transposeA ? transposeLastTwo(backend, a) : a;
  const bPlain = transposeB ? transposeLastTwo(backend, b) : b;
  if (aPlain !== a) made.push(aPlain);
  if (bPlain !== b) made.push(bPlain);
  const out = runOriginal(BatchMatMul, backend, { a: aPlain, b: bPlain }, plain);
  disposeInfos(backend, ...made);
  return out;
}

/** Replaces wasm's BatchMatMul; the plain (unflagged) case still runs the stock kernel. */
export const batchMatMulPatch: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
