import * as tf from '@tensorflow/tfjs-core';
import type { ElementwiseOps } from '@evopt/core';
import type { TensorCounter } from '../conformance/task/tensors.js';

/** What the tensor suites use from @evopt/tfjs: the optimizer's own tensor ops, and its backend start. */
interface EvoptTfjs {
  readonly tensorOps: ElementwiseOps<tf.Tensor>;
  initBackend(choice: string): Promise<{ readonly name: string }>;
}

// Loaded when a tensor check first runs, by a name the compiler does not follow: @evopt/tfjs is
// built after the plugins that test themselves with @evopt/testing, so this package must build
// without it (see the nx settings in package.json). The types above are what it must provide.
const EVOPT_TFJS: string = '@evopt/tfjs';
let runtime: Promise<EvoptTfjs> | undefined;

/** @evopt/tfjs, loaded once. */
export function evoptTfjs(): Promise<EvoptTfjs> {
  runtime ??= import(EVOPT_TFJS) as Promise<EvoptTfjs>;
  return runtime;
}

/**
 * Starts the backend the tensor checks run on and returns its name: `choice` when given (through
 * @evopt/tfjs' initBackend, which refuses a second, different choice in one thread), else the
 * backend this thread already runs, else 'cpu'.
 */
export async function startBackend(choice?: string): Promise<string> {
  const { initBackend } = await evoptTfjs();
  // backendName is null until a backend is set; reading tf.getBackend() would pick one itself.
  const current = tf.engine().backendName as string | null;
  if (choice === undefined && current) return current;
  return (await initBackend(choice ?? 'cpu')).name;
}

/** Counts TensorFlow.js tensors (`tf.memory().numTensors`), for testTask's `tensors` option. */
export function tfjsTensors(): TensorCounter {
  return { label: 'TensorFlow.js tensors (tf.memory().numTensors)', count: () => tf.memory().numTensors };
}
