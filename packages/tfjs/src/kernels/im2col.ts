/**
 * Patch gathering (im2col) and its adjoint (col2im) in JavaScript on the wasm heap. With them a
 * convolution's gradients become one plain matrix product each, the one wasm operation that runs
 * near full speed; gathering with tf slices instead costs more than the product itself.
 */
import type { TensorInfo, backend_util } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, zerosOutput } from './wasm-heap.js';

type ConvInfo = backend_util.Conv2DInfo;

/**
 * The transposed patch matrix of NHWC `x` for output rows `[row0, row1)` (an output row is one
 * (b, oh) pair): shape [KH·KW·Cin, (row1 − row0)·OW], row (kh, kw, ci), column (b, oh, ow) counted
 * from row0, zero where the window reaches into padding. Its product with the matching rows of dy
 * reshaped to [B·OH·OW, Cout] is that slice's share of the filter gradient in [KH, KW, Cin, Cout]
 * order. The whole matrix is `im2colTransposed(backend, x, info)`.
 */
export function im2colTransposed(
  backend: BackendWasm,
  x: TensorInfo,
  info: ConvInfo,
  row0 = 0,
  row1 = info.batchSize * info.outHeight,
): TensorInfo {
  const { inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const columns = (row1 - row0) * outWidth;
  const out = backend.makeOutput([filterHeight * filterWidth * inChannels, columns], 'float32');
  const src = heapF32(backend, x);
  const dst = heapF32(backend, out);
  // One output row (b, oh) at a time: each input pixel's channels are read contiguously and
  // scattered to Cin rows of the result, whose active segments stay in cache; the naive
  // row-by-row order re-reads x once per channel and is about 3× slower.
  for (let row = row0; row < row1; row++) {
    const b = Math.floor(row / outHeight);
    const oh = row - b * outHeight;
    const column0 = (row - row0) * outWidth;
    for (let kh = 0; kh < filterHeight; kh++) {
      const ih = oh * strideHeight + kh * dilationHeight - padTop;
      const inside = ih >= 0 && ih < inHeight;
      const rowBase = (b * inHeight + ih) * inWidth * inChannels;
      for (let kw = 0; kw < filterWidth; kw++) {
        const r0 = (kh * filterWidth + kw) * inChannels;
        for (let ow = 0; ow < outWidth; ow++) {
          const iw = ow * strideWidth + kw * dilationWidth - padLeft;
          let at = r0 * columns + column0 + ow;
          if (!inside || iw < 0 || iw >= inWidth) {
            for (let ci = 0; ci < inChannels; ci++, at += columns) dst[at] = 0;
            continue;
          }
          const from = rowBase + iw * inChannels;
          for (let ci = 0; ci < inChannels; ci++, at += columns) dst[at] = src[from + ci]!;
        }
      }
    }
  }
  return out;
}

/**
 * Adds the patch matrix `cols` ([B·OH·OW, KH·KW·Cin], row (b, oh, ow), column (kh, kw, ci)) back
 * into an NHWC tensor of the convolution's input shape: the adjoint of im2col, i.e. the input
 * gradient once `cols` = dy · filterᵀ.
 */
export function col2im(backend: BackendWasm, cols: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const dx = zerosOutput(backend, [batchSize, inHeight, inWidth, inChannels]);
  const src = heapF32(backend, cols);
  const dst = heapF32(backend, dx);
  let at = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh * dilationHeight - padTop;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw * dilationWidth - padLeft;
            if (ih < 0 || ih >= inHeight || iw < 0 || iw >= inWidth) {
              at += inChannels;
              continue;
            }
            const base = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) dst[base + ci] = dst[base + ci]! + src[at++]!;
          }
        }
      }
    }
  }
  return dx;
}
