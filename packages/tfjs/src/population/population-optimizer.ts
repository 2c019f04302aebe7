import * as tf from '@tensorflow/tfjs-core';
import { bindGenome, EvoptError, learningRate, type BoundGenome, type Genome, type PrimitiveInputs } from '@evopt/core';
import type { GenomeOptimizerOptions } from '../optimizer/genome-optimizer.js';
import { tensorOps } from '../optimizer/tensor-ops.js';
import {
  MemberConstants,
  planPopulation,
  select,
  stepNumbers,
  type PopulationPlan,
  type StepNumbers,
} from './genome-plan.js';

/** The optimizer state of one stacked variable [P, …]; each entry a non-trainable tf.Variable of that shape. */
interface StackedState {
  /** Present when any member's genome keeps m (v). */
  readonly m: tf.Variable | null;
  readonly v: tf.Variable | null;
  /** slots[unionTermIndex][slotName] */
  readonly slots: readonly Readonly<Record<string, tf.Variable>>[];
}

let instances = 0;

/**
 * P genomes as one optimizer over stacked variables [P, …shape], member p's parameters at index
 * p of the leading axis. The genomes may differ in everything: terms, useM/useV, bias
 * correction, clipping, weight decay, schedule, primitive options. Each step computes, for every
 * member, exactly core's `genomeStep` (what {@link GenomeOptimizer} computes for that genome
 * alone): per-member constants become [P, 1, …] operands, each distinct term is evaluated once
 * on the whole stack, and `tf.where` picks what each member uses, so a term that is NaN for a
 * member that does not have it cannot reach that member.
 *
 * A member marked inactive ({@link setActive}, e.g. once its loss diverged) is frozen: its
 * parameters and optimizer state stop changing while the others go on.
 */
export class PopulationGenomeOptimizer {
  readonly bound: readonly BoundGenome[];
  readonly totalSteps: number;
  readonly size: number;
  private readonly plan: PopulationPlan;
  private readonly activeMembers: boolean[];
  private readonly prefix = `population-optimizer-${++instances}`;
  private readonly states = new Map<string, StackedState>();
  private iterations = 0;

  constructor(genomes: readonly Genome[], options: GenomeOptimizerOptions) {
    if (genomes.length === 0) {
      throw new EvoptError('INTERNAL', 'PopulationGenomeOptimizer needs at least one genome, got none.', {
        fix: 'Pass the genomes of the members, one per slice of the stacked variables.',
      });
    }
    if (!Number.isInteger(options.totalSteps) || options.totalSteps < 1) {
      throw new EvoptError(
        'INTERNAL',
        `PopulationGenomeOptimizer needs totalSteps as a positive integer, got ${options.totalSteps}.`,
        {
          fix: 'Pass the number of training steps the run will take; the schedules need it.',
        },
      );
    }
    this.bound = genomes.map((genome) => bindGenome(genome, options.registries));
    this.totalSteps = options.totalSteps;
    this.size = genomes.length;
    this.plan = planPopulation(this.bound, options.registries);
    this.activeMembers = genomes.map(() => true);
  }

  /** The 0-based step the next update will take (the number of updates applied so far). */
  get step(): number {
    return this.iterations;
  }

  /** η of each member at the next update. */
  get currentLearningRates(): number[] {
    return this.bound.map((b) => learningRate(b, this.step, this.totalSteps));
  }

  /** active[p]: whether member p is still updated. */
  get active(): readonly boolean[] {
    return [...this.activeMembers];
  }

  /** Freezes (false) or resumes (true) member p: a frozen member's parameters and state do not change. */
  setActive(member: number, active: boolean): void {
    if (!Number.isInteger(member) || member < 0 || member >= this.size) {
      throw new EvoptError('INTERNAL', `Population member ${member} does not exist; members are 0…${this.size - 1}.`, {
        fix: 'Pass the index of a member, its position in the genomes given to the optimizer.',
      });
    }
    this.activeMembers[member] = active;
  }

  /**
   * One update of every stacked variable in `gradients` (keyed by variable name, as
   * `tf.variableGrads` returns them; [P, …] like the variable), then the step counter advances.
   */
  applyGradients(gradients: tf.NamedTensorMap): void {
    const numbers = stepNumbers(this.bound, this.step, this.totalSteps);
    tf.tidy(() => {
      const constants = new MemberConstants(this.size);
      for (const [name, gradient] of Object.entries(gradients)) {
        // Like minimize(): a variable the loss does not depend on has no gradient and stays as it is.
        if ((gradient as tf.Tensor | undefined) == null) continue;
        const variable = this.stackedVariable(name, gradient);
        this.update(variable, gradient, this.stateFor(name, variable), numbers, constants);
      }
    });
    this.iterations++;
  }

