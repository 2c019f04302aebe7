import fc from 'fast-check';
import { Rng, type Options, type Scored, type SelectionDefinition, type SelectionStrategy } from '@evopt/core';
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
import { optionsDefaultsRule, parseOptions } from './options.js';
import { CONFORMANCE_SEED, samples, show } from './samples.js';
import { withMathRandomCounted } from './math-random.js';

interface SelectionSubject extends Labelled {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any options type; only parse() and create() are used
  readonly def: SelectionDefinition<any>;
  readonly meta: SelectionDefinition['meta'];
  readonly options: Options | undefined;
  create(): SelectionStrategy;
}

const DIVERGED = -1;
const SIZES = [2, 3, 7, 50] as const;
const PRESSURE_DRAWS = 2000;

const scoredOf = (fitness: readonly number[]): Scored[] => fitness.map((f) => ({ fitness: f }));

/** Why `result` is not `count` integer indices into a population of `n`, or null when it is. */
function resultProblem(result: unknown, n: number, count: number): string | null {
  if (!Array.isArray(result)) return `returned ${show(result)} instead of an array of indices`;
  if (result.length !== count) return `returned ${result.length} indices when asked for ${count}`;
  const bad = result.find((i: unknown) => typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= n);
  return bad === undefined ? null : `returned the index ${show(bad)}, which is not an integer in [0, ${n})`;
}

/**
 * Populations of several sizes with distinct fitness in [0, 1]. The hard cases (ties, negative and
 * diverged fitness, one candidate) are left to edge-fitness, so each mistake breaks one rule.
 */
function populations(): Scored[][] {
  return SIZES.map((n, k) => {
    const fitness = fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n });
    return scoredOf(samples(fitness, 1, CONFORMANCE_SEED + k)[0] ?? []);
  });
}

function check(
  rule: ConformanceRule<SelectionSubject>,
  s: SelectionSubject,
  cases: readonly (readonly [string, Scored[], number])[],
): Violation[] {
  for (const [name, scored, count] of cases) {
    const problem = resultProblem(
      s.create().select(scored, count, Rng.fromSeed(CONFORMANCE_SEED)),
      scored.length,
      count,
    );
    if (problem)
      return [
        violation(rule, s, `${problem}, for ${name} (fitness ${show(scored.map((x) => x.fitness))}, count ${count}).`),
      ];
  }
  return [];
}

const countAndRange: ConformanceRule<SelectionSubject> = {
  id: 'count-and-range',
  description: 'select returns exactly count integer indices into scored',
  fix: 'Return an array of exactly `count` integers, each in [0, scored.length); repeats are allowed.',
  check: (s) =>
    check(
      countAndRange,
      s,
      populations().flatMap((scored) =>
        [0, 1, scored.length, 2 * scored.length + 3].map(
          (count) => [`${scored.length} candidates`, scored, count] as const,
        ),
      ),
    ),
};

const edgeFitness: ConformanceRule<SelectionSubject> = {
  id: 'edge-fitness',
  description: 'select works for equal fitness, negative and diverged (−1) fitness, and a single candidate',
  fix: 'Handle ties, fitness ≤ 0 (diverged genomes score −1) and one-candidate populations: no division by a zero sum, no log of a negative.',
  check: (s) =>
    check(edgeFitness, s, [
      ['all-equal fitness', scoredOf(Array(10).fill(0.5)), 10],
      ['all-zero fitness', scoredOf(Array(10).fill(0)), 10],
      ['all diverged', scoredOf(Array(6).fill(DIVERGED)), 6],
      ['negative fitness', scoredOf([-0.5, -0.2, -0.9, -0.1]), 8],
      ['some diverged', scoredOf([0.8, DIVERGED, 0.6, DIVERGED, 0.9]), 10],
      ['a single candidate', scoredOf([0.7]), 5],
      ['a single diverged candidate', scoredOf([DIVERGED]), 3],
      ['near-ties', scoredOf([0.5, 0.5 + 1e-12, 0.5 - 1e-12]), 9],
    ]),
};

const deterministic: ConformanceRule<SelectionSubject> = {
  id: 'deterministic',
  description: 'the same Rng seed gives the same indices, with a fresh or a reused strategy',
  fix: 'Draw every random number from the rng argument, and keep no state in the strategy between calls.',
  check: (s) => {
    const reused = s.create();
    for (const [k, scored] of populations().entries()) {
      const count = 2 * scored.length;
      const runs = [s.create(), s.create(), reused, reused].map((strategy) =>
        strategy.select(scored, count, Rng.fromSeed(CONFORMANCE_SEED + k)),
      );
      const differs = runs.find((run) => show(run) !== show(runs[0]));
      if (differs)
        return [
          violation(
            deterministic,
            s,
            `returned ${show(runs[0])} and then ${show(differs)} for the same seed and fitness ${show(scored.map((x) => x.fitness))}.`,
          ),
        ];
    }
    return [];
  },
};

