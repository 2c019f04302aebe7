import * as tf from '@tensorflow/tfjs-core';
import {
  bindGenome,
  EvoptError,
  genomeStep,
  learningRate,
  type BoundGenome,
  type Genome,
  type ReadonlyRegistries,
  type StepState,
} from '@evopt/core';
import './gradients.js';
import { tensorOps } from './tensor-ops.js';

/** What {@link createGenomeOptimizer} needs besides the genome. */
export interface GenomeOptimizerOptions {
  /** T of the schedule: the number of steps the run will take. */
  readonly totalSteps: number;
  /** Where the genome's primitives and schedule are looked up. */
  readonly registries: Pick<ReadonlyRegistries, 'primitives' | 'schedules'>;
}

/** The optimizer state of one trainable variable, each entry a non-trainable tf.Variable. */
interface ParameterState {
  readonly m: tf.Variable | null;
  readonly v: tf.Variable | null;
  /** slots[termIndex][slotName] */
  readonly slots: readonly Readonly<Record<string, tf.Variable>>[];
}

/** tfjs's `{ name, tensor }` pair, which tfjs-core does not export by name. */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

let instances = 0;

/**
 * A genome as a TensorFlow.js optimizer. Each step runs core's `genomeStep` over
 * {@link tensorOps}, so it computes exactly the update of core's `ReferenceOptimizer`:
 * clip → decoupled weight decay → m, v → bias correction → state slots → w − η·Σ αₖ·Tₖ,
 * with η from the genome's schedule at the optimizer's step counter.
 *
 * State (m when `useM`, v when `useV`, every state slot of every term) lives in non-trainable
 * variables, created on the first gradient a trainable variable receives. Their names are
 * `<variable>/m`, `<variable>/v` and `<variable>/term<k>.<slot>` in {@link getWeights}; the
 * tf.Variables themselves carry a per-optimizer prefix (`genome-optimizer-<n>/…`) so that two
 * optimizers over the same model never clash.
 */
export class GenomeOptimizer extends tf.Optimizer {
  /** Serialization name (tfjs `getClassName`). */
  static get className(): string {
    return 'EvoptGenomeOptimizer';
  }

  readonly bound: BoundGenome;
  readonly totalSteps: number;
  private readonly prefix = `genome-optimizer-${++instances}`;
  private readonly states = new Map<string, ParameterState>();

  constructor(genome: Genome, options: GenomeOptimizerOptions) {
    super();
    if (!Number.isInteger(options.totalSteps) || options.totalSteps < 1) {
      throw new EvoptError(
        'INTERNAL',
        `GenomeOptimizer needs totalSteps as a positive integer, got ${options.totalSteps}.`,
        {
          fix: 'Pass the number of training steps the run will take; the schedule needs it.',
        },
      );
    }
    this.bound = bindGenome(genome, options.registries);
    this.totalSteps = options.totalSteps;
  }

  /** The 0-based step the next update will take (the number of updates applied so far). */
  get step(): number {
    return this.iterations;
  }

  /** η of the next update. */
  get currentLearningRate(): number {
    return learningRate(this.bound, this.step, this.totalSteps);
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map((named) => [named.name, named.tensor])
      : Object.entries(variableGradients);
    const step = this.step;
    const eta = learningRate(this.bound, step, this.totalSteps);
    tf.tidy(() => {
      for (const [name, gradient] of entries) {
        // minimize() passes undefined for a variable the loss does not depend on: leave it alone.
        if (gradient == null) continue;
        const variable = registeredVariable(name);
        const state = this.stateFor(name, variable);
        const current: StepState<tf.Tensor> = {
          // Without m (v), genomeStep never reads the slot, so the gradient stands in for it.
          m: state.m ?? gradient,
          v: state.v ?? gradient,
          slots: state.slots,
        };
        const next = genomeStep(this.bound, tensorOps, variable as tf.Tensor, gradient, current, step, eta);
        assign(variable, next.w);
        if (state.m) assign(state.m, next.state.m);
        if (state.v) assign(state.v, next.state.v);
        state.slots.forEach((slots, index) => {
          for (const [slotName, slotVariable] of Object.entries(slots)) {
            const value = next.state.slots[index]?.[slotName];
            if (value) assign(slotVariable, value);
          }
        });
      }
    });
    this.incrementIterations();
  }

