/**
 * Conv2DBackpropFilter, which the wasm backend lacks (SmallCNN cannot train without it). Stride-1
 * undilated convolutions take the shifted-view route (backprop-filter-shifted.ts). The rest
 * compute dW = im2col(x)ᵀ · dy as plain products; the transposed patch matrix is gathered
 * directly, so no transpose and no transpose flag reaches the slow wasm paths.
 *
 * The product's inner dimension (B·OH·OW, often tens of thousands) is split into chunks of
 * about CHUNK_COLUMNS whose partial products are summed here. XNNPACK repacks the right operand
 * (dy) on every call; one pack of a many-megabyte dy and the long-K product over it cost ≈ 1.5–3×
 * what the chunked products do, whose operands stay in cache.
 */
import { Conv2DBackpropFilter, backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { backpropFilterShifted, shiftedApplies } from './backprop-filter-shifted.js';
import { im2colTransposed } from './im2col.js';
import { disposeInfos, heapF32, plainMatMul } from './wasm-heap.js';

/** Target inner length of one chunk's product (columns of the patch matrix). */
export const CHUNK_COLUMNS = 2048;

function conv2dBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (shiftedApplies(info)) return backpropFilterShifted(backend, x, dy, info);
  const { outWidth, outChannels } = info;
  const outRows = info.batchSize * info.outHeight;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const rowsPerChunk = Math.max(1, Math.round(CHUNK_COLUMNS / Math.max(1, outWidth)));
  // Partial products are summed in float64 so long reductions keep their precision.
  const acc = new Float64Array(k * outChannels);
  for (let row0 = 0; row0 < outRows; row0 += rowsPerChunk) {
    const row1 = Math.min(outRows, row0 + rowsPerChunk);
    const patchesT = im2colTransposed(backend, x, info, row0, row1);
    const dyChunk = backend.makeOutput([(row1 - row0) * outWidth, outChannels], 'float32');
    // A fresh tensor per chunk: the wasm matMul caches its packed right operand by tensor id.
    heapF32(backend, dyChunk).set(
      heapF32(backend, dy).subarray(row0 * outWidth * outChannels, row1 * outWidth * outChannels),
    );
    const part = plainMatMul(backend, patchesT, dyChunk);
    const values = heapF32(backend, part);
    for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + values[i]!;
    disposeInfos(backend, patchesT, dyChunk, part);
  }
  const dw = backend.makeOutput([...filterShape], 'float32');
  heapF32(backend, dw).set(acc);
  return dw;
}

/** Adds Conv2DBackpropFilter to the wasm backend (any stride, padding and batch). */
export const conv2dBackpropFilterPatch: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
