import * as tf from '@tensorflow/tfjs-core';
import { EvoptError } from '@evopt/core';
import type { ForwardContext, FunctionalModel, TrainableModel } from '../contracts.js';
import { MemberConstants, select } from './genome-plan.js';

/** What a forward pass of all members gives. */
export interface StackedForwardResult {
  /** Logits [P, batch, classes]: member p's logits at index p. */
  readonly logits: tf.Tensor;
  /** Buffers [P, …] in the template's order: new ones after a training pass, the stacked variables themselves after inference. */
  readonly buffers: readonly tf.Tensor[];
}

/**
 * P copies of a {@link FunctionalModel}, their parameters and buffers stacked into variables
 * [P, …shape]: the population that {@link PopulationGenomeOptimizer} updates and
 * `trainPopulation` trains. Every member starts from the template's current values (common random
 * numbers: the members of a group share the seed, hence the initial weights), and each member's
 * pass is the template's own `forward` on its slice, with the same context, so it computes what
 * the template would alone.
 *
 * The template stays the caller's: its forward (and anything it holds, such as dropout seeds) is
 * used, its variables are not. Keep it alive while this model is used.
 */
export class StackedModel {
  readonly parameters: readonly tf.Variable[];
  readonly buffers: readonly tf.Variable[];
  private trainingSteps = 0;

  constructor(
    readonly template: FunctionalModel,
    readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new EvoptError('INTERNAL', `A StackedModel needs a positive integer number of members, got ${size}.`, {
        fix: 'Pass the number of genomes trained together.',
      });
    }
    // stack, not tile: the same values, and a plain copy on every backend (wasm's Tile is slow).
    const stackedCopy = (variable: tf.Variable, trainable: boolean): tf.Variable =>
      tf.tidy(() => tf.variable(tf.stack(Array.from({ length: size }, () => variable)), trainable));
    this.parameters = template.parameters.map((variable) => stackedCopy(variable, true));
    this.buffers = template.buffers.map((variable) => stackedCopy(variable, false));
  }

  /** Training passes committed so far: the step of the next one. */
  get step(): number {
    return this.trainingSteps;
  }

  /**
   * Every member's pass over the same input `x`: the template's forward on each member's slice of
   * the parameters and buffers. Allocates, so call it inside `tf.tidy` (or a gradient function).
   */
  forward(x: tf.Tensor, context: ForwardContext): StackedForwardResult {
    const parameters = this.parameters.map((variable) => this.members(variable));
    const buffers = this.buffers.map((variable) => this.members(variable));
    const slice = (stacked: tf.Tensor[][], member: number): tf.Tensor[] =>
      stacked.map((members) => members[member] as tf.Tensor);
    const results = Array.from({ length: this.size }, (_, member) =>
      this.template.forward(slice(parameters, member), slice(buffers, member), x, context),
    );
    return {
      logits: tf.stack(results.map((result) => result.logits)),
      buffers: context.training
        ? this.buffers.map((_, index) => tf.stack(results.map((result) => result.buffers[index] as tf.Tensor)))
        : this.buffers,
    };
  }

  /** Each member's slice of a stacked tensor: one op, whose gradient stacks the members' gradients. */
  private members(stacked: tf.Tensor): tf.Tensor[] {
    // tfjs hands a one-output op's gradient function a tensor, not a list, which Unpack's cannot take.
    return this.size === 1 ? [tf.reshape(stacked, stacked.shape.slice(1))] : tf.unstack(stacked);
  }

  /**
   * Ends a training step: writes a training pass's new buffers back, except for inactive members
   * (`active[p]` false), whose buffers stay frozen, and advances {@link step}.
   */
  commitStep(buffers: readonly tf.Tensor[], active: readonly boolean[] = fill(this.size, true)): void {
    if (active.length !== this.size) {
      throw new EvoptError(
        'INTERNAL',
        `commitStep needs one active flag per member (${this.size}), got ${active.length}.`,
        {
          fix: "Pass the optimizer's active mask, as trainPopulation does.",
        },
      );
    }
    tf.tidy(() => {
      const constants = new MemberConstants(this.size);
      this.buffers.forEach((variable, index) => {
        const value = buffers[index];
        if (!value || value === variable) return;
        const next = select(constants.mask('active', active, variable.shape), value, variable);
        if (next !== variable) variable.assign(next);
      });
    });
    this.trainingSteps++;
  }

  /**
   * Member p as a model for scoring: inference passes on its slice (`evaluateAccuracy` takes it).
   * It owns nothing (disposing it does nothing) and cannot be trained on its own.
   */
  member(p: number): TrainableModel {
    if (!Number.isInteger(p) || p < 0 || p >= this.size) {
      throw new EvoptError('INTERNAL', `Population member ${p} does not exist; members are 0…${this.size - 1}.`, {
        fix: 'Pass the index of a member of the stacked model.',
      });
    }
    const sliceOf = (variable: tf.Variable): tf.Tensor =>
      tf.reshape(tf.slice(variable, [p], [1]), variable.shape.slice(1));
    return {
      apply: (x, training) => {
        if (training) {
          throw new EvoptError('INTERNAL', 'A population member cannot take a training pass on its own.', {
            fix: 'Train the members together with trainPopulation; use member(p) for inference only.',
          });
        }
        return tf.tidy(
          () =>
            this.template.forward(this.parameters.map(sliceOf), this.buffers.map(sliceOf), x, {
              training: false,
              step: this.step,
            }).logits,
        );
      },
      trainableVariables: [],
      dispose: () => undefined,
    };
  }

  /** finite[p]: whether every parameter of member p is finite (the last update can break a member whose loss was still finite). */
  membersFinite(): boolean[] {
    const finite = tf.tidy(() => {
      const perVariable = this.parameters.map((variable) =>
        tf.all(tf.isFinite(tf.reshape(variable, [this.size, -1])), 1),
      );
      return perVariable.reduce((all, next) => tf.logicalAnd(all, next), tf.ones([this.size], 'bool'));
    });
    const values = Array.from(finite.dataSync(), (v) => v !== 0);
    finite.dispose();
    return values;
  }

  /** Frees the stacked variables (not the template). */
  dispose(): void {
    tf.dispose([...this.parameters, ...this.buffers]);
  }
}

function fill(size: number, value: boolean): boolean[] {
  return Array.from({ length: size }, () => value);
}
