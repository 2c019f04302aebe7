import type { PrimitiveInputs, PrimitiveTerm, ScheduleDefinition } from '../plugin/contracts.js';
import type { ElementwiseOps } from '../plugin/ops.js';
import type { ReadonlyRegistries } from '../registry/registries.js';
import { wrapPluginError } from '../errors.js';
import type { Genome } from './schema.js';

/** A genome with its primitives and schedule looked up: ready to compute updates. */
export interface BoundGenome {
  readonly genome: Genome;
  readonly terms: readonly { readonly alpha: number; readonly term: PrimitiveTerm; readonly primitive: string }[];
  readonly schedule: ScheduleDefinition;
  /** The schedule's params with its defaults filled in. */
  readonly scheduleParams: Readonly<Record<string, number>>;
}

type Lookups = Pick<ReadonlyRegistries, 'primitives' | 'schedules'>;

export function scheduleParamsWithDefaults(
  schedule: ScheduleDefinition,
  params: Readonly<Record<string, number>>,
): Record<string, number> {
  const filled: Record<string, number> = {};
  for (const [name, spec] of Object.entries(schedule.meta.params)) filled[name] = params[name] ?? spec.default;
  return filled;
}

/**
 * The term with its apply and state updates wrapped: a primitive that throws mid-training is named
 * (plugin and primitive id) in the error, instead of surfacing as an anonymous failure of the task.
 */
function guardedTerm(term: PrimitiveTerm, plugin: string, id: string): PrimitiveTerm {
  const contribution = `primitive "${id}"`;
  const guard = <F extends (...args: never[]) => unknown>(during: string, fn: F): F =>
    ((...args: Parameters<F>) => {
      try {
        return fn(...args);
      } catch (error) {
        throw wrapPluginError(error, plugin, contribution, during);
      }
    }) as F;
  return {
    formula: term.formula,
    ...(term.state && {
      state: term.state.map((slot) => ({
        name: slot.name,
        init: slot.init,
        update: guard(`updating its state slot "${slot.name}"`, slot.update.bind(slot)),
      })),
    }),
    apply: guard('computing its update (apply)', term.apply.bind(term)),
  };
}

/** Looks up a genome's primitives (bound to their options) and schedule in the registries. */
export function bindGenome(genome: Genome, registries: Lookups): BoundGenome {
  const terms = genome.terms.map((t) => {
    const { item: definition, plugin } = registries.primitives.lookup(t.primitive);
    const options = definition.meta.options ? definition.meta.options.parse(t.options ?? {}) : {};
    try {
      return {
        alpha: t.alpha,
        primitive: t.primitive,
        term: guardedTerm(definition.create(options), plugin, t.primitive),
      };
    } catch (error) {
      throw wrapPluginError(error, plugin, `primitive "${t.primitive}"`, 'creating the term');
    }
  });
  const schedule = registries.schedules.get(genome.schedule.id);
  return { genome, terms, schedule, scheduleParams: scheduleParamsWithDefaults(schedule, genome.schedule.params) };
}

/** η at 0-based `step`: lr times the schedule's multiplier. */
export function learningRate(bound: BoundGenome, step: number, totalSteps: number): number {
  return bound.genome.lr * bound.schedule.multiplier(step, totalSteps, bound.scheduleParams);
}

/** Optimizer state for one parameter: m, v, and each term's state slots. */
export interface StepState<T> {
  readonly m: T;
  readonly v: T;
  /** slots[termIndex][slotName] */
  readonly slots: readonly Readonly<Record<string, T>>[];
}

export function initialStepState<T>(bound: BoundGenome, ops: ElementwiseOps<T>, like: T): StepState<T> {
  return {
    m: ops.fill(like, 0),
    v: ops.fill(like, 0),
    slots: bound.terms.map(({ term }) =>
      Object.fromEntries((term.state ?? []).map((slot) => [slot.name, ops.fill(like, slot.init)])),
    ),
  };
}

/**
 * One step of the paper's update rule for one parameter, written once over {@link ElementwiseOps}
 * so the plain-number reference and the tensor optimizer share the exact semantics
 * (../shared/MISSION.md, "Exact step semantics"):
 * clip g → decoupled weight decay → m, v → bias correction → state slots → w − η·Σ αₖ·Tₖ.
 */
export function genomeStep<T>(
  bound: BoundGenome,
  ops: ElementwiseOps<T>,
  w: T,
  gradient: T,
  state: StepState<T>,
  step: number,
  eta: number,
): { readonly w: T; readonly state: StepState<T> } {
  const { genome } = bound;
  const g = genome.clip === null ? gradient : ops.minimum(ops.maximum(gradient, -genome.clip), genome.clip);
  let next = genome.weightDecay > 0 ? ops.mul(w, 1 - eta * genome.weightDecay) : w;

  const mState = genome.useM ? ops.add(ops.mul(state.m, genome.beta1), ops.mul(g, 1 - genome.beta1)) : state.m;
  const vState = genome.useV
    ? ops.add(ops.mul(state.v, genome.beta2), ops.mul(ops.square(g), 1 - genome.beta2))
    : state.v;
  let m = genome.useM ? mState : g;
  let v = genome.useV ? vState : ops.square(g);
  if (genome.biasCorrection) {
    if (genome.useM) m = ops.div(m, 1 - genome.beta1 ** (step + 1));
    if (genome.useV) v = ops.div(v, 1 - genome.beta2 ** (step + 1));
  }

  let direction: T | null = null;
  const slots = bound.terms.map(({ term, alpha }, index) => {
    const previous = state.slots[index] ?? {};
    const base = { g, m, v, eps: genome.eps, beta1: genome.beta1, beta2: genome.beta2, step };
    const updated: Record<string, T> = {};
    for (const slot of term.state ?? []) {
      updated[slot.name] = slot.update({ ...base, state: previous } as PrimitiveInputs<T>, ops);
    }
    const inputs: PrimitiveInputs<T> = { ...base, state: { ...previous, ...updated } };
    const contribution = ops.mul(term.apply(inputs, ops), alpha);
    direction = direction === null ? contribution : ops.add(direction, contribution);
    return updated;
  });
  if (direction !== null) next = ops.sub(next, ops.mul(direction, eta));
  return { w: next, state: { m: mState, v: vState, slots } };
}
