/**
 * sign(x) as the cpu backend computes it: −1 below 0, 1 above, 0 for ±0 and NaN. tfjs-backend-wasm
 * 4.22's Sign returns 0 for every |x| below float32's epsilon (1.19e-7), so on wasm the sign-based
 * update terms (sign, sign-m, lion, powersign, addsign) ignored small gradients that cpu and GPU
 * backends follow; `npm run check:gpu -- --backend wasm` found it. One pass over the heap, without
 * branches: gradients' signs are random, and a branch on each mispredicts about every other time.
 * Measured on 2 loaded vCPUs, [1e6] normal values: stock kernel ≈ 8 ns per element, a branching
 * JavaScript loop as slow or slower, this one ≈ 3 ns.
 */
import { Sign } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo, UnaryInputs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

function sign(args: { inputs: UnaryInputs; backend: BackendWasm }): TensorInfo {
  const { inputs, backend } = args;
  const x = inputs.x as TensorInfo;
  const out = backend.makeOutput([...x.shape], x.dtype);
  // Views after the last allocation: makeOutput may grow the heap and detach earlier views.
  const from = backend.typedArrayFromHeap(x);
  const to = backend.typedArrayFromHeap(out);
  for (let i = 0; i < from.length; i++) {
    const v = from[i] as number;
    // NaN, 0 and -0 fail both comparisons and give +0, as on cpu.
    to[i] = +(v > 0) - +(v < 0);
  }
  return out;
}

/** Replaces wasm's Sign, which flushes values below float32's epsilon to 0. */
export const signPatch: KernelConfig = {
  kernelName: Sign,
  backendName: 'wasm',
  kernelFunc: sign as unknown as KernelFunc,
};
