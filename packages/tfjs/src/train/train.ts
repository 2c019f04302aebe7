import * as tf from '@tensorflow/tfjs-core';
import { EvoptError, isDivergedLoss } from '@evopt/core';
import type { TrainableModel, TrainingBatch, TrainOptions, TrainResult } from '../contracts.js';
import '../optimizer/gradients.js';

/** Default minimum time between progress reports. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 250;

/**
 * How often, with a signal, the loop lets the event loop run so that an abort sent from
 * elsewhere (a worker message, a timer) is seen. Each yield costs microseconds.
 */
const ABORT_POLL_MS = 50;

/**
 * Trains `model` for `steps` steps: each step takes `nextBatch(step)`, minimises the softmax
 * cross-entropy of `model.apply(x, true)` against the integer labels with `optimizer`, reads the
 * loss, and frees the batch. A loss that is NaN, ±Inf or above 50 stops training with status
 * 'diverged' (not an exception). Progress goes to `onProgress` at most every
 * `progressIntervalMs`. An aborted `signal` rejects with EvoptError `ABORTED` between steps.
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { model, optimizer, steps, nextBatch, onProgress, signal } = options;
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const variables = [...model.trainableVariables];
  const losses: number[] = [];
  const started = performance.now();
  let lastReport = started;
  let lastYield = started;
  const rate = (now: number): number => (now > started ? (losses.length * 1000) / (now - started) : 0);
  const result = (status: TrainResult['status']): TrainResult => ({
    status,
    losses,
    stepsCompleted: losses.length,
    stepsPerSecond: rate(performance.now()),
  });

  for (let step = 0; step < steps; step++) {
    throwIfAborted(signal, step, steps);
    const loss = trainStep(model, optimizer, nextBatch(step), variables);
    losses.push(loss);
    if (isDivergedLoss(loss)) return result('diverged');
    const now = performance.now();
    if (onProgress && now - lastReport >= interval) {
      lastReport = now;
      onProgress({ step: step + 1, totalSteps: steps, loss, stepsPerSecond: rate(now) });
    }
    if (signal && now - lastYield >= ABORT_POLL_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  return result('ok');
}

/** One optimizer step on one batch; returns its loss. The batch is freed whatever happens. */
function trainStep(
  model: TrainableModel,
  optimizer: tf.Optimizer,
  batch: TrainingBatch,
  variables: tf.Variable[],
): number {
  try {
    const cost = optimizer.minimize(() => softmaxCrossEntropy(model.apply(batch.x, true), batch.y), true, variables);
    if (!cost) throw new EvoptError('INTERNAL', 'optimizer.minimize returned no loss although it was asked to.');
    try {
      return cost.dataSync()[0] ?? Number.NaN;
    } finally {
      cost.dispose();
    }
  } finally {
    tf.dispose([batch.x, batch.y]);
  }
}

function throwIfAborted(signal: AbortSignal | undefined, step: number, steps: number): void {
  if (!signal?.aborted) return;
  throw new EvoptError('ABORTED', `Training was aborted after ${step} of ${steps} steps.`, {
    details: { step, steps },
    cause: signal.reason,
  });
}

/**
 * Mean softmax cross-entropy of `logits` [batch, classes] against integer class `labels` [batch]:
 * the training loss of every classification task (the paper's `nn.CrossEntropyLoss`).
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.shape.length - 1] ?? 1;
    const indices = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const oneHot = tf.oneHot(tf.reshape(indices, [-1]), classes);
    return tf.losses.softmaxCrossEntropy(oneHot, logits) as tf.Scalar;
  });
}