const onlyRng: ConformanceRule<SelectionSubject> = {
  id: 'only-rng',
  description: 'select draws randomness only from the rng it is given, never Math.random',
  fix: 'Replace Math.random() with rng.float() (or rng.int, rng.pick); runs must be reproducible from their seed.',
  check: (s) => {
    const calls = withMathRandomCounted(() => {
      for (const scored of populations()) s.create().select(scored, 2 * scored.length, Rng.fromSeed(CONFORMANCE_SEED));
    });
    return calls === 0 ? [] : [violation(onlyRng, s, `called Math.random ${calls} times.`)];
  },
};

const noInputMutation: ConformanceRule<SelectionSubject> = {
  id: 'no-input-mutation',
  description: 'select leaves scored unchanged (it is frozen here)',
  fix: 'Do not sort or modify scored in place: sort a copy of the indices, e.g. [...scored.keys()].sort(...).',
  check: (s) => {
    const scored = Object.freeze(scoredOf([0.3, DIVERGED, 0.9, 0.1, 0.6]).map((x) => Object.freeze(x)));
    try {
      s.create().select(scored, 10, Rng.fromSeed(CONFORMANCE_SEED));
    } catch (error) {
      if (error instanceof TypeError)
        return [violation(noInputMutation, s, `tried to modify its input: ${error.message}`)];
      throw error;
    }
    return [];
  },
};

const selectionPressure: ConformanceRule<SelectionSubject> = {
  id: 'selection-pressure',
  description: 'with a clear best and many draws, the best is chosen at least as often as the worst',
  fix: 'Favour higher fitness (higher is better; diverged genomes score −1), whatever their position in scored.',
  check: (s) => {
    const fitness = [DIVERGED, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.95];
    const shuffled = [0.4, 0.95, 0.1, 0.7, DIVERGED, 0.3, 0.8, 0.2, 0.6, 0.5];
    for (const order of [fitness, [...fitness].reverse(), shuffled]) {
      const scored = scoredOf(order);
      const best = order.indexOf(Math.max(...order));
      const worst = order.indexOf(Math.min(...order));
      const picks = s.create().select(scored, PRESSURE_DRAWS, Rng.fromSeed(CONFORMANCE_SEED));
      const times = (i: number) => picks.filter((p) => p === i).length;
      if (times(best) < times(worst)) {
        return [
          violation(
            selectionPressure,
            s,
            `chose the best (fitness ${order[best]}) ${times(best)} times but the worst (fitness ${order[worst]}) ${times(worst)} times in ${PRESSURE_DRAWS} draws from fitness ${show(order)}.`,
          ),
        ];
      }
    }
    return [];
  },
};

const RULES: readonly ConformanceRule<SelectionSubject>[] = [
  validIdRule(),
  metaSummaryRule(),
  optionsDefaultsRule(),
  countAndRange,
  edgeFitness,
  deterministic,
  onlyRng,
  noInputMutation,
  selectionPressure,
];

/** What {@link checkSelection} creates the strategy with. */
export interface SelectionCheckOptions {
  /** Options to create the strategy with; the schema's defaults fill the rest. Default: `{}`. */
  readonly options?: Options;
}

/** How {@link testSelection} registers its tests, and the options it creates the strategy with. */
export interface SelectionSuiteOptions extends SelectionCheckOptions {
  /** Your runner's test function: vitest's `it`, or `test` from node:test. */
  readonly test: TestFn;
}

function subjectOf<O extends Options>(def: SelectionDefinition<O>, options: Options | undefined): SelectionSubject {
  return {
    label: `selection strategy "${String(def?.id)}"`,
    id: def?.id,
    def,
    meta: def?.meta ?? { summary: '' },
    options,
    create: () => def.create(parseOptions(def.meta, options) as O),
  };
}

/** Checks a selection strategy against every conformance rule; an empty list means it conforms. */
export function checkSelection<O extends Options>(
  def: SelectionDefinition<O>,
  settings: SelectionCheckOptions = {},
): Violation[] {
  return runRules(RULES, subjectOf(def, settings.options));
}

/**
 * Registers one test per conformance rule for `def`. A failing test throws an EvoptError that
 * names the broken rule and says how to fix it.
 *
 * @example testSelection(tournament, { test: it, options: { k: 2 } });
 */
export function testSelection<O extends Options>(def: SelectionDefinition<O>, settings: SelectionSuiteOptions): void {
  registerRules(
    settings.test,
    RULES,
    () => subjectOf(def, settings.options),
    `selection strategy "${String(def?.id)}"`,
  );
}
