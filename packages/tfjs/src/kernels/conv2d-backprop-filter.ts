/**
 * Conv2DBackpropFilter, which the wasm backend lacks (SmallCNN cannot train without it):
 * dW = im2col(x)ᵀ · dy as one plain product. The transposed patch matrix is gathered directly,
 * so no transpose and no transpose flag reaches the slow wasm paths.
 */
import { Conv2DBackpropFilter, backend_util } from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { im2colTransposed } from './im2col.js';
import { disposeInfos, plainMatMul, reshapeInfo } from './wasm-heap.js';

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
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const patchesT = im2colTransposed(backend, x, info);
  const dy2d = reshapeInfo(backend, dy, [info.batchSize * info.outHeight * info.outWidth, info.outChannels]);
  const dw2d = plainMatMul(backend, patchesT, dy2d);
  const dw = reshapeInfo(backend, dw2d, [...filterShape]);
  disposeInfos(backend, patchesT, dy2d, dw2d);
  return dw;
}

/** Adds Conv2DBackpropFilter to the wasm backend (any stride, padding and batch). */
export const conv2dBackpropFilterPatch: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
