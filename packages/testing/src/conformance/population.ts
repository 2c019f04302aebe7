import { arrayOps, type Vector } from './array-ops.js';
import { flatten, nest, nestedOps, type NestedArray } from './nested-ops.js';
import type { PrimitiveSubject } from './primitive.js';
import { violation, type ConformanceRule, type Violation } from './rule.js';
import { samples, show } from './samples.js';
import { initialState, scalarInputs, stepTerm, type ScalarInputs } from './term-step.js';

/**
 * Stacked parameter shapes [P, …]: a population of dense vectors, and one of small kernels. P
 * differs from the trailing axes, so constants that lose their population axis cannot line up
 * with the parameter by accident.
 */
export const POPULATION_SHAPES: readonly (readonly number[])[] = [
  [3, 5],
  [2, 2, 3],
];
const STEPS = 2;

type Constant = 'eps' | 'beta1' | 'beta2';

/** One member's inputs: its elements' g, m, v, and its own ε, β1, β2 (those of its first element). */
export interface Member {
  readonly elements: readonly ScalarInputs[];
  readonly constants: Readonly<Record<Constant, number>>;
}

/** The members of a population `shape` [P, …] at `step`, sampled with a fixed seed. */
export function populationMembers(shape: readonly number[], step: number): Member[] {
  const [size = 1, ...rest] = shape;
  const perMember = rest.reduce((a, b) => a * b, 1);
  const all = samples(scalarInputs, size * perMember, 10 + 7 * step + shape.length);
  return Array.from({ length: size }, (_, p) => {
    const elements = all.slice(p * perMember, (p + 1) * perMember);
    const first = elements[0] as ScalarInputs;
    return { elements, constants: { eps: first.eps, beta1: first.beta1, beta2: first.beta2 } };
  });
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function shapeProblem(value: unknown, shape: readonly number[]): string | null {
  try {
    const got = flatten(value).shape;
    return got.join() === shape.join() ? null : `is shaped ${shapeText(got)}`;
  } catch (error) {
    return `is ${show(value)} (${(error as Error).message})`;
  }
}

/**
 * Each member's outputs, step by step, computed alone as the single-genome optimizer runs it (a
 * vector, ε, β1, β2 as numbers); null when that already fails, which the rule "elementwise"
 * reports, so that one mistake breaks one rule.
 */
function alone(s: PrimitiveSubject, steps: readonly Member[][]): Vector[][] | null {
  const size = steps[0]?.length ?? 0;
  try {
    return Array.from({ length: size }, (_, p) => {
      const term = s.create();
      let state: Record<string, Vector> | undefined;
      return steps.map((list, step) => {
        const member = list[p] as Member;
        const column = (key: 'g' | 'm' | 'v') => member.elements.map((x) => x[key]);
        state ??= initialState(term, arrayOps, column('g'));
        const result = stepTerm(
          term,
          arrayOps,
          { g: column('g'), m: column('m'), v: column('v'), ...member.constants, step },
          state,
        );
        if (!Array.isArray(result.output) || result.output.length !== member.elements.length)
          throw new RangeError('not a vector');
        state = result.state;
        return result.output;
      });
    });
  } catch {
    return null;
  }
}

/** Runs the term on one stacked shape and on each member alone; the first difference found, if any. */
function checkShape(
  s: PrimitiveSubject,
  rule: ConformanceRule<PrimitiveSubject>,
  shape: readonly number[],
): Violation[] {
  const [size = 1, ...rest] = shape;
  const constantShape = [size, ...rest.map(() => 1)];
  const steps = Array.from({ length: STEPS }, (_, step) => populationMembers(shape, step));
  const expected = alone(s, steps);
  if (expected === null) return [];
  const term = s.create();
  const where = `on a population ${shapeText(shape)} with ε, β1, β2 as ${shapeText(constantShape)}`;
  let state: Record<string, NestedArray> | undefined;
  for (const [step, list] of steps.entries()) {
    const column = (key: 'g' | 'm' | 'v') =>
      nest(
        shape,
        list.flatMap((m) => m.elements.map((x) => x[key])),
      );
    const constant = (key: Constant) =>
      nest(
        constantShape,
        list.map((m) => m.constants[key]),
      );
    const g = column('g');
    state ??= initialState(term, nestedOps, g);
    let stacked: ReturnType<typeof stepTerm<NestedArray>>;
    try {
      stacked = stepTerm(
        term,
        nestedOps,
        {
          g,
          m: column('m'),
          v: column('v'),
          eps: constant('eps'),
          beta1: constant('beta1'),
          beta2: constant('beta2'),
          step,
        },
        state,
      );
    } catch (error) {
      return [
        violation(
          rule,
          s,
          `threw ${where} (step ${step}): ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}.`,
        ),
      ];
    }
    const results: [string, unknown][] = [
      ['apply', stacked.output],
      ...Object.entries(stacked.state).map(([slot, v]): [string, unknown] => [`the update of state slot "${slot}"`, v]),
    ];
    for (const [name, value] of results) {
      const problem = shapeProblem(value, shape);
      if (problem)
        return [
          violation(
            rule,
            s,
            `returned from ${name} a value that ${problem} ${where} (step ${step}); expected ${shapeText(shape)}.`,
          ),
        ];
    }
    const output = flatten(stacked.output).data;
    for (const [p, member] of list.entries()) {
      const own = expected[p]?.[step] ?? [];
      const offset = p * member.elements.length;
      const i = member.elements.findIndex((_, k) => !Object.is(output[offset + k], own[k]));
      if (i >= 0) {
        return [
          violation(
            rule,
            s,
            `gave ${show(output[offset + i])} for element ${i} of member ${p} ${where}, but ${show(own[i])} for that member computed alone (its ε, β1, β2 ${show(member.constants)}, ${show(member.elements[i])}, step ${step}).`,
          ),
        ];
      }
    }
    state = stacked.state;
  }
  return [];
}

/** apply and state updates broadcast over a leading population axis, as population training runs them. */
export const population: ConformanceRule<PrimitiveSubject> = {
  id: 'population',
  description:
    'on a population [P, …] with ε, β1, β2 as per-member [P, 1, …] constants, apply and state updates equal each member computed alone',
  fix: 'Treat ε, β1 and β2 like g: pass them to the ops as they come (never flatten, index or convert them), so that [P, 1] constants broadcast against [P, N] tensors.',
  check: (s) => {
    for (const shape of POPULATION_SHAPES) {
      const found = checkShape(s, population, shape);
      if (found.length > 0) return found;
    }
    return [];
  },
};
