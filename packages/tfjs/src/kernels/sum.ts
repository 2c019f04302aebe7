/**
 * Sum over leading axes, the reduction behind every bias and batch-norm gradient (dy summed over
 * batch and space). The wasm kernel first transposes the reduced axes to the end, which costs more
 * than the sum. Here the rows are summed pairwise: the first half of the rows plus the second half,
 * as one wasm Add over two views of the same buffer, repeated until one row is left. That runs at
 * memory speed (≈ 8× the JavaScript loop it replaces) and, being a pairwise sum, loses less
 * precision than a running float32 total. Other sums (inner axes, non-float32) run the stock kernel.
 */
import { Add, Reshape, Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeInfos, heapF32, heapView, releaseView, runOriginal } from './wasm-heap.js';

/** How many leading axes `axis` reduces, or 0 when it is not exactly a leading prefix. */
export function leadingAxes(axis: number | number[], rank: number): number {
  const axes = util.parseAxisParam(
    axis,
    [...Array(rank).keys()].map(() => 1),
  );
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return sorted.every((a, i) => a === i) && sorted.length < rank ? sorted.length : 0;
}

/**
 * The sum of the `rows` rows of float32 `x` seen as [rows, width]: a new tensor of shape `shape`
 * (width elements).
 */
export function sumLeadingRows(
  backend: BackendWasm,
  x: TensorInfo,
  rows: number,
  width: number,
  shape: number[],
): TensorInfo {
  if (rows <= 1) {
    const copy = backend.makeOutput(shape, 'float32');
    if (rows === 1) heapF32(backend, copy).set(heapF32(backend, x).subarray(0, width));
    else heapF32(backend, copy).fill(0);
    return copy;
  }
  let current = x;
  let remaining = rows;
  while (remaining > 1) {
    const half = remaining >> 1;
    const first = heapView(backend, current, 0, [half * width]);
    const second = heapView(backend, current, half * width, [half * width]);
    const next = runOriginal(Add, backend, { a: first, b: second });
    releaseView(backend, first);
    releaseView(backend, second);
    if (remaining % 2 === 1) {
      // The odd row out joins the first row of the next level.
      const into = heapF32(backend, next);
      const from = heapF32(backend, current);
      const last = (remaining - 1) * width;
      for (let i = 0; i < width; i++) into[i] = into[i]! + from[last + i]!;
    }
    if (current !== x) disposeInfos(backend, current);
    current = next;
    remaining = half;
  }
  const out = runOriginal(Reshape, backend, { x: current }, { shape });
  disposeInfos(backend, current);
  return out;
}

/** The output shape of a reduction of `lead` leading axes of `shape`. */
export function leadingReducedShape(shape: readonly number[], lead: number, keepDims: boolean): number[] {
  const rest = shape.slice(lead);
  return keepDims ? [...shape.slice(0, lead).map(() => 1), ...rest] : rest;
}

function sum(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const lead = x.dtype === 'float32' && util.sizeFromShape(x.shape) > 0 ? leadingAxes(attrs.axis, x.shape.length) : 0;
  if (lead === 0) return runOriginal(Sum, backend, { x }, { ...attrs });
  const rows = x.shape.slice(0, lead).reduce((p, d) => p * d, 1);
  const width = x.shape.slice(lead).reduce((p, d) => p * d, 1);
  return sumLeadingRows(backend, x, rows, width, leadingReducedShape(x.shape, lead, attrs.keepDims));
}

/** Replaces wasm's Sum for float32 reductions over leading axes. */
export const sumPatch: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
