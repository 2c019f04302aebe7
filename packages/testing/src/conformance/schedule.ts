import fc from 'fast-check';
import type { ScheduleDefinition, ScheduleParam } from '@evopt/core';
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
import { boundedNumber, samples, show } from './samples.js';

interface ScheduleSubject extends Labelled {
  readonly id: string;
  readonly meta: ScheduleDefinition['meta'];
  readonly def: ScheduleDefinition;
}

type Params = Readonly<Record<string, number>>;

/** Run lengths the schedule is evaluated over at every step, from a single step to a paper-length run. */
const TOTAL_STEPS = [1, 2, 3, 10, 100, 1000] as const;
/** Longer runs, evaluated at their first, last and a few sampled steps. */
const LONG_RUNS = [10_000, 1_000_000] as const;
const LONG_RUN_SAMPLES = 20;
/** Names that mean a count of steps; such a param must be declared `integer: true`. */
const COUNT_NAME = /(steps|size|every|count)$/i;
const RANDOM_PARAM_SETS = 20;

function paramEntries(s: ScheduleSubject): [string, ScheduleParam][] {
  return Object.entries(s.meta.params ?? {});
}

function defaults(s: ScheduleSubject): Record<string, number> {
  return Object.fromEntries(paramEntries(s).map(([name, spec]) => [name, spec.default]));
}

/** Defaults; each param alone at its min and max; all at min; all at max; then random sets in bounds. */
function paramSets(s: ScheduleSubject): Params[] {
  const entries = paramEntries(s);
  const base = defaults(s);
  const sets: Params[] = [base];
  for (const [name, spec] of entries) sets.push({ ...base, [name]: spec.min }, { ...base, [name]: spec.max });
  if (entries.length > 1) {
    sets.push(
      Object.fromEntries(entries.map(([n, p]) => [n, p.min])),
      Object.fromEntries(entries.map(([n, p]) => [n, p.max])),
    );
  }
  if (entries.length > 0) {
    const record = fc.record(
      Object.fromEntries(entries.map(([n, p]) => [n, boundedNumber(p.min, p.max, p.integer === true)])),
    );
    sets.push(...samples(record, RANDOM_PARAM_SETS));
  }
  return sets.map((set) => ({ ...set }));
}

function boundsProblem(name: string, p: ScheduleParam): string | null {
  const values = [p?.min, p?.default, p?.max];
  const ok =
    values.every((x) => typeof x === 'number' && Number.isFinite(x)) && p.min <= p.default && p.default <= p.max;
  return ok
    ? null
    : `declares param "${name}" with min ${show(p?.min)}, default ${show(p?.default)}, max ${show(p?.max)}.`;
}

const paramBounds: ConformanceRule<ScheduleSubject> = {
  id: 'param-bounds',
  description: 'every param has finite min ≤ default ≤ max',
  fix: 'Declare each param as { min, max, default } with finite numbers and min ≤ default ≤ max.',
  check: (s) => {
    if (s.meta.params === null || typeof s.meta.params !== 'object')
      return [
        violation(paramBounds, s, `has meta.params ${show(s.meta.params)}; declare params: {} when there are none.`),
      ];
    return paramEntries(s).flatMap(([name, p]) => {
      const problem = boundsProblem(name, p);
      return problem ? [violation(paramBounds, s, problem)] : [];
    });
  },
};

const integerParams: ConformanceRule<ScheduleSubject> = {
  id: 'integer-params',
  description: 'step counts are declared integer, and integer params have integer bounds and default',
  fix: 'Add integer: true to params that count steps, and give integer params integer min, max and default.',
  check: (s) =>
    paramEntries(s).flatMap(([name, p]): Violation[] => {
      if (p.integer !== undefined && typeof p.integer !== 'boolean')
        return [
          violation(
            integerParams,
            s,
            `declares param "${name}" with integer: ${show(p.integer)}; it must be a boolean.`,
          ),
        ];
      if (p.integer === true) {
        const bad = (['min', 'default', 'max'] as const).filter((k) => !Number.isInteger(p[k]));
        return bad.length
          ? [
              violation(
                integerParams,
                s,
                `declares param "${name}" integer, but its ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not an integer.`,
              ),
            ]
          : [];
      }
      return COUNT_NAME.test(name)
        ? [
            violation(
              integerParams,
              s,
              `has param "${name}", which by its name counts steps, but does not declare integer: true.`,
            ),
          ]
        : [];
    }),
};

