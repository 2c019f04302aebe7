/**
 * Training-step throughput and a per-kernel profile on the current backend, for `npm run bench`.
 * A step is what the training loop does per batch: forward, softmax cross-entropy, gradients,
 * Adam update, and reading the loss back. One extra step runs under tf.profile.
 */
import * as tf from '@tensorflow/tfjs-core';
// The tfjs-core Node bundle registers no gradient functions; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers';
import type { TrainableModel } from '../contracts.js';

/** How long to measure. */
export interface BenchOptions {
  /** Examples per step (default 128, as in the paper). */
  readonly batch?: number;
  /** Timed steps (default 20). */
  readonly steps?: number;
  /** Untimed steps first, so one-off setup (wasm operator caches, allocation) is excluded (default 3). */
  readonly warmupSteps?: number;
}

/** One benchmark's outcome. */
export interface BenchResult {
  readonly backend: string;
  readonly batch: number;
  readonly stepsPerSecond: number;
  readonly msPerStep: number;
  /** Kernel time of one profiled step, by kernel, largest first. */
  readonly profile: readonly { readonly kernel: string; readonly ms: number }[];
}

/**
 * Times training steps of `model` on random inputs of shape [batch, ...inputShape] with 10
 * classes, and profiles one more step by kernel. The model is disposed afterwards.
 */
export async function benchTrainingStep(
  model: TrainableModel,
  inputShape: readonly number[],
  options: BenchOptions = {},
): Promise<BenchResult> {
  const batch = options.batch ?? 128;
  const steps = options.steps ?? 20;
  const warmupSteps = options.warmupSteps ?? 3;
  const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 7);
  const labels = tf.tidy(() => tf.oneHot(tf.cast(tf.randomUniform([batch], 0, 10, 'float32', 8), 'int32'), 10));
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, true)) as tf.Scalar,
      true,
      [...model.trainableVariables],
    );
    loss?.dataSync();
    loss?.dispose();
  };
  try {
    for (let i = 0; i < warmupSteps; i++) step();
    const started = performance.now();
    for (let i = 0; i < steps; i++) step();
    const msPerStep = (performance.now() - started) / steps;
    const info = await tf.profile(step);
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
    }
    const profile = [...byKernel]
      .map(([kernel, ms]) => ({ kernel, ms: Math.round(ms * 10) / 10 }))
      .sort((a, b) => b.ms - a.ms);
    return { backend: tf.getBackend(), batch, msPerStep, stepsPerSecond: 1000 / msPerStep, profile };
  } finally {
    tf.dispose([x, labels]);
    optimizer.dispose();
    model.dispose();
  }
}
