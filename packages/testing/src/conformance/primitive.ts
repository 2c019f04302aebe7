import {
  GENOME_SCHEMA_ID,
  numberOps,
  Registry,
  renderFormula,
  type Genome,
  type Options,
  type PrimitiveDefinition,
  type PrimitiveTerm,
} from '@evopt/core';
import { arrayOps, type Vector } from './array-ops.js';
import { optionsDefaultsRule, parseOptions } from './options.js';
import { population } from './population.js';
import {
  metaSummaryRule,
  registerRules,
  runRules,
  validIdRule,
  violation,
  type ConformanceRule,
  type Labelled,
  type TestFn,
  type Violation,
} from './rule.js';
import { samples, show } from './samples.js';
import { stateSlots } from './state-slots.js';
import { EDGE_INPUTS, initialState, scalarInputs, stepTerm, type ScalarInputs } from './term-step.js';

/** What every primitive rule sees. */
export interface PrimitiveSubject extends Labelled {
  readonly id: string;
  readonly meta: PrimitiveDefinition['meta'];
  readonly options: Options | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any options type; only meta and create() are used
  readonly def: PrimitiveDefinition<any>;
  create(): PrimitiveTerm;
}

const SAMPLED_INPUTS = 200;
const VECTOR_LENGTH = 32;

function inputs(): ScalarInputs[] {
  return [...EDGE_INPUTS, ...samples(scalarInputs, SAMPLED_INPUTS)];
}

function once(term: PrimitiveTerm, input: ScalarInputs): number {
  return stepTerm(term, numberOps, input, initialState(term, numberOps, input.g)).output;
}

/** A genome of two terms of the primitive, rendered as `evopt` shows genomes (TUI, summary, export). */
function renderedInGenome(s: PrimitiveSubject): string {
  const primitives = new Registry<PrimitiveDefinition>('primitive');
  primitives.register(s.def, 'conformance');
  const options = s.options === undefined ? {} : { options: s.options };
  const genome: Genome = {
    schema: GENOME_SCHEMA_ID,
    terms: [
      { primitive: s.id, alpha: 0.5, ...options },
      { primitive: s.id, alpha: -1.25, ...options },
    ],
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    useM: true,
    useV: true,
    biasCorrection: true,
    clip: null,
    schedule: { id: 'constant', params: {} },
  };
  return renderFormula(genome, { primitives });
}

const formula: ConformanceRule<PrimitiveSubject> = {
  id: 'formula',
  description: "the term has a non-empty formula, and a genome using it renders with core's renderFormula",
  fix: 'Return { formula: "m/(√v+ε)", apply } from create(): the formula is how genomes are shown and exported.',
  check: (s) => {
    const text = s.create().formula;
    if (typeof text !== 'string' || text.trim() === '')
      return [violation(formula, s, `has the formula ${show(text)}.`)];
    const rendered = renderedInGenome(s);
    return rendered.includes(text)
      ? []
      : [violation(formula, s, `has the formula "${text}", but a genome 0.5·T − 1.25·T renders as "${rendered}".`)];
  },
};

const finiteOutput: ConformanceRule<PrimitiveSubject> = {
  id: 'finite-output',
  description: "apply gives a finite number for finite g and m, v ≥ 0 and ε, β1, β2 within the genome's bounds",
  fix: 'Guard every division with ε (as in g/(|g|+ε)) and every square root with a non-negative argument.',
  check: (s) => {
    for (const input of inputs()) {
      const output = once(s.create(), input);
      if (typeof output !== 'number' || !Number.isFinite(output))
        return [violation(finiteOutput, s, `returned ${show(output)} for ${show(input)}.`)];
    }
    return [];
  },
};

const deterministic: ConformanceRule<PrimitiveSubject> = {
  id: 'deterministic',
  description: 'the same inputs give the same output, from a fresh term or a reused one',
  fix: 'Compute the output from the inputs and the declared state slots alone: no randomness and no state hidden in the term.',
  check: (s) => {
    const reused = s.create();
    for (const input of inputs().slice(0, 50)) {
      const outputs = [once(s.create(), input), once(reused, input), once(reused, input)];
      if (!outputs.every((o) => Object.is(o, outputs[0])))
        return [violation(deterministic, s, `returned ${show(outputs)} for the same input ${show(input)}.`)];
    }
    return [];
  },
};

function column(list: readonly ScalarInputs[], key: keyof ScalarInputs): Vector {
  return list.map((x) => x[key]);
}

