import { z } from 'zod';

/** Options of `mnist-lite`; every field has a default, so `{}` is a valid configuration. */
export const mnistLiteOptions = z.strictObject({
  /** The network trained: the paper's SmallCNN, or the faster 784-128-10 MLP. */
  model: z.enum(['cnn', 'mlp']).default('mlp'),
  /** Training batch size (the paper uses 128). */
  batchSize: z.int().min(1).max(4_096).default(128),
  /**
   * Where accuracy is measured. 'validation' (held out of training) drives the search; 'test' is
   * for final reports only, so that a selected genome is never scored on what selected it.
   */
  split: z.enum(['validation', 'test']).default('validation'),
});

export type MnistLiteOptions = z.output<typeof mnistLiteOptions>;
