// Runs the tensor optimizer and core's ReferenceOptimizer side by side on one gradient sequence.
import * as tf from '@tensorflow/tfjs-core';
import { ReferenceOptimizer, Rng, type Genome, type ReadonlyRegistries } from '@evopt/core';
import { createGenomeOptimizer } from '../genome-optimizer.js';
import { float32Normals } from './registries.js';

export interface ParityOptions {
  readonly registries: Pick<ReadonlyRegistries, 'primitives' | 'schedules'>;
  readonly steps?: number;
  readonly shape?: readonly [number, number];
  readonly seed?: number;
}

export interface ParityReport {
  /** Worst |tensor − reference| over all elements and steps, divided by how far the reference moved. */
  readonly worstRelativeToMovement: number;
  /** Worst |tensor − reference| over all elements and steps, divided by the largest |reference weight|. */
  readonly worstRelativeToScale: number;
  /** How far the reference weights moved in total (max over elements). */
  readonly movement: number;
}

/**
 * Feeds the same float32 gradients to both optimizers for `steps` steps and reports the worst
 * disagreement. The gradients include some tiny values so that sign, unit and ε matter.
 */
export function compareWithReference(genome: Genome, options: ParityOptions): ParityReport {
  const { registries, steps = 25, shape = [20, 15], seed = 7 } = options;
  const size = shape[0] * shape[1];
  const rng = Rng.fromSeed(seed);
  let reference = float32Normals(rng, size);
  const initial = [...reference];
  const variable = tf.variable(tf.tensor2d(reference, [...shape]));
  const tensorOptimizer = createGenomeOptimizer(genome, { totalSteps: steps, registries });
  const referenceOptimizer = new ReferenceOptimizer(genome, registries, steps);
  let worstAbs = 0;
  let scale = 0;
  try {
    for (let step = 0; step < steps; step++) {
      const gradients = float32Normals(rng, size, step % 5 === 4 ? 1e-6 : 1);
      const gradient = tf.tensor2d(gradients, [...shape]);
      tensorOptimizer.applyGradients({ [variable.name]: gradient });
      gradient.dispose();
      reference = referenceOptimizer.update(reference, gradients);
      const actual = variable.dataSync();
      reference.forEach((expected, i) => {
        const error = Math.abs((actual[i] as number) - expected);
        worstAbs = Math.max(worstAbs, error);
        scale = Math.max(scale, Math.abs(expected));
      });
    }
  } finally {
    tensorOptimizer.dispose();
    variable.dispose();
  }
  const movement = Math.max(...reference.map((w, i) => Math.abs(w - (initial[i] as number))));
  return { worstRelativeToMovement: worstAbs / movement, worstRelativeToScale: worstAbs / scale, movement };
}