  /** The state variables of one stacked variable: `m`, `v`, `term<k>.<slot>` (k: distinct term index); for tests and tools. */
  stateVariables(variableName: string): Readonly<Record<string, tf.Variable>> {
    const state = this.states.get(variableName);
    return state ? Object.fromEntries(namedState(state)) : {};
  }

  /** Frees every state variable; state starts from zero if the optimizer is used again. */
  dispose(): void {
    for (const state of this.states.values()) for (const [, variable] of namedState(state)) variable.dispose();
    this.states.clear();
  }

  private update(
    variable: tf.Variable,
    gradient: tf.Tensor,
    state: StackedState,
    numbers: StepNumbers,
    k: MemberConstants,
  ): void {
    const rank = variable.rank;
    const genomes = this.bound.map((b) => b.genome);
    const value = (name: string, values: readonly number[]) => k.value(name, values, rank);
    const mask = (name: string, flags: readonly boolean[]) => k.mask(name, flags, variable.shape);
    const activeFlags = this.activeMembers;

    // clip g → decoupled weight decay → m, v → bias correction → slots → w − η·Σ αₖ·Tₖ, as genomeStep.
    let g = gradient;
    if (genomes.some((genome) => genome.clip !== null)) {
      const low = value(
        'clipLow',
        genomes.map((genome) => (genome.clip === null ? -Infinity : -genome.clip)),
      );
      const high = value(
        'clipHigh',
        genomes.map((genome) => (genome.clip === null ? Infinity : genome.clip)),
      );
      g = select(
        mask(
          'clip',
          genomes.map((genome) => genome.clip !== null),
        ),
        tf.minimum(tf.maximum(gradient, low), high),
        gradient,
      );
    }
    let next: tf.Tensor = variable;
    if (genomes.some((genome) => genome.weightDecay > 0)) next = tf.mul(variable, value('decay', numbers.decay));

    const beta1 = value(
      'beta1',
      genomes.map((genome) => genome.beta1),
    );
    const beta2 = value(
      'beta2',
      genomes.map((genome) => genome.beta2),
    );
    // m = EMA_β1(g) for members that keep m, g for the others; the state moves only for active members that keep it.
    let m = g;
    let mState: tf.Tensor | null = null;
    if (state.m) {
      const ema = tf.add(
        tf.mul(state.m, beta1),
        tf.mul(
          g,
          value(
            'oneMinusBeta1',
            genomes.map((genome) => 1 - genome.beta1),
          ),
        ),
      );
      m = select(
        mask(
          'useM',
          genomes.map((genome) => genome.useM),
        ),
        ema,
        g,
      );
      mState = select(
        mask(
          'm.update',
          genomes.map((genome, p) => genome.useM && (activeFlags[p] as boolean)),
        ),
        ema,
        state.m,
      );
    }
    const g2 = tf.square(g);
    let v = g2;
    let vState: tf.Tensor | null = null;
    if (state.v) {
      const ema = tf.add(
        tf.mul(state.v, beta2),
        tf.mul(
          g2,
          value(
            'oneMinusBeta2',
            genomes.map((genome) => 1 - genome.beta2),
          ),
        ),
      );
      v = select(
        mask(
          'useV',
          genomes.map((genome) => genome.useV),
        ),
        ema,
        g2,
      );
      vState = select(
        mask(
          'v.update',
          genomes.map((genome, p) => genome.useV && (activeFlags[p] as boolean)),
        ),
        ema,
        state.v,
      );
    }
    if (numbers.mCorrection.some((c) => c !== 1)) m = tf.div(m, value('mCorrection', numbers.mCorrection));
    if (numbers.vCorrection.some((c) => c !== 1)) v = tf.div(v, value('vCorrection', numbers.vCorrection));

    const step = this.step;
    const base = {
      g,
      m,
      v,
      eps: value(
        'eps',
        genomes.map((genome) => genome.eps),
      ),
      beta1,
      beta2,
      step,
    };
    const values: tf.Tensor[] = [];
    const slots = this.plan.terms.map(({ term }, index) => {
      const previous = state.slots[index] ?? {};
      const updated: Record<string, tf.Tensor> = {};
      for (const slot of term.state ?? [])
        updated[slot.name] = slot.update({ ...base, state: previous } as PrimitiveInputs<tf.Tensor>, tensorOps);
      values.push(term.apply({ ...base, state: { ...previous, ...updated } } as PrimitiveInputs<tf.Tensor>, tensorOps));
      return updated;
    });

    let direction: tf.Tensor | null = null;
    this.plan.positions.forEach((position, j) => {
      const used = [...new Set(position.filter((index) => index >= 0))];
      let picked = values[used[0] as number] as tf.Tensor;
      for (const index of used.slice(1)) {
        picked = select(
          mask(
            `position${j}.term${index}`,
            position.map((i) => i === index),
          ),
          values[index] as tf.Tensor,
          picked,
        );
      }
      const contribution = select(
        mask(
          `position${j}`,
          position.map((i) => i >= 0),
        ),
        tf.mul(picked, value(`alpha${j}`, this.plan.alphas[j] as number[])),
        0,
      );
      direction = direction === null ? contribution : tf.add(direction, contribution);
    });
    if (direction !== null) next = tf.sub(next, tf.mul(direction, value('eta', numbers.eta)));

    // A frozen member keeps its weights and state: its update is computed with the others' and dropped.
    assign(variable, select(mask('active', activeFlags), next, variable));
    if (state.m && mState) assign(state.m, mState);
    if (state.v && vState) assign(state.v, vState);
    this.plan.terms.forEach(({ uses }, index) => {
      const keep = mask(
        `term${index}.update`,
        uses.map((u, p) => u && (activeFlags[p] as boolean)),
      );
      for (const [slotName, slotVariable] of Object.entries(state.slots[index] ?? {})) {
        const updated = slots[index]?.[slotName];
        if (updated) assign(slotVariable, select(keep, updated, slotVariable));
      }
    });
  }

