/**
 * MaxPoolGrad in JavaScript on the wasm heap. The stock wasm kernel scans every input pixel's
 * windows (≈ 78 ms of a SmallCNN step); here each pooling window is visited once, its first
 * maximum found (the cpu backend's tie rule: strict `>` in row-major window order) and dy added
 * there. Any filter, stride, dilation and padding works because overlapping windows accumulate.
 */
import { MaxPoolGrad, backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapF32, zerosOutput } from './wasm-heap.js';
import { simdRoutines } from './wasm-simd.js';

function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;

  if (
    effectiveFilterHeight === 2 &&
    effectiveFilterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    padTop === 0 &&
    padLeft === 0 &&
    inHeight === 2 * outHeight &&
    inWidth === 2 * outWidth
  ) {
    return tiledTwoByTwo(backend, input, dy, batchSize * outHeight, outWidth, channels);
  }
  const dx = zerosOutput(backend, [...input.shape]);
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const out = heapF32(backend, dx);
  // Scratch for the window's best value/position per channel, so the channel loop stays innermost
  // and reads of x stay contiguous.
  const best = new Float32Array(channels);
  const bestAt = new Int32Array(channels);
  let dyAt = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const rowCorner = oh * strideHeight - padTop;
      let rowStart = rowCorner;
      while (rowStart < 0) rowStart += dilationHeight;
      const rowEnd = Math.min(inHeight, rowCorner + effectiveFilterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colCorner = ow * strideWidth - padLeft;
        let colStart = colCorner;
        while (colStart < 0) colStart += dilationWidth;
        const colEnd = Math.min(inWidth, colCorner + effectiveFilterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        bestAt.fill(-1);
        for (let r = rowStart; r < rowEnd; r += dilationHeight) {
          for (let c = colStart; c < colEnd; c += dilationWidth) {
            const at = xBatch + (r * inWidth + c) * channels;
            for (let d = 0; d < channels; d++) {
              const v = x[at + d]!;
              if (v > best[d]!) {
                best[d] = v;
                bestAt[d] = at + d;
              }
            }
          }
        }
        for (let d = 0; d < channels; d++) {
          const at = bestAt[d]!;
          if (at >= 0) out[at] = out[at]! + g[dyAt + d]!;
        }
        dyAt += channels;
      }
    }
  }
  return dx;
}

/**
 * The common 2×2, stride-2 pooling that tiles the input exactly: every input pixel is in one
 * window, so dx needs no zero fill and no accumulation. The window's first maximum is chosen with
 * the same strict `>` chain as the cpu backend (NaN never wins; an all -Infinity window gets no
 * gradient). With a multiple of four channels a WebAssembly SIMD routine (wasm-simd.ts) does this
 * four channels at a time, about 6× faster; otherwise the JavaScript loop below, written as selects.
 */
function tiledTwoByTwo(
  backend: BackendWasm,
  input: TensorInfo,
  dy: TensorInfo,
  outRows: number,
  outWidth: number,
  channels: number,
): TensorInfo {
  const dx = backend.makeOutput([...input.shape], 'float32');
  const simd = channels % 4 === 0 ? simdRoutines(backend) : undefined;
  if (simd) {
    const offset = (info: TensorInfo): number => backend.dataIdMap.get(info.dataId).memoryOffset;
    simd.maxPoolGrad2x2(offset(input), offset(dy), offset(dx), outRows, outWidth, channels);
    return dx;
  }
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const out = heapF32(backend, dx);
  const rowStride = 2 * outWidth * channels;
  let dyAt = 0;
  for (let r = 0; r < outRows; r++) {
    const top = 2 * r * rowStride;
    for (let ow = 0; ow < outWidth; ow++) {
      const p0 = top + 2 * ow * channels;
      const p2 = p0 + rowStride;
      for (let d = 0; d < channels; d++) {
        const a = x[p0 + d]!;
        const b = x[p0 + channels + d]!;
        const c = x[p2 + d]!;
        const e = x[p2 + channels + d]!;
        let best = a > Number.NEGATIVE_INFINITY ? a : Number.NEGATIVE_INFINITY;
        let at = a > Number.NEGATIVE_INFINITY ? 0 : -1;
        at = b > best ? 1 : at;
        best = b > best ? b : best;
        at = c > best ? 2 : at;
        best = c > best ? c : best;
        at = e > best ? 3 : at;
        const grad = g[dyAt + d]!;
        out[p0 + d] = at === 0 ? grad : 0;
        out[p0 + channels + d] = at === 1 ? grad : 0;
        out[p2 + d] = at === 2 ? grad : 0;
        out[p2 + channels + d] = at === 3 ? grad : 0;
      }
      dyAt += channels;
    }
  }
  return dx;
}

/** Replaces wasm's MaxPoolGrad (any configuration; results match the cpu backend's). */
export const maxPoolGradPatch: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
