import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TrainableModel } from '../contracts.js';

/**
 * A tfjs-layers model (such as one built with `tf.sequential`) as a {@link TrainableModel}:
 * `apply` calls the model with `training` set, and `trainableVariables` are the tf.Variables
 * behind its trainable weights (what tfjs-layers' own `fit` hands to the optimizer).
 */
export function layersTrainableModel(model: tfl.LayersModel): TrainableModel {
  return {
    apply: (x, training) => model.apply(x, { training }) as tf.Tensor,
    get trainableVariables() {
      // LayerVariable.read() returns the tf.Variable itself, typed as a plain Tensor.
      return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    },
    dispose: () => {
      model.dispose();
    },
  };
}
