/**
 * Conv2DBackpropInput. The stock wasm kernel is a scalar loop (≈ 244 ms of a SmallCNN step).
 * At stride 1 the input gradient is a forward convolution of dy, padded so the output has the
 * input's size, with the filter flipped in space and its channels swapped; that runs on XNNPACK.
 * At other strides it is dy · filterᵀ (one plain product) scattered back with col2im.
 */
import { Conv2DBackpropInput, Conv2D, backend_util } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { transposeLastTwo } from './batch-mat-mul.js';
import { col2im } from './im2col.js';
import { disposeInfos, heapF32, plainMatMul, reshapeInfo, runOriginal } from './wasm-heap.js';

type ConvInfo = backend_util.Conv2DInfo;

/** [KH, KW, Cin, Cout] → [KH, KW, Cout, Cin], reversed in both spatial axes. */
function flipFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([kh, kw, cout, cin], 'float32');
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, out);
  for (let r = 0; r < kh; r++) {
    for (let c = 0; c < kw; c++) {
      const from = ((kh - 1 - r) * kw + (kw - 1 - c)) * cin * cout;
      const to = (r * kw + c) * cout * cin;
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) dst[to + o * cin + i] = src[from + i * cout + o]!;
      }
    }
  }
  return out;
}

function viaFlippedConv(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: ConvInfo): TensorInfo | null {
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight - info.outHeight - top + info.filterHeight - 1;
  const right = info.inWidth - info.outWidth - left + info.filterWidth - 1;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  const flipped = flipFilter(backend, filter);
  const dx = runOriginal(
    Conv2D,
    backend,
    { x: dy, filter: flipped },
    {
      strides: [1, 1],
      dilations: [1, 1],
      dataFormat: 'NHWC',
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
    },
  );
  disposeInfos(backend, flipped);
  return dx;
}

function viaCol2im(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: ConvInfo): TensorInfo {
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const w2d = reshapeInfo(backend, filter, [k, info.outChannels]);
  const wT = transposeLastTwo(backend, w2d);
  const dy2d = reshapeInfo(backend, dy, [info.batchSize * info.outHeight * info.outWidth, info.outChannels]);
  const cols = plainMatMul(backend, dy2d, wT);
  const dx = col2im(backend, cols, info);
  disposeInfos(backend, w2d, wT, dy2d, cols);
  return dx;
}

function conv2dBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
    return runOriginal(Conv2DBackpropInput, backend, { dy, filter }, { ...attrs });
  }
  const info = backend_util.computeConv2DInfo(
    [...inputShape],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (info.strideHeight === 1 && info.strideWidth === 1) {
    const dx = viaFlippedConv(backend, dy, filter, info);
    if (dx) return dx;
  }
  return viaCol2im(backend, dy, filter, info);
}

/** Replaces wasm's Conv2DBackpropInput for NHWC data (any stride and padding). */
export const conv2dBackpropInputPatch: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
};
