/**
 * How each backend is loaded. A loader resolves with the devices it sees or throws an EvoptError
 * whose message says why it cannot run here and how to fix that; `initBackend` (init-backend.ts)
 * decides the order and what to do with failures.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EvoptError } from '@evopt/core';
import { registerWasmKernelPatches } from '../kernels/register.js';

/** What a loaded backend reports. */
export interface LoadedBackend {
  readonly devices: readonly string[];
  readonly patches: readonly string[];
}

/** The native package; a variable so TypeScript does not demand its (uninstalled) types. */
const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';

const TENSORFLOW_FIX =
  'install it with `npm install @tensorflow/tfjs-node-gpu` on a Linux machine with CUDA 11.2 and cuDNN 8.1 ' +
  '(see docs/GPU.md); npm 11 blocks install scripts by default, so then run ' +
  '`npm rebuild @tensorflow/tfjs-node-gpu --foreground-scripts` (or approve its scripts) to fetch libtensorflow, ' +
  "or choose backend 'wasm'";

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') did not take effect`);
}

function reason(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/** tfjs-node's backend says whether it is the GPU build and found a GPU; it does not name devices. */
function tensorflowDevices(): string[] {
  const backend = tf.backend() as unknown as { isGPUPackage?: boolean; isUsingGpuDevice?: boolean };
  if (backend.isUsingGpuDevice === true) return ['/GPU:0'];
  return backend.isGPUPackage === true ? ['cpu (tfjs-node-gpu found no usable GPU)'] : ['cpu'];
}

/** TensorFlow through tfjs-node-gpu (CUDA). */
export async function loadTensorflow(): Promise<LoadedBackend> {
  try {
    await import(TFJS_NODE_GPU);
  } catch (error) {
    throw new EvoptError(
      'CONFIG_INVALID',
      `backend 'tensorflow' needs ${TFJS_NODE_GPU}, which did not load: ${reason(error)}`,
      {
        fix: TENSORFLOW_FIX,
        details: { backend: 'tensorflow', package: TFJS_NODE_GPU },
        cause: error,
      },
    );
  }
  try {
    await activate('tensorflow');
  } catch (error) {
    throw new EvoptError('CONFIG_INVALID', `backend 'tensorflow' loaded but did not start: ${reason(error)}`, {
      fix: "check that CUDA 11.2 and cuDNN 8.1 libraries are on LD_LIBRARY_PATH (see docs/GPU.md), or choose backend 'wasm'",
      details: { backend: 'tensorflow' },
      cause: error,
    });
  }
  return { devices: tensorflowDevices(), patches: [] };
}

/**
 * WebAssembly (XNNPACK, SIMD, one thread under Node). Under Node the package's CommonJS build
 * reads tfjs-backend-wasm.wasm from its own dist folder next to the script, so no setWasmPaths
 * is needed when it is installed in node_modules; a bundler that moves the script must call
 * setWasmPaths itself. The kernel patches make SmallCNN trainable and several times faster.
 */
export async function loadWasm(): Promise<LoadedBackend> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    const patches = registerWasmKernelPatches();
    await activate('wasm');
    return { devices: ['cpu'], patches };
  } catch (error) {
    throw new EvoptError('CONFIG_INVALID', `backend 'wasm' did not start: ${reason(error)}`, {
      fix: "reinstall @tensorflow/tfjs-backend-wasm (its dist/ must hold tfjs-backend-wasm.wasm), or choose backend 'cpu'",
      details: { backend: 'wasm' },
      cause: error,
    });
  }
}

/** The plain JavaScript backend: always available, slowest. */
export async function loadCpu(): Promise<LoadedBackend> {
  try {
    await import('@tensorflow/tfjs-backend-cpu');
    await activate('cpu');
    return { devices: ['cpu'], patches: [] };
  } catch (error) {
    throw new EvoptError('CONFIG_INVALID', `backend 'cpu' did not start: ${reason(error)}`, {
      fix: 'reinstall @tensorflow/tfjs-backend-cpu',
      details: { backend: 'cpu' },
      cause: error,
    });
  }
}
