import { z } from 'zod';
import { paper } from '@evopt/core';
import { IMAGE_TRAIN_SUBSET, IMAGE_VALIDATION_SIZE } from '../data/image-splits.js';

// The fields every image task shares; each has a default, so `{}` is a valid configuration.
const shared = {
  /** Training batch size (the paper uses 128). */
  batchSize: z.int().min(1).max(4_096).default(paper.PAPER_TASKS.batchSize),
  /** Images trained on, taken from the official train split after the validation images (the paper: 15,000). */
  trainSubset: z.int().min(1).default(IMAGE_TRAIN_SUBSET),
  /** Images of the official train split held out for search fitness. */
  validationSize: z.int().min(1).default(IMAGE_VALIDATION_SIZE),
  /**
   * Where accuracy is measured. 'validation' (held out of training) drives the search; 'test'
   * (the official test set) is for final reports only, so a genome is never scored on what selected it.
   */
  split: z.enum(['validation', 'test']).default('validation'),
  /**
   * How many genomes one worker trains together, stacked into one population model. 'auto' stacks
   * every same-seed genome of an evaluator batch when the backend is tensorflow on a GPU and trains
   * one at a time elsewhere; a number forces that many (1: never stack). Results do not depend on it.
   */
  population: z.union([z.literal('auto'), z.int().min(1)]).default('auto'),
};

/** Options of `mnist` and `fashion-mnist` (28×28 grey images). */
export const mnistOptions = z.strictObject({
  /** The paper's SmallCNN, or the faster 784-128-10 MLP. */
  model: z.enum(['cnn', 'mlp']).default('cnn'),
  ...shared,
});

/** Options of `cifar10` (32×32 colour images). */
export const cifar10Options = z.strictObject({
  /** The paper's CIFAR-10 network (2×conv32 with BN, 2×conv64 with BN, fc512). */
  model: z.enum(['cifar-cnn']).default('cifar-cnn'),
  ...shared,
  /** Random crop (4 pixels of padding) and horizontal flip of training images, as the paper trains. */
  augment: z.boolean().default(true),
});

export type MnistOptions = z.output<typeof mnistOptions>;
export type Cifar10Options = z.output<typeof cifar10Options>;
/** The options of any image task; MNIST-like ones have no augmentation. */
export type ImageTaskOptions = MnistOptions | Cifar10Options;
