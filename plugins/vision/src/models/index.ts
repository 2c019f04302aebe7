import type { TrainableModel } from '@evopt/tfjs';
import { Mlp } from './mlp.js';
import { SmallCnn } from './small-cnn.js';

/** The vision models a task can train: the paper's SmallCNN, or the 784-128-10 MLP. */
export type VisionModelKind = 'cnn' | 'mlp';
export const VISION_MODEL_KINDS: readonly VisionModelKind[] = ['cnn', 'mlp'];

/** A fresh model of `kind`, initialised from `seed` (the evaluation item's seed). */
export function createVisionModel(kind: VisionModelKind, seed: number): TrainableModel {
  return kind === 'cnn' ? new SmallCnn(seed) : new Mlp(seed);
}

export { Mlp, MLP_HIDDEN } from './mlp.js';
export { SmallCnn, SMALL_CNN_DROPOUT } from './small-cnn.js';
export { SeededDropout } from './dropout.js';
export { pytorchUniform } from './init.js';
