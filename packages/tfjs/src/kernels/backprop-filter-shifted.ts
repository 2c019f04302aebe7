/**
 * The filter gradient of a stride-1, undilated convolution without a patch matrix. For filter tap
 * (kh, kw) the gradient is Σ_p x[p + shift(kh, kw)]ᵀ · dy[p], one product over shifted pixels. If
 * x is stored transposed (channel-major) and zero-padded, with one zero gap per row and per image,
 * every tap's shifted xᵀ is the same buffer read from a different offset: a view, not a copy.
 *
 * Per chunk of images that costs one transpose of x (wasm-simd.ts), one padded copy of dy (the right
 * operand, which XNNPACK packs once and reuses for every tap) and KH·KW plain products. The im2col
 * route writes KH·KW copies of x with strided stores and costs 2.5–5× as much for the CIFAR CNN's
 * 32- and 64-channel 3×3 convolutions; it stays the fallback for strided and dilated convolutions.
 */
import type { TensorInfo, backend_util } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { disposeInfos, floatOffset, heapAll, heapF32, heapView, plainMatMul, releaseView } from './wasm-heap.js';
import { simdRoutines, transposeFloats } from './wasm-simd.js';

type ConvInfo = backend_util.Conv2DInfo;

/** Target inner length (padded pixels) of one chunk's products. */
export const SHIFTED_CHUNK_PIXELS = 2048;

/**
 * Below this many input channels a tap's product has too few rows to use XNNPACK well; the taps'
 * shifted rows are then copied into one [KH·KW·Cin, pixels] matrix and multiplied once (≈ 10%
 * faster for the CIFAR CNN's and SmallCNN's first layers, ≈ 3% slower with 32 channels).
 */
export const STACK_BELOW_CHANNELS = 8;

/**
 * Whether {@link backpropFilterShifted} handles `info`: stride 1, no dilation. (Even with one
 * input channel it is no slower than im2col: both are bound by XNNPACK packing dy.)
 */
export function shiftedApplies(info: ConvInfo): boolean {
  return info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/** Where a chunk's images sit in the padded, flattened pixel grid. */
interface Layout {
  /** Padded row width: the input width plus the zero columns that separate rows. */
  readonly rowWidth: number;
  /** Padded image height: the input height plus the zero rows that separate images. */
  readonly imageRows: number;
  /** Zero rows above the first image. */
  readonly topRows: number;
  /** Zero pixels before the first row (so a tap that looks left of column 0 stays in bounds). */
  readonly lead: number;
}

function layoutOf(info: ConvInfo): Layout {
  const { top, bottom, left, right } = info.padInfo;
  // Wide enough that a tap reaching past either edge lands in zeros, and that a row of dy fits.
  const gapColumns = Math.max(left, right, info.outWidth - info.inWidth);
  const gapRows = Math.max(top, bottom, info.outHeight - info.inHeight);
  return {
    rowWidth: info.inWidth + gapColumns,
    imageRows: info.inHeight + gapRows,
    topRows: gapRows,
    lead: gapColumns,
  };
}

/** x[b0 … b0+images) transposed into [Cin, pixels] rows of the padded grid, zeros in the gaps. */
function transposedPaddedX(
  backend: BackendWasm,
  x: TensorInfo,
  info: ConvInfo,
  layout: Layout,
  b0: number,
  images: number,
  pixels: number,
  slack: number,
): TensorInfo {
  const { inHeight, inWidth, inChannels } = info;
  const { rowWidth, imageRows, topRows, lead } = layout;
  const out = backend.makeOutput([inChannels * pixels + slack], 'float32');
  heapF32(backend, out).fill(0);
  const simd = simdRoutines(backend);
  const heap = heapAll(backend);
  const src = floatOffset(backend, x);
  const dst = floatOffset(backend, out);
  // Each image row of x is a [W, Cin] matrix; its transpose goes to Cin grid rows at one column.
  for (let b = 0; b < images; b++) {
    for (let h = 0; h < inHeight; h++) {
      const from = src + ((b0 + b) * inHeight + h) * inWidth * inChannels;
      const column0 = lead + (topRows + b * imageRows + h) * rowWidth;
      transposeFloats(simd, heap, from, inChannels, dst + column0, pixels, inWidth, inChannels);
    }
  }
  return out;
}

/** dy[b0 … b0+images) placed at output positions of the padded grid: [pixels, Cout], zeros elsewhere. */
function paddedDy(
  backend: BackendWasm,
  dy: TensorInfo,
  info: ConvInfo,
  layout: Layout,
  b0: number,
  images: number,
  pixels: number,
): TensorInfo {
  const { outHeight, outWidth, outChannels } = info;
  const out = backend.makeOutput([pixels, outChannels], 'float32');
  const src = heapF32(backend, dy);
  const dst = heapF32(backend, out);
  dst.fill(0);
  const rowLength = outWidth * outChannels;
  for (let b = 0; b < images; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const from = ((b0 + b) * outHeight + oh) * rowLength;
      dst.set(src.subarray(from, from + rowLength), (b * layout.imageRows + oh) * layout.rowWidth * outChannels);
    }
  }
  return out;
}

