// The API of @evopt/tfjs that other packages (plugin-vision, the bench) build on. The
// implementations live in backend/, kernels/, optimizer/ and train/.
import type * as tf from '@tensorflow/tfjs-core';
import type { EvaluationProgress } from '@evopt/core';

/** What a user may ask for (config `backend`, `--backend`). */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/** The backend a thread got. */
export interface BackendInfo {
  readonly name: 'tensorflow' | 'wasm' | 'cpu';
  /** For tensorflow: the devices it sees (e.g. "/GPU:0 NVIDIA H200"); for others: ["cpu"]. */
  readonly devices: readonly string[];
  /** Kernel patches registered for this backend, e.g. "wasm:Conv2DBackpropFilter". */
  readonly patches: readonly string[];
  /** Why earlier candidates of `auto` were skipped, one line each. */
  readonly skipped: readonly string[];
}

/** A model the training loop can train: logits from inputs, and the variables to optimise. */
export interface TrainableModel {
  /** Logits [batch, classes]; `training` turns dropout (and batch-norm updates) on. */
  apply(x: tf.Tensor, training: boolean): tf.Tensor;
  readonly trainableVariables: readonly tf.Variable[];
  dispose(): void;
}

/** What a forward pass knows besides its input. */
export interface ForwardContext {
  /** Training mode: dropout on, batch norm on batch statistics (and returning new running statistics). */
  readonly training: boolean;
  /** 0-based training step. Per-step randomness (dropout masks) derives from it, never from a call count. */
  readonly step: number;
}

export interface ForwardResult {
  /** Logits [batch, classes]. */
  readonly logits: tf.Tensor;
  /**
   * The buffers after this pass, in the order of {@link FunctionalModel.buffers}: new running
   * statistics after a training pass, the given buffers themselves after an inference pass.
   */
  readonly buffers: readonly tf.Tensor[];
}

/**
 * A model written as a pure function of its parameters and buffers. The same forward runs one
 * model (on its own variables) or one member of a population (on its slice of stacked variables),
 * which is how population training keeps exactly the single-model semantics.
 */
export interface FunctionalModel extends TrainableModel {
  /** Trainable parameters in a fixed order; the same list as `trainableVariables`. */
  readonly parameters: readonly tf.Variable[];
  /** Non-trainable state in a fixed order, such as batch norm's running mean and variance. */
  readonly buffers: readonly tf.Variable[];
  /** Logits and updated buffers, from these parameters and buffers; allocates, so call it inside `tf.tidy`. */
  forward(
    parameters: readonly tf.Tensor[],
    buffers: readonly tf.Tensor[],
    x: tf.Tensor,
    context: ForwardContext,
  ): ForwardResult;
}

export interface TrainingBatch {
  readonly x: tf.Tensor;
  /** Integer class labels, int32 [batch]. */
  readonly y: tf.Tensor;
}

export interface TrainOptions {
  readonly model: TrainableModel;
  readonly optimizer: tf.Optimizer;
  readonly steps: number;
  /** The batch for a step; the caller owns ordering (seeded) and the returned tensors are disposed by the loop. */
  readonly nextBatch: (step: number) => TrainingBatch;
  readonly onProgress?: (progress: EvaluationProgress) => void;
  /** Minimum ms between progress reports (default 250). */
  readonly progressIntervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface TrainResult {
  /** 'diverged' when a loss was NaN, ±Inf or > 50 (the paper's rule); training stops there. */
  readonly status: 'ok' | 'diverged';
  /** Training loss of every completed step. */
  readonly losses: readonly number[];
  readonly stepsCompleted: number;
  readonly stepsPerSecond: number;
}
