import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, mean, paper, paperScore, Rng } from '@evopt/core';
import type { EvaluationItem, EvaluationOutcome, EvaluationProgress, ReadonlyRegistries } from '@evopt/core';
import { createGenomeOptimizer, evaluateAccuracy, train } from '@evopt/tfjs';
import type { TrainableModel } from '@evopt/tfjs';
import { batchSource } from '../data/batches.js';
import type { DigitSet } from '../data/splits.js';
import { createVisionModel } from '../models/index.js';
import type { MnistLiteOptions } from './options.js';

/** Rows per forward pass when measuring accuracy: bounds the CNN's activation memory. */
const EVALUATION_BATCH = 250;

/** What one evaluation needs from its task instance. */
export interface ItemContext {
  readonly options: MnistLiteOptions;
  readonly registries: ReadonlyRegistries;
  readonly train: DigitSet;
  /** The scored split as tensors: x [n, 784] float32, y [n] int32. */
  readonly scoredX: tf.Tensor2D;
  readonly scoredY: tf.Tensor1D;
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
 * Trains a fresh model with the item's genome and scores it: the paper's
 * val_acc + 0.05·max(0, 1 − mean of the last 50 losses), or −1 with status 'diverged'.
 * Model, batch order and dropout masks all derive from the item's seed; the model and the
 * optimizer are disposed whatever happens.
 */
export async function evaluateItem(item: EvaluationItem, context: ItemContext): Promise<EvaluationOutcome> {
  const { options } = context;
  const model = createVisionModel(options.model, item.seed);
  let optimizer: tf.Optimizer | undefined;
  try {
    optimizer = createGenomeOptimizer(item.genome, { totalSteps: item.steps, registries: context.registries });
    const nextBatch = batchSource(context.train, options.batchSize, Rng.fromSeed(deriveSeed('batches', item.seed)));
    const result = await train({
      model,
      optimizer,
      steps: item.steps,
      nextBatch,
      onProgress: context.onProgress,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    const finalLoss = result.losses.at(-1);
    // Only finite numbers in metrics: they are journaled as JSON.
    const lossMetrics: Record<string, number> = finalLoss !== undefined && Number.isFinite(finalLoss)
      ? { finalLoss, lossTailMean: mean(result.losses.slice(-paper.PAPER_FITNESS.lossTail)) }
      : {};
    if (result.status === 'diverged' || !weightsFinite(model)) {
      return {
        status: 'diverged',
        score: paper.PAPER_FITNESS.divergedScore,
        metrics: { stepsPerSecond: result.stepsPerSecond, ...lossMetrics },
        stepsCompleted: result.stepsCompleted,
      };
    }
    const accuracy = evaluateAccuracy(model, context.scoredX, context.scoredY, EVALUATION_BATCH);
    return {
      status: 'ok',
      score: paperScore(accuracy, result.losses),
      metrics: {
        [options.split === 'test' ? 'testAccuracy' : 'valAccuracy']: accuracy,
        ...lossMetrics,
        stepsPerSecond: result.stepsPerSecond,
      },
      stepsCompleted: result.stepsCompleted,
    };
  } finally {
    model.dispose();
    optimizer?.dispose();
  }
}
