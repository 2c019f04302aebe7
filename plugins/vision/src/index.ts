import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { mnistLite } from './task/mnist-lite.js';

export { mnistLite };
export { mnistLiteOptions, type MnistLiteOptions } from './task/options.js';
export { evaluateItem, type ItemContext } from './task/evaluate-item.js';
export * from './models/index.js';
export {
  CLASS_COUNT, IMAGE_PIXELS, MNIST_MEAN, MNIST_STD, loadDigits, mnistDigitsDirectory, type Digits,
} from './data/digits.js';
export {
  SPLIT_SEED, TEST_SIZE, VALIDATION_SIZE, loadDigitSplits, permutation, splitDigits, type DigitSet, type DigitSplits,
} from './data/splits.js';
export { batchOrder, batchSource, type BatchOrder } from './data/batches.js';

/** evopt's vision tasks: `mnist-lite` (real MNIST digits, SmallCNN or MLP). */
export default definePlugin({
  name: '@evopt/plugin-vision',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  tasks: [mnistLite],
});
