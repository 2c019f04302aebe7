/**
 * Counts the live tensors of whatever tensor library a task uses, so the suite can check that the
 * task frees what it allocates. `@evopt/testing-tfjs` exports one for TensorFlow.js.
 */
export interface TensorCounter {
  /** What is counted, for messages, e.g. "TensorFlow.js tensors". */
  readonly label: string;
  count(): number;
}

interface TfjsEngine {
  readonly state?: { readonly numTensors?: number };
}

/**
 * Counts TensorFlow.js tensors without importing TensorFlow.js: tfjs-core keeps its one engine per
 * thread on the global object (`_tfengine`) once it is loaded, and `tf.memory().numTensors` reads
 * this same counter. Before tfjs is loaded there is no engine and no tensor: the count is 0.
 */
export const detectedTfjsTensors: TensorCounter = {
  label: 'TensorFlow.js tensors (tf.memory().numTensors)',
  count: () => (globalThis as { _tfengine?: TfjsEngine })._tfengine?.state?.numTensors ?? 0,
};
