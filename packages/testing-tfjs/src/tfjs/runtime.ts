import * as tf from '@tensorflow/tfjs-core';
import type { TensorCounter } from '@evopt/testing';
import { initBackend, type BackendChoice } from '@evopt/tfjs';

/**
 * Starts the backend the tensor checks run on and returns its name: `choice` when given (through
 * @evopt/tfjs' initBackend, which refuses a second, different choice in one thread), else the
 * backend this thread already runs, else 'cpu'.
 */
export async function startBackend(choice?: BackendChoice): Promise<string> {
  // backendName is null until a backend is set; reading tf.getBackend() would pick one itself.
  const current = tf.engine().backendName as string | null;
  if (choice === undefined && current) return current;
  return (await initBackend(choice ?? 'cpu')).name;
}

/** Counts TensorFlow.js tensors (`tf.memory().numTensors`), for testTask's `tensors` option. */
export function tfjsTensors(): TensorCounter {
  return { label: 'TensorFlow.js tensors (tf.memory().numTensors)', count: () => tf.memory().numTensors };
}
