/**
 * Mean over leading axes (batch norm's batch statistics). The wasm kernel transposes the reduced
 * axes to the end first, as its Sum does; this is the pairwise leading-row sum of sum.ts divided by
 * the count. Other means run the stock kernel.
 */
import { Mean, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MeanAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { leadingAxes, leadingReducedShape, sumLeadingRows } from './sum.js';
import { heapF32, runOriginal } from './wasm-heap.js';

function mean(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const lead = x.dtype === 'float32' && util.sizeFromShape(x.shape) > 0 ? leadingAxes(attrs.axis, x.shape.length) : 0;
  if (lead === 0) return runOriginal(Mean, backend, { x }, { ...attrs });
  const rows = x.shape.slice(0, lead).reduce((p, d) => p * d, 1);
  const width = x.shape.slice(lead).reduce((p, d) => p * d, 1);
  const out = sumLeadingRows(backend, x, rows, width, leadingReducedShape(x.shape, lead, attrs.keepDims));
  const values = heapF32(backend, out);
  for (let i = 0; i < width; i++) values[i] = values[i]! / rows;
  return out;
}

/** Replaces wasm's Mean for float32 reductions over leading axes. */
export const meanPatch: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean as unknown as KernelFunc,
};
