import { numberOps, type PrimitiveTerm, type StateSlot } from '@evopt/core';
import type { PrimitiveSubject } from './primitive.js';
import { violation, type ConformanceRule, type Violation } from './rule.js';
import { samples, show } from './samples.js';
import { initialState, scalarInputs, stepTerm } from './term-step.js';

const STEPS = 100;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

function declarationProblem(slots: unknown): string | null {
  if (slots === undefined) return null;
  if (!Array.isArray(slots)) return `declares state ${show(slots)}, not an array of slots`;
  const names = new Set<string>();
  for (const slot of slots as Partial<StateSlot>[]) {
    if (typeof slot?.name !== 'string' || slot.name === '')
      return `declares a state slot with the name ${show(slot?.name)}`;
    if (names.has(slot.name)) return `declares the state slot "${slot.name}" twice`;
    names.add(slot.name);
    if (typeof slot.init !== 'number' || !Number.isFinite(slot.init))
      return `declares the state slot "${slot.name}" with init ${show(slot.init)}`;
    if (typeof slot.update !== 'function') return `declares the state slot "${slot.name}" without an update function`;
  }
  return null;
}

/** Runs the term for STEPS steps on a gradient stream, with m and v kept as the optimizer keeps them. */
function simulate(term: PrimitiveTerm, s: PrimitiveSubject, rule: ConformanceRule<PrimitiveSubject>): Violation[] {
  const gradients = samples(scalarInputs, STEPS, 3).map((x) => x.g);
  let m = 0;
  let v = 0;
  let state = initialState(term, numberOps, 0);
  for (const [step, g] of gradients.entries()) {
    m = BETA1 * m + (1 - BETA1) * g;
    v = BETA2 * v + (1 - BETA2) * g * g;
    const result = stepTerm(term, numberOps, { g, m, v, eps: EPS, beta1: BETA1, beta2: BETA2, step }, state);
    const bad = Object.entries(result.state).find(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
    if (bad)
      return [
        violation(
          rule,
          s,
          `updated the state slot "${bad[0]}" to ${show(bad[1])} at step ${step} (g ${show(g)}, previous ${show(state)}).`,
        ),
      ];
    if (!Number.isFinite(result.output))
      return [violation(rule, s, `returned ${show(result.output)} at step ${step} with state ${show(result.state)}.`)];
    state = result.state;
  }
  return [];
}

/** State slots are well declared, start finite, and stay finite over a run. */
export const stateSlots: ConformanceRule<PrimitiveSubject> = {
  id: 'state-slots',
  description: `state slots have unique names and finite inits, and stay finite over ${STEPS} steps`,
  fix: 'Declare state as [{ name, init, update }] with unique names and a finite init, and keep update finite (guard divisions with ε).',
  check: (s) => {
    const term = s.create();
    const problem = declarationProblem(term.state);
    if (problem) return [violation(stateSlots, s, `${problem}.`)];
    return term.state?.length ? simulate(term, s, stateSlots) : [];
  },
};