const formulaPlaceholders: ConformanceRule<ScheduleSubject> = {
  id: 'formula-placeholders',
  description: 'meta.formula, when given, is non-empty and its {placeholders} name declared params',
  fix: 'Write meta.formula like "warmup {warmupSteps} × cosine", using only the names in meta.params.',
  check: (s) => {
    const formula = s.meta.formula;
    if (formula === undefined) return [];
    if (typeof formula !== 'string' || formula.trim() === '')
      return [violation(formulaPlaceholders, s, `has meta.formula ${show(formula)}.`)];
    const unknown = [...formula.matchAll(/\{([^}]*)\}/g)]
      .map((m) => m[1] ?? '')
      .filter((name) => !(name in (s.meta.params ?? {})));
    return unknown.length
      ? [
          violation(
            formulaPlaceholders,
            s,
            `has meta.formula "${formula}" naming undeclared params: ${unknown.join(', ')}.`,
          ),
        ]
      : [];
  },
};

/** Every (step, totalSteps) the multiplier is checked at: all steps of short runs, samples of long ones. */
function stepsChecked(): [number, number][] {
  const all = TOTAL_STEPS.flatMap((total) =>
    Array.from({ length: total }, (_, step): [number, number] => [step, total]),
  );
  const long = LONG_RUNS.flatMap((total) => {
    const sampled = samples(fc.integer({ min: 0, max: total - 1 }), LONG_RUN_SAMPLES, total);
    return [0, 1, Math.floor(total / 2), total - 2, total - 1, ...sampled].map((step): [number, number] => [
      step,
      total,
    ]);
  });
  return [...all, ...long];
}

const finiteNonnegative: ConformanceRule<ScheduleSubject> = {
  id: 'finite-nonnegative',
  description:
    'the multiplier is finite and ≥ 0 at every step of runs from 1 to 1,000,000 steps, for params at their bounds, defaults and in between',
  fix: 'Keep the multiplier a finite number ≥ 0 for every 0 ≤ step < totalSteps and every param value within its bounds; guard divisions by params or by totalSteps, and powers that overflow on long runs.',
  check: (s) => {
    const checked = stepsChecked();
    for (const params of paramSets(s)) {
      for (const [step, total] of checked) {
        const value = s.def.multiplier(step, total, params);
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          return [
            violation(
              finiteNonnegative,
              s,
              `returned ${show(value)} for multiplier(${step}, ${total}, ${show(params)}).`,
            ),
          ];
        }
      }
    }
    return [];
  },
};

const pure: ConformanceRule<ScheduleSubject> = {
  id: 'pure',
  description:
    'the multiplier is pure: the same inputs give the same output, in any call order, and params are not modified',
  fix: 'Compute the multiplier from (step, totalSteps, params) alone: no state kept between calls, no randomness, no writes to params.',
  check: (s) => {
    const total = 100;
    // Frozen, so a schedule that writes to its params throws here rather than corrupting them.
    for (const params of paramSets(s)
      .slice(0, 6)
      .map((set) => Object.freeze(set))) {
      const steps = Array.from({ length: total }, (_, t) => t);
      const forward = steps.map((t) => s.def.multiplier(t, total, params));
      const backward = [...steps]
        .reverse()
        .map((t) => s.def.multiplier(t, total, params))
        .reverse();
      const again = steps.map((t) => s.def.multiplier(t, total, params));
      const step = steps.find((t) => !Object.is(forward[t], backward[t]) || !Object.is(forward[t], again[t]));
      if (step !== undefined) {
        return [
          violation(
            pure,
            s,
            `gave ${show(forward[step])} on a first pass, ${show(again[step])} on a second and ${show(backward[step])} in reverse order, for multiplier(${step}, ${total}, ${show(params)}).`,
          ),
        ];
      }
    }
    return [];
  },
};

const RULES: readonly ConformanceRule<ScheduleSubject>[] = [
  validIdRule(),
  metaSummaryRule(),
  paramBounds,
  integerParams,
  formulaPlaceholders,
  finiteNonnegative,
  pure,
];

function subjectOf(def: ScheduleDefinition): ScheduleSubject {
  return { label: `schedule "${String(def?.id)}"`, id: def?.id, meta: def?.meta ?? { summary: '', params: {} }, def };
}

/** Checks a schedule against every conformance rule; an empty list means it conforms. */
export function checkSchedule(def: ScheduleDefinition): Violation[] {
  return runRules(RULES, subjectOf(def));
}

/** How {@link testSchedule} registers its tests. */
export interface ScheduleSuiteOptions {
  /** Your runner's test function: vitest's `it`, or `test` from node:test. */
  readonly test: TestFn;
}

/**
 * Registers one test per conformance rule for `def`. A failing test throws an EvoptError that
 * names the broken rule and says how to fix it.
 *
 * @example testSchedule(mySchedule, { test: it });
 */
export function testSchedule(def: ScheduleDefinition, options: ScheduleSuiteOptions): void {
  registerRules(options.test, RULES, () => subjectOf(def), `schedule "${String(def?.id)}"`);
}