  /** The state variables of one trainable variable, by their names in {@link getWeights}; for tests and tools. */
  stateVariables(variableName: string): Readonly<Record<string, tf.Variable>> {
    const state = this.states.get(variableName);
    return state ? Object.fromEntries(this.namedState(variableName, state)) : {};
  }

  /** Frees every state variable. The optimizer may be used again: state is recreated from zero. */
  override dispose(): void {
    for (const [name, state] of this.states)
      for (const [, variable] of this.namedState(name, state)) variable.dispose();
    this.states.clear();
    super.dispose();
  }

  /** [iterations, then per trainable variable: m, v, term slots], named as described on the class. */
  override async getWeights(): Promise<NamedTensor[]> {
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const [name, state] of this.states) {
      for (const [weightName, variable] of this.namedState(name, state))
        weights.push({ name: weightName, tensor: variable });
    }
    return weights;
  }

  /** Restores what {@link getWeights} returned (from this genome): the step counter and every state variable. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const byName = new Map(rest.map((w) => [w.name, w.tensor]));
    const parameters = new Set(rest.map((w) => w.name.slice(0, w.name.lastIndexOf('/'))));
    for (const name of parameters) {
      const variable = registeredVariable(name);
      const state = this.stateFor(name, variable);
      for (const [weightName, target] of this.namedState(name, state)) {
        const value = byName.get(weightName);
        if (!value) {
          throw new EvoptError('INTERNAL', `Optimizer weights lack "${weightName}".`, {
            fix: 'Restore weights saved by a GenomeOptimizer for the same genome and model.',
          });
        }
        tf.tidy(() => assign(target, tf.cast(value, 'float32')));
      }
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      genome: JSON.parse(JSON.stringify(this.bound.genome)) as tf.serialization.ConfigDict,
      totalSteps: this.totalSteps,
    };
  }

  private stateFor(name: string, variable: tf.Variable): ParameterState {
    const existing = this.states.get(name);
    if (existing) return existing;
    const { genome, terms } = this.bound;
    const create = (suffix: string, init: number): tf.Variable =>
      tf.tidy(() => tf.variable(tf.fill(variable.shape, init, 'float32'), false, `${this.prefix}/${name}/${suffix}`));
    const state: ParameterState = {
      m: genome.useM ? create('m', 0) : null,
      v: genome.useV ? create('v', 0) : null,
      slots: terms.map(({ term }, index) =>
        Object.fromEntries(
          (term.state ?? []).map((slot) => [slot.name, create(slotSuffix(index, slot.name), slot.init)]),
        ),
      ),
    };
    this.states.set(name, state);
    return state;
  }

  private namedState(name: string, state: ParameterState): [string, tf.Variable][] {
    const named: [string, tf.Variable][] = [];
    if (state.m) named.push([`${name}/m`, state.m]);
    if (state.v) named.push([`${name}/v`, state.v]);
    state.slots.forEach((slots, index) => {
      for (const [slotName, variable] of Object.entries(slots))
        named.push([`${name}/${slotSuffix(index, slotName)}`, variable]);
    });
    return named;
  }
}

/** A genome's optimizer for TensorFlow.js: see {@link GenomeOptimizer}. */
export function createGenomeOptimizer(genome: Genome, options: GenomeOptimizerOptions): GenomeOptimizer {
  return new GenomeOptimizer(genome, options);
}

function slotSuffix(termIndex: number, slotName: string): string {
  return `term${termIndex}.${slotName}`;
}

function registeredVariable(name: string): tf.Variable {
  const variable = tf.engine().registeredVariables[name];
  if (!variable) {
    throw new EvoptError(
      'INTERNAL',
      `GenomeOptimizer got a gradient for "${name}", which is not a registered tf.Variable.`,
      {
        fix: 'Pass gradients keyed by the names of live variables (as optimizer.minimize or computeGradients produce them).',
      },
    );
  }
  return variable;
}

/** variable ← value, except when value is the variable itself (a self-assign would free its data). */
function assign(variable: tf.Variable, value: tf.Tensor): void {
  if (value !== variable && value.dataId !== variable.dataId) variable.assign(value);
}
