import * as tf from '@tensorflow/tfjs-core';
import { EvoptError, isDivergedLoss, type EvaluationProgress } from '@evopt/core';
import type { TrainingBatch, TrainResult } from '../contracts.js';
import { DEFAULT_PROGRESS_INTERVAL_MS } from '../train/train.js';
import '../optimizer/gradients.js';
import type { PopulationGenomeOptimizer } from './population-optimizer.js';
import type { StackedModel } from './stacked-model.js';

/** As train.ts: how often, with a signal, the loop lets the event loop run so that an abort is seen. */
const ABORT_POLL_MS = 50;

export interface PopulationTrainOptions {
  readonly model: StackedModel;
  /** One genome per member of `model`, in the same order. */
  readonly optimizer: PopulationGenomeOptimizer;
  readonly steps: number;
  /** The batch of a step, shared by every member; the loop disposes the tensors. */
  readonly nextBatch: (step: number) => TrainingBatch;
  /** Progress of one member still training, at most every `progressIntervalMs`. */
  readonly onProgress?: (member: number, progress: EvaluationProgress) => void;
  /** Minimum ms between progress reports (default 250). */
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Trains the P members of `model` together, each with its own genome, for `steps` steps: each step
 * runs every member on the same batch, takes one gradient of the sum of the members' mean
 * softmax cross-entropies (so each member's gradient is the one it would get alone), applies one
 * population update, writes the buffers back and reads all P losses at once.
 *
 * Per member, the result means what `train` returns for one model: a member whose loss is NaN,
 * ±Inf or above 50 gets status 'diverged' at that step and is frozen there (its parameters, state
 * and buffers stop changing, its losses stop), while the others go on. Training ends early once
 * every member has diverged. An aborted `signal` rejects with EvoptError `ABORTED` between steps.
 */
export async function trainPopulation(options: PopulationTrainOptions): Promise<TrainResult[]> {
  const { model, optimizer, steps, nextBatch, onProgress, signal } = options;
  if (model.size !== optimizer.size) {
    throw new EvoptError(
      'INTERNAL',
      `trainPopulation needs one genome per member: the model has ${model.size} members, the optimizer ${optimizer.size} genomes.`,
      {
        fix: 'Make the StackedModel with as many members as genomes given to the PopulationGenomeOptimizer.',
      },
    );
  }
  const interval = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  const members = Array.from({ length: model.size }, (_, member) => member);
  const losses: number[][] = members.map(() => []);
  const results: (TrainResult | null)[] = members.map(() => null);
  const started = performance.now();
  let lastReport = started;
  let lastYield = started;
  const rate = (member: number, now: number): number =>
    now > started ? ((losses[member] as number[]).length * 1000) / (now - started) : 0;
  const finish = (member: number, status: TrainResult['status']): void => {
    const memberLosses = losses[member] as number[];
    results[member] = {
      status,
      losses: memberLosses,
      stepsCompleted: memberLosses.length,
      stepsPerSecond: rate(member, performance.now()),
    };
  };

  for (let step = 0; step < steps; step++) {
    const training = members.filter((member) => optimizer.active[member] && results[member] === null);
    if (training.length === 0) break;
    throwIfAborted(signal, step, steps);
    const values = populationStep(model, optimizer, nextBatch(step));
    for (const member of training) {
      const loss = values[member] ?? Number.NaN;
      (losses[member] as number[]).push(loss);
      if (isDivergedLoss(loss)) {
        optimizer.setActive(member, false);
        finish(member, 'diverged');
      }
    }
    const now = performance.now();
    if (onProgress && now - lastReport >= interval) {
      lastReport = now;
      for (const member of training) {
        if (results[member] !== null) continue;
        onProgress(member, {
          step: step + 1,
          totalSteps: steps,
          loss: (losses[member] as number[]).at(-1) as number,
          stepsPerSecond: rate(member, now),
        });
      }
    }
    if (signal && now - lastYield >= ABORT_POLL_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  for (const member of members) if (results[member] === null) finish(member, 'ok');
  return results as TrainResult[];
}

/** One population step on one batch; returns every member's loss. The batch is freed whatever happens. */
function populationStep(model: StackedModel, optimizer: PopulationGenomeOptimizer, batch: TrainingBatch): Float32Array {
  const active = optimizer.active;
  let memberLosses: tf.Tensor | null = null;
  let buffers: tf.Tensor[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      const result = model.forward(batch.x, { training: true, step: model.step });
      const losses = memberCrossEntropy(result.logits, batch.y);
      // Kept past the gradient's tidy: read after the update, and written back into the buffers.
      memberLosses = tf.keep(losses);
      buffers = result.buffers.map((buffer) => tf.keep(buffer));
      return tf.sum(losses);
    }, [...model.parameters]);
    value.dispose();
    try {
      optimizer.applyGradients(grads);
    } finally {
      tf.dispose(Object.values(grads));
    }
    model.commitStep(buffers, active);
    return (memberLosses as tf.Tensor | null)?.dataSync() as Float32Array;
  } finally {
    tf.dispose([batch.x, batch.y, ...buffers, ...(memberLosses ? [memberLosses] : [])]);
  }
}

/**
 * Each member's mean softmax cross-entropy, [P], from logits [P, batch, classes] and integer labels
 * [batch]: per member the same ops as `softmaxCrossEntropy` (sum over the batch, divided by its size).
 */
export function memberCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const [, batch = 1, classes = 1] = logits.shape;
    const indices = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const oneHot = tf.broadcastTo(tf.oneHot(tf.reshape(indices, [-1]), classes), logits.shape);
    const perExample = tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, 0, tf.Reduction.NONE);
    return tf.div(tf.sum(perExample, 1), tf.scalar(batch)) as tf.Tensor1D;
  });
}

function throwIfAborted(signal: AbortSignal | undefined, step: number, steps: number): void {
  if (!signal?.aborted) return;
  throw new EvoptError('ABORTED', `Training was aborted after ${step} of ${steps} steps.`, {
    details: { step, steps },
    cause: signal.reason,
  });
}
