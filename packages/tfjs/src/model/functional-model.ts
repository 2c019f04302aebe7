import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext, ForwardResult, FunctionalModel } from '../contracts.js';

/**
 * The stateful face of a {@link FunctionalModel}: `apply` runs `forward` on the model's own
 * variables, counts training steps (so dropout masks follow the step, as in population training),
 * and writes a training pass's new buffers back into the buffer variables. Subclasses define the
 * parameters, the buffers and the forward pass.
 */
export abstract class FunctionalModelBase implements FunctionalModel {
  private trainingSteps = 0;

  abstract readonly parameters: readonly tf.Variable[];
  abstract get buffers(): readonly tf.Variable[];
  abstract forward(
    parameters: readonly tf.Tensor[],
    buffers: readonly tf.Tensor[],
    x: tf.Tensor,
    context: ForwardContext,
  ): ForwardResult;

  get trainableVariables(): readonly tf.Variable[] {
    return this.parameters;
  }

  /** Training passes taken so far: the step of the next one. */
  get step(): number {
    return this.trainingSteps;
  }

  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const context: ForwardContext = { training, step: this.trainingSteps };
      const { logits, buffers } = this.forward(this.parameters, this.buffers, x, context);
      if (training) {
        this.trainingSteps++;
        // Running statistics are state, not parameters: no gradient flows into them.
        this.buffers.forEach((buffer, index) => {
          const value = buffers[index];
          // assign shares the value's data and takes its own reference, so tidy may free `value`.
          if (value && value !== buffer) buffer.assign(value);
        });
      }
      return logits;
    });
  }

  dispose(): void {
    for (const variable of [...this.parameters, ...this.buffers]) variable.dispose();
  }
}
