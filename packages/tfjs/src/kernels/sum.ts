/**
 * Sum over leading axes, the reduction behind every bias gradient (dy summed over batch and
 * space). The wasm kernel first transposes the reduced axes to the end, which costs more than
 * the sum; adding whole rows into one accumulator row needs no transpose. Other sums (inner axes,
 * non-float32) run the stock kernel.
 */
import { Sum, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, runOriginal } from './wasm-heap.js';

/** How many leading axes `axis` reduces, or 0 when it is not exactly a leading prefix. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = util.parseAxisParam(axis, [...Array(rank).keys()].map(() => 1));
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return sorted.every((a, i) => a === i) && sorted.length < rank ? sorted.length : 0;
}

function sum(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const lead = x.dtype === 'float32' ? leadingAxes(attrs.axis, x.shape.length) : 0;
  if (lead === 0) return runOriginal(Sum, backend, { x }, { ...attrs });
  const rows = x.shape.slice(0, lead).reduce((p, d) => p * d, 1);
  const rest = x.shape.slice(lead);
  const width = rest.reduce((p, d) => p * d, 1);
  const outShape = attrs.keepDims ? [...x.shape.slice(0, lead).map(() => 1), ...rest] : rest;
  const out = backend.makeOutput(outShape, 'float32');
  const src = heapF32(backend, x);
  // Accumulate in float64 so long reductions (a whole batch of feature maps) keep their precision.
  const acc = new Float64Array(width);
  for (let r = 0, at = 0; r < rows; r++) {
    for (let i = 0; i < width; i++, at++) acc[i] = acc[i]! + src[at]!;
  }
  heapF32(backend, out).set(acc);
  return out;
}

/** Replaces wasm's Sum for float32 reductions over leading axes. */
export const sumPatch: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
};
