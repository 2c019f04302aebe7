import { paper, type ElementwiseOps, type PrimitiveInputs, type PrimitiveTerm } from '@evopt/core';
import fc from 'fast-check';
import { boundedNumber, logUniform } from './samples.js';

/** A primitive's inputs for one scalar, before its state slots are added. */
export type ScalarInputs = Omit<PrimitiveInputs<number>, 'state' | 'eps' | 'beta1' | 'beta2'> & {
  readonly eps: number;
  readonly beta1: number;
  readonly beta2: number;
};

const GRADIENT = 1e3;
const SECOND_MOMENT = 1e6;
const { eps, beta1, beta2 } = paper.PAPER_BOUNDS;

/** Finite g and m, v ≥ 0, and ε, β1, β2 within the genome's bounds. */
export const scalarInputs: fc.Arbitrary<ScalarInputs> = fc.record({
  g: boundedNumber(-GRADIENT, GRADIENT),
  m: boundedNumber(-GRADIENT, GRADIENT),
  v: boundedNumber(0, SECOND_MOMENT),
  eps: logUniform(eps.min, eps.max),
  beta1: boundedNumber(beta1.min, beta1.max),
  beta2: boundedNumber(beta2.min, beta2.max),
  step: fc.integer({ min: 0, max: 10_000 }),
});

/** Inputs where terms divide by small numbers or see signed zeros. */
export const EDGE_INPUTS: readonly ScalarInputs[] = [
  { g: 0, m: 0, v: 0, eps: eps.min, beta1: 0, beta2: 0, step: 0 },
  { g: -0, m: -0, v: 0, eps: eps.min, beta1: 0.9, beta2: 0.999, step: 1 },
  { g: GRADIENT, m: -GRADIENT, v: 0, eps: eps.min, beta1: beta1.max, beta2: beta2.max, step: 0 },
  { g: -GRADIENT, m: GRADIENT, v: SECOND_MOMENT, eps: eps.max, beta1: 0.9, beta2: 0.999, step: 499 },
  { g: 1e-30, m: 1e-30, v: 1e-60, eps: eps.min, beta1: 0.9, beta2: 0.999, step: 3 },
];

/** The initial value of each of the term's state slots, shaped like `like`. */
export function initialState<T>(term: PrimitiveTerm, ops: ElementwiseOps<T>, like: T): Record<string, T> {
  return Object.fromEntries((term.state ?? []).map((slot) => [slot.name, ops.fill(like, slot.init)]));
}

/**
 * One step of a term as the optimizer runs it (core's genomeStep): every state slot is updated
 * from the previous state, then `apply` sees the updated state.
 */
export function stepTerm<T>(
  term: PrimitiveTerm,
  ops: ElementwiseOps<T>,
  base: Omit<PrimitiveInputs<T>, 'state'>,
  previous: Readonly<Record<string, T>>,
): { readonly output: T; readonly state: Record<string, T> } {
  const state: Record<string, T> = { ...previous };
  for (const slot of term.state ?? []) state[slot.name] = slot.update({ ...base, state: previous }, ops);
  return { output: term.apply({ ...base, state }, ops), state };
}