const elementwise: ConformanceRule<PrimitiveSubject> = {
  id: 'elementwise',
  description:
    'on a vector, apply (and state updates) equal the per-element results, with ε, β1, β2 as numbers or as vectors',
  fix: 'Write apply and update only with the ops passed in (ops.add, ops.div, ops.fill, …), never with JS arithmetic on g, m, v or ε: they will be tensors.',
  check: (s) => {
    const steps = [samples(scalarInputs, VECTOR_LENGTH, 1), samples(scalarInputs, VECTOR_LENGTH, 2)];
    for (const perElementConstants of [false, true]) {
      const term = s.create();
      const scalarTerm = s.create();
      let vectorState = initialState(term, arrayOps, column(steps[0] ?? [], 'g'));
      let scalarStates = (steps[0] ?? []).map((x) => initialState(scalarTerm, numberOps, x.g));
      for (const [step, list] of steps.entries()) {
        const shared = list[0] as ScalarInputs;
        const constant = (key: 'eps' | 'beta1' | 'beta2') => (perElementConstants ? column(list, key) : shared[key]);
        const vector = stepTerm(
          term,
          arrayOps,
          {
            g: column(list, 'g'),
            m: column(list, 'm'),
            v: column(list, 'v'),
            eps: constant('eps'),
            beta1: constant('beta1'),
            beta2: constant('beta2'),
            step,
          },
          vectorState,
        );
        const scalar = list.map((x, i) =>
          stepTerm(
            scalarTerm,
            numberOps,
            perElementConstants
              ? { ...x, step }
              : { ...x, eps: shared.eps, beta1: shared.beta1, beta2: shared.beta2, step },
            scalarStates[i] ?? {},
          ),
        );
        const how = perElementConstants ? 'with ε, β1, β2 as vectors' : 'with ε, β1, β2 as numbers';
        if (!Array.isArray(vector.output) || vector.output.length !== list.length) {
          return [
            violation(
              elementwise,
              s,
              `returned ${show(vector.output)} on a vector of ${list.length} elements ${how}; expected a vector of the same length.`,
            ),
          ];
        }
        const i = list.findIndex((_, k) => !Object.is(vector.output[k], scalar[k]?.output));
        if (i >= 0)
          return [
            violation(
              elementwise,
              s,
              `gave ${show(vector.output[i])} for element ${i} of a vector but ${show(scalar[i]?.output)} for the same element alone (${show(list[i])}, step ${step}, ${how}).`,
            ),
          ];
        vectorState = vector.state;
        scalarStates = scalar.map((x) => x.state);
      }
    }
    return [];
  },
};

const RULES: readonly ConformanceRule<PrimitiveSubject>[] = [
  validIdRule(),
  metaSummaryRule(),
  optionsDefaultsRule(),
  formula,
  finiteOutput,
  deterministic,
  stateSlots,
  elementwise,
  population,
];

/** What {@link checkPrimitive} creates the term with. */
export interface PrimitiveCheckOptions {
  /** Options to create the term with; the schema's defaults fill the rest. Default: `{}`. */
  readonly options?: Options;
}

/** How {@link testPrimitive} registers its tests, and the options it creates the term with. */
export interface PrimitiveSuiteOptions extends PrimitiveCheckOptions {
  /** Your runner's test function: vitest's `it`, or `test` from node:test. */
  readonly test: TestFn;
}

function subjectOf<O extends Options>(def: PrimitiveDefinition<O>, options: Options | undefined): PrimitiveSubject {
  return {
    label: `primitive "${String(def?.id)}"`,
    id: def?.id,
    meta: def?.meta ?? { summary: '' },
    options,
    def,
    create: () => def.create(parseOptions(def.meta, options) as O),
  };
}

/** Checks a primitive against every conformance rule, on plain numbers; an empty list means it conforms. */
export function checkPrimitive<O extends Options>(
  def: PrimitiveDefinition<O>,
  settings: PrimitiveCheckOptions = {},
): Violation[] {
  return runRules(RULES, subjectOf(def, settings.options));
}

/**
 * Registers one test per conformance rule for `def`. A failing test throws an EvoptError that
 * names the broken rule and says how to fix it.
 *
 * @example testPrimitive(adam, { test: it });
 */
export function testPrimitive<O extends Options>(def: PrimitiveDefinition<O>, settings: PrimitiveSuiteOptions): void {
  registerRules(settings.test, RULES, () => subjectOf(def, settings.options), `primitive "${String(def?.id)}"`);
}
