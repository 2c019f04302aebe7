import { numberOps } from '../plugin/ops.js';
import type { ReadonlyRegistries } from '../registry/registries.js';
import type { Genome } from './schema.js';
import { bindGenome, genomeStep, initialStepState, learningRate, type BoundGenome, type StepState } from './step.js';

/**
 * The genome's optimizer on plain numbers, one scalar at a time: the reference semantics that
 * tests hold every backend to, and the engine of the deterministic test-double task.
 */
export class ReferenceOptimizer {
  private readonly bound: BoundGenome;
  private states: StepState<number>[] | null = null;
  private t = 0;

  constructor(
    genome: Genome,
    registries: Pick<ReadonlyRegistries, 'primitives' | 'schedules'>,
    private readonly totalSteps: number,
  ) {
    this.bound = bindGenome(genome, registries);
  }

  get step(): number {
    return this.t;
  }

  /** Applies one update to `weights` given `gradients`; returns the new weights. */
  update(weights: readonly number[], gradients: readonly number[]): number[] {
    this.states ??= weights.map((w) => initialStepState(this.bound, numberOps, w));
    const eta = learningRate(this.bound, this.t, this.totalSteps);
    const next = weights.map((w, i) => {
      const result = genomeStep(
        this.bound,
        numberOps,
        w,
        gradients[i] ?? 0,
        this.states?.[i] as StepState<number>,
        this.t,
        eta,
      );
      (this.states as StepState<number>[])[i] = result.state;
      return result.w;
    });
    this.t += 1;
    return next;
  }
}
