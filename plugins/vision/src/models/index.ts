import type { FunctionalModel } from '@evopt/tfjs';
import { CifarCnn } from './cifar-cnn.js';
import { Mlp } from './mlp.js';
import { SmallCnn } from './small-cnn.js';

/**
 * The vision models a task can train: the paper's SmallCNN or the 784-128-10 MLP (28×28×1
 * images), or the paper's CIFAR-10 network (32×32×3 images).
 */
export type VisionModelKind = 'cnn' | 'mlp' | 'cifar-cnn';
export const VISION_MODEL_KINDS: readonly VisionModelKind[] = ['cnn', 'mlp', 'cifar-cnn'];

/** A fresh model of `kind`, initialised from `seed` (the evaluation item's seed). */
export function createVisionModel(kind: VisionModelKind, seed: number): FunctionalModel {
  switch (kind) {
    case 'cnn':
      return new SmallCnn(seed);
    case 'mlp':
      return new Mlp(seed);
    case 'cifar-cnn':
      return new CifarCnn(seed);
  }
}

export { Mlp, MLP_HIDDEN } from './mlp.js';
export { SmallCnn, SMALL_CNN_DROPOUT } from './small-cnn.js';
export {
  BATCH_NORM_EPSILON,
  BATCH_NORM_MOMENTUM,
  CIFAR_CNN_DROPOUT,
  CifarCnn,
  batchNorm,
  type BatchNormParams,
  type BatchNormResult,
} from './cifar-cnn.js';
export { SeededDropout } from './dropout.js';
export { pytorchUniform } from './init.js';