  private stackedVariable(name: string, gradient: tf.Tensor): tf.Variable {
    const variable = tf.engine().registeredVariables[name];
    if (!variable) {
      throw new EvoptError(
        'INTERNAL',
        `PopulationGenomeOptimizer got a gradient for "${name}", which is not a registered tf.Variable.`,
        {
          fix: 'Pass gradients keyed by the names of live variables, as tf.variableGrads returns them.',
        },
      );
    }
    if (variable.shape[0] !== this.size || gradient.shape.join() !== variable.shape.join()) {
      throw new EvoptError(
        'INTERNAL',
        `PopulationGenomeOptimizer needs stacked variables [${this.size}, …] and gradients of the same shape; "${name}" is [${variable.shape.join(', ')}] with a gradient [${gradient.shape.join(', ')}].`,
        {
          fix: 'Train a StackedModel made with as many members as the optimizer has genomes.',
        },
      );
    }
    return variable;
  }

  private stateFor(name: string, variable: tf.Variable): StackedState {
    const existing = this.states.get(name);
    if (existing) return existing;
    const create = (suffix: string, init: number): tf.Variable =>
      tf.tidy(() => tf.variable(tf.fill(variable.shape, init, 'float32'), false, `${this.prefix}/${name}/${suffix}`));
    const genomes = this.bound.map((b) => b.genome);
    const state: StackedState = {
      m: genomes.some((genome) => genome.useM) ? create('m', 0) : null,
      v: genomes.some((genome) => genome.useV) ? create('v', 0) : null,
      slots: this.plan.terms.map(({ term }, index) =>
        Object.fromEntries(
          (term.state ?? []).map((slot) => [slot.name, create(`term${index}.${slot.name}`, slot.init)]),
        ),
      ),
    };
    this.states.set(name, state);
    return state;
  }
}

function namedState(state: StackedState): [string, tf.Variable][] {
  const named: [string, tf.Variable][] = [];
  if (state.m) named.push(['m', state.m]);
  if (state.v) named.push(['v', state.v]);
  state.slots.forEach((slots, index) => {
    for (const [slotName, variable] of Object.entries(slots)) named.push([`term${index}.${slotName}`, variable]);
  });
  return named;
}

/** variable ← value, except when value is the variable itself (a self-assign would free its data). */
function assign(variable: tf.Variable, value: tf.Tensor): void {
  if (value !== variable && value.dataId !== variable.dataId) variable.assign(value);
}
