/**
 * BatchMatMul with transpose flags. The wasm backend runs flagged products on a scalar loop about
 * 13× slower than its plain XNNPACK product (see shared/bench/README.md), and dense layers' backward
 * passes always use the flagged forms; an explicit transpose followed by a plain product wins.
 */
import { BatchMatMul } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeInfos, floatOffset, heapAll, runOriginal } from './wasm-heap.js';
import { simdRoutines, transposeFloats } from './wasm-simd.js';

/** Swaps the last two axes of a float32 tensor (wasm's Transpose is slow on tall matrices). */
export function transposeLastTwo(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2] ?? 1;
  const cols = x.shape[rank - 1] ?? 1;
  const batch = x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const outShape = [...x.shape.slice(0, -2), cols, rows];
  const out = backend.makeOutput(outShape, 'float32');
  const simd = simdRoutines(backend);
  const heap = heapAll(backend);
  const src = floatOffset(backend, x);
  const dst = floatOffset(backend, out);
  for (let n = 0; n < batch; n++) {
    const base = n * rows * cols;
    transposeFloats(simd, heap, src + base, cols, dst + base, rows, rows, cols);
  }
  return out;
}

/**
 * Elements moved (transposed in JavaScript, or packed by XNNPACK, whose right operand is repacked
 * on every call for a new tensor) by each way of computing a flagged rank-2 product; both cost
 * a few nanoseconds per element, so counts compare well enough.
 */
function swappedIsCheaper(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  // Direct: transpose each flagged operand, pack b. Swapped: (b'·a')ᵀ with b' = op(b)ᵀ and
  // a' = op(a)ᵀ, i.e. transpose each operand that is *not* flagged, pack a', transpose the result.
  const direct = (transposeA ? m * k : 0) + (transposeB ? 2 * n * k : n * k);
  const swapped = (transposeA ? 0 : m * k) + (transposeB ? 0 : n * k) + m * k + m * n;
  return swapped < direct;
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const plain = { transposeA: false, transposeB: false };
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runOriginal(BatchMatMul, backend, { a, b }, { ...attrs });
  }
  const made: TensorInfo[] = [];
  const rank2 = a.shape.length === 2 && b.shape.length === 2;
  const [m, k] = transposeA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  if (rank2 && swappedIsCheaper(m, k, n, transposeA, transposeB)) {
    // a·b = ((b)ᵀ·(a)ᵀ)ᵀ: the large operand becomes the left one, which XNNPACK reads in place.
    const left = transposeB ? b : transposeLastTwo(backend, b);
    const right = transposeA ? a : transposeLastTwo(backend, a);
    if (left !== b) made.push(left);
    if (right !== a) made.push(right);
    const outT = runOriginal(BatchMatMul, backend, { a: left, b: right }, plain);
    const out = transposeLastTwo(backend, outT);
    disposeInfos(backend, ...made, outT);
    return out;
  }
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
