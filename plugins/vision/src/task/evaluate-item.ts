import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, mean, paper, paperScore } from '@evopt/core';
import type {
  EvaluationItem,
  EvaluationOutcome,
  EvaluationProgress,
  ReadonlyRegistries,
  TaskContext,
} from '@evopt/core';
import { createGenomeOptimizer, initBackend, train } from '@evopt/tfjs';
import type {
  BackendChoice,
  BackendInfo,
  FunctionalModel,
  TrainableModel,
  TrainingBatch,
  TrainResult,
} from '@evopt/tfjs';

/** Rows per forward pass when measuring accuracy: bounds the CNNs' activation memory. */
export const EVALUATION_BATCH = 250;

/** What one evaluation needs from its task instance. */
export interface ItemContext {
  readonly registries: ReadonlyRegistries;
  /** A fresh model, initialised from `seed` (the item's seed). */
  readonly createModel: (seed: number) => FunctionalModel;
  /** The training batches, seeded from `seed` (derived from the item's seed). */
  readonly createBatches: (seed: number) => (step: number) => TrainingBatch;
  /** The trained model's accuracy on the scored split, in inference mode. */
  readonly score: (model: TrainableModel) => number;
  /** The metric the accuracy is journaled as: which split it was measured on. */
  readonly accuracyMetric: 'valAccuracy' | 'testAccuracy';
  readonly onProgress: (progress: EvaluationProgress) => void;
  readonly signal?: AbortSignal;
}

/** False when a weight is NaN or ±Inf, which the last update can cause after a finite loss. */
function weightsFinite(model: TrainableModel): boolean {
  const total = tf.tidy(() => tf.addN(model.trainableVariables.map((v) => tf.sum(tf.abs(v)))));
  const finite = Number.isFinite((total.dataSync() as Float32Array)[0]);
  total.dispose();
  return finite;
}

/**
 * The outcome of one trained genome: 'diverged' (score −1) when training diverged or left a
 * non-finite weight, else the paper's score from the accuracy `score()` measures. Metrics hold
 * only finite numbers, since they are journaled as JSON.
 */
export function scoredOutcome(
  result: TrainResult,
  finiteWeights: boolean,
  score: () => number,
  accuracyMetric: ItemContext['accuracyMetric'],
): EvaluationOutcome {
  const finalLoss = result.losses.at(-1);
  const lossMetrics: Record<string, number> =
    finalLoss !== undefined && Number.isFinite(finalLoss)
      ? { finalLoss, lossTailMean: mean(result.losses.slice(-paper.PAPER_FITNESS.lossTail)) }
      : {};
  if (result.status === 'diverged' || !finiteWeights) {
    return {
      status: 'diverged',
      score: paper.PAPER_FITNESS.divergedScore,
      metrics: { stepsPerSecond: result.stepsPerSecond, ...lossMetrics },
      stepsCompleted: result.stepsCompleted,
    };
  }
  const accuracy = score();
  return {
    status: 'ok',
    score: paperScore(accuracy, result.losses),
    metrics: { [accuracyMetric]: accuracy, ...lossMetrics, stepsPerSecond: result.stepsPerSecond },
    stepsCompleted: result.stepsCompleted,
  };
}

/**
 * Trains a fresh model with the item's genome and scores it: the paper's
 * val_acc + 0.05·max(0, 1 − mean of the last 50 losses), or −1 with status 'diverged'.
 * The model comes from the item's seed, the batches (order, augmentation) from
 * deriveSeed('batches', seed), dropout masks from the model's seed and the step. The model and
 * the optimizer are disposed whatever happens. Every vision task evaluates its items with this.
 */
export async function evaluateItem(item: EvaluationItem, context: ItemContext): Promise<EvaluationOutcome> {
  const model = context.createModel(item.seed);
  let optimizer: tf.Optimizer | undefined;
  try {
    optimizer = createGenomeOptimizer(item.genome, { totalSteps: item.steps, registries: context.registries });
    const result = await train({
      model,
      optimizer,
      steps: item.steps,
      nextBatch: context.createBatches(deriveSeed('batches', item.seed)),
      onProgress: context.onProgress,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    return scoredOutcome(result, weightsFinite(model), () => context.score(model), context.accuracyMetric);
  } finally {
    model.dispose();
    optimizer?.dispose();
  }
}

/**
 * Starts the backend the user chose for this thread and reports what it got. initBackend checks
 * the choice, and refuses a second, different one in the same thread.
 */
export async function startBackend(context: TaskContext): Promise<BackendInfo> {
  const backend = await initBackend(context.backend as BackendChoice, context.log);
  context.report({
    backend: backend.name,
    devices: backend.devices,
    ...(backend.patches.length > 0 ? { detail: `kernel patches: ${backend.patches.join(', ')}` } : {}),
  });
  return backend;
}