/**
 * The filter gradient [KH, KW, Cin, Cout] of an NHWC convolution for which {@link shiftedApplies}.
 * Output position (b, oh, ow) is grid pixel q = (b·imageRows + oh)·rowWidth + ow, and its tap
 * (kh, kw) reads x at grid pixel q + offset(kh, kw); reads that fall in a gap read zeros, exactly
 * as the convolution's padding does. A view row runs past its own row into the next one only at
 * pixels where dy is zero.
 */
export function backpropFilterShifted(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: ConvInfo): TensorInfo {
  const { batchSize, inChannels, outChannels, filterHeight, filterWidth } = info;
  const layout = layoutOf(info);
  const { rowWidth, imageRows, topRows, lead } = layout;
  const offset = (kh: number, kw: number): number =>
    lead + (topRows + kh - info.padInfo.top) * rowWidth + kw - info.padInfo.left;
  // Tap t = kh·KW + kw reads the grid at offsets[t] past each output position.
  const offsets = Array.from({ length: filterHeight * filterWidth }, (_, t) =>
    offset(Math.floor(t / filterWidth), t % filterWidth),
  );
  // XNNPACK may read a few floats past a row's end; keep them inside the buffer.
  const slack = offset(filterHeight - 1, filterWidth - 1) + 16;
  const imagesPerChunk = Math.max(1, Math.min(batchSize, Math.round(SHIFTED_CHUNK_PIXELS / (imageRows * rowWidth))));
  // Partial products are summed in float64 so long reductions keep their precision.
  const acc = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  for (let b0 = 0; b0 < batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, batchSize - b0);
    const pixels = lead + (topRows + images * imageRows) * rowWidth + lead;
    const xT = transposedPaddedX(backend, x, info, layout, b0, images, pixels, slack);
    // A fresh right operand per chunk: the wasm matMul caches its packed form by tensor id.
    const dyGrid = paddedDy(backend, dy, info, layout, b0, images, pixels);
    if (inChannels < STACK_BELOW_CHANNELS) accumulateStacked(backend, xT, dyGrid, pixels, inChannels, offsets, acc);
    else accumulatePerTap(backend, xT, dyGrid, pixels, inChannels, offsets, acc);
    disposeInfos(backend, xT, dyGrid);
  }
  const dw = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  heapF32(backend, dw).set(acc);
  return dw;
}

/** acc[t] += shifted_t(xT) · dyGrid for every tap t, each shifted xT a view. */
function accumulatePerTap(
  backend: BackendWasm,
  xT: TensorInfo,
  dyGrid: TensorInfo,
  pixels: number,
  inChannels: number,
  offsets: number[],
  acc: Float64Array,
): void {
  const tapSize = acc.length / offsets.length;
  offsets.forEach((offset, t) => {
    const shifted = heapView(backend, xT, offset, [inChannels, pixels]);
    const part = plainMatMul(backend, shifted, dyGrid);
    releaseView(backend, shifted);
    const values = heapF32(backend, part);
    const base = t * tapSize;
    for (let i = 0; i < tapSize; i++) acc[base + i] = acc[base + i]! + values[i]!;
    disposeInfos(backend, part);
  });
}

/** acc += [shifted_0(xT); …; shifted_last(xT)] · dyGrid: the taps' rows stacked, one product. */
function accumulateStacked(
  backend: BackendWasm,
  xT: TensorInfo,
  dyGrid: TensorInfo,
  pixels: number,
  inChannels: number,
  offsets: number[],
  acc: Float64Array,
): void {
  const stacked = backend.makeOutput([offsets.length * inChannels, pixels], 'float32');
  const from = heapF32(backend, xT);
  const to = heapF32(backend, stacked);
  offsets.forEach((offset, t) => {
    for (let ci = 0; ci < inChannels; ci++) {
      const at = ci * pixels + offset;
      to.set(from.subarray(at, at + pixels), (t * inChannels + ci) * pixels);
    }
  });
  const part = plainMatMul(backend, stacked, dyGrid);
  const values = heapF32(backend, part);
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + values[i]!;
  disposeInfos(backend, part, stacked);
}
