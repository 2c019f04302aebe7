// Loading the package registers tfjs-layers' gradient functions, which minimize() needs.
export * from './optimizer/gradients.js';
export * from './contracts.js';
export * from './optimizer/tensor-ops.js';
export * from './optimizer/genome-optimizer.js';
export * from './train/train.js';
export * from './train/evaluate.js';
export * from './train/layers-model.js';
export * from './model/functional-model.js';
export { initBackend, AUTO_ORDER } from './backend/init-backend.js';
export { SKIPPED_PREFIX } from './backend/notice.js';
export { registerWasmKernelPatches, WASM_KERNEL_PATCHES } from './kernels/register.js';
export { benchTrainingStep, type BenchOptions, type BenchResult } from './kernels/bench.js';
export * from './population/index.js';
