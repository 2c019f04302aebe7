// A small MLP and a separable synthetic dataset for the training-loop tests.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@evopt/core';
import type { TrainableModel, TrainingBatch } from '../../contracts.js';

/** features → hidden (relu) → classes logits, weights drawn from seeded normals. */
export function createMlp(features: number, hidden: number, classes: number, seed: number): TrainableModel {
  const variables = tf.tidy(() => [
    tf.variable(tf.randomNormal([features, hidden], 0, Math.sqrt(2 / features), 'float32', seed)),
    tf.variable(tf.zeros([hidden])),
    tf.variable(tf.randomNormal([hidden, classes], 0, Math.sqrt(1 / hidden), 'float32', seed + 1)),
    tf.variable(tf.zeros([classes])),
  ]);
  const [w1, b1, w2, b2] = variables as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  return {
    apply: (x) => tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)),
    trainableVariables: variables,
    dispose: () => tf.dispose(variables),
  };
}

export interface Dataset {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor1D;
  /** Batch `step`, cycling through the rows in order. */
  nextBatch(step: number): TrainingBatch;
  dispose(): void;
}

/** `rows` points around `classes` well-separated centres in `features` dimensions. */
export function createClusters(
  rows: number,
  features: number,
  classes: number,
  seed: number,
  batchSize: number,
): Dataset {
  const rng = Rng.fromSeed(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => rng.normal(0, 3)));
  const labels = Array.from({ length: rows }, (_, i) => i % classes);
  const points = labels.flatMap((label) => (centres[label] as number[]).map((c) => c + rng.normal(0, 0.5)));
  const x = tf.tensor2d(points, [rows, features]);
  const y = tf.tensor1d(labels, 'int32');
  return {
    x,
    y,
    nextBatch: (step) => {
      const start = (step * batchSize) % (rows - batchSize + 1);
      return { x: tf.slice(x, start, batchSize), y: tf.slice(y, start, batchSize) };
    },
    dispose: () => tf.dispose([x, y]),
  };
}
