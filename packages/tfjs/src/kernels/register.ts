/**
 * Installs evopt's replacements for slow or missing tfjs-backend-wasm kernels. Each replacement is
 * checked against the cpu backend in the tests beside it; the benchmark in bench.ts measures them.
 */
import { getKernel, registerGradient, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
// tfjs-layers registers the stock gradients when it loads; loading it first means ours replace them.
import '@tensorflow/tfjs-layers';
import { batchMatMulPatch } from './batch-mat-mul.js';
import { castPatch } from './cast.js';
import { conv2dBackpropFilterPatch } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputPatch } from './conv2d-backprop-input.js';
import { GRADIENT_PATCHES } from './gradients.js';
import { identityPatch } from './identity.js';
import { maxPoolGradPatch } from './max-pool-grad.js';
import { meanPatch } from './mean.js';
import { signPatch } from './sign.js';
import { sumPatch } from './sum.js';
import { captureOriginal } from './wasm-heap.js';

/** The patches, in the order they are installed. */
export const WASM_KERNEL_PATCHES: readonly KernelConfig[] = [
  conv2dBackpropFilterPatch,
  batchMatMulPatch,
  conv2dBackpropInputPatch,
  maxPoolGradPatch,
  sumPatch,
  meanPatch,
  identityPatch,
  castPatch,
  signPatch,
];

let installed: readonly string[] | undefined;

/**
 * Registers the wasm kernel patches and the gradient replacements (idempotent) and returns their
 * names, e.g. "wasm:Conv2DBackpropFilter", "gradient:Mean". Call before or after the wasm backend initialises; the stock
 * kernels are kept so that patches can fall back to them for cases they do not cover.
 */
export function registerWasmKernelPatches(): string[] {
  if (installed) return [...installed];
  // Capture every stock kernel the patches build on before any of them is replaced.
  for (const name of [
    'Add',
    'BatchMatMul',
    'Cast',
    'Conv2D',
    'Conv2DBackpropInput',
    'Identity',
    'MaxPoolGrad',
    'Mean',
    'Reshape',
    'Sum',
  ]) {
    captureOriginal(name);
  }
  const names: string[] = [];
  for (const patch of WASM_KERNEL_PATCHES) {
    const original = captureOriginal(patch.kernelName);
    if (getKernel(patch.kernelName, 'wasm')) unregisterKernel(patch.kernelName, 'wasm');
    // The backend runs setup (binding the wasm exports) only for kernels registered when it
    // initialises; passing the stock kernel's setup on keeps the fallback path callable.
    registerKernel(original?.setupFunc ? { ...patch, setupFunc: original.setupFunc } : patch);
    names.push(`wasm:${patch.kernelName}`);
  }
  for (const gradient of GRADIENT_PATCHES) {
    registerGradient(gradient);
    names.push(`gradient:${gradient.kernelName}`);
  }
  installed = names;
  return [...names];
}
