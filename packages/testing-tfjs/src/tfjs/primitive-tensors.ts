import type { Options, PrimitiveDefinition, PrimitiveTerm } from '@evopt/core';
import { tensorOps, type BackendChoice } from '@evopt/tfjs';
import {
  parseOptions,
  registerAsyncRules,
  runRulesAsync,
  show,
  violation,
  type AsyncConformanceRule,
  type Labelled,
  type TestFn,
  type Violation,
} from '@evopt/testing/kit';
import { startBackend } from './runtime.js';
import {
  caseMembers,
  caseText,
  referenceRun,
  runOnTensors,
  TENSOR_CASES,
  type TensorCase,
  type TensorRun,
} from './tensor-run.js';

/** Relative tolerance of the values check: float32 ops of different backends may differ by a few ulps. */
export const TENSOR_RTOL = 1e-5;
/** Absolute tolerance, for results that underflow (a backend may flush float32 subnormals to zero). */
export const TENSOR_ATOL = 1e-30;

interface TensorSubject extends Labelled {
  create(): PrimitiveTerm;
  /** Starts the backend (once) and runs the term on a case. */
  run(tensorCase: TensorCase): Promise<TensorRun>;
}

type TensorRule = AsyncConformanceRule<TensorSubject>;

/**
 * The first problem `find` reports over the cases. A term that throws on tensors breaks the rule
 * "tensor-shape", which reports where; the other rules skip that case, so one mistake breaks one rule.
 */
async function firstProblem(
  s: TensorSubject,
  find: (tensorCase: TensorCase, run: TensorRun) => string | null,
  reportThrows = false,
): Promise<string | null> {
  for (const tensorCase of TENSOR_CASES) {
    let run: TensorRun;
    try {
      run = await s.run(tensorCase);
    } catch (error) {
      if (error instanceof BackendError) throw error.cause;
      if (!reportThrows) continue;
      return `threw on ${caseText(tensorCase)}: ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}`;
    }
    const problem = find(tensorCase, run);
    if (problem) return problem;
  }
  return null;
}

/** A backend that would not start: every rule reports it, since none can check anything. */
class BackendError extends Error {
  constructor(override readonly cause: unknown) {
    super('the TensorFlow.js backend did not start');
  }
}

const tensorShape: TensorRule = {
  id: 'tensor-shape',
  description:
    "with the optimizer's tensor ops, apply and state updates return float32 tensors shaped like g: one genome's [N] or [a, b, c], a population's [P, N] or [P, a, b]",
  fix: "Build the result from g, m, v with the ops passed in (ops.fill(g, c) for constants), so it has g's shape: per-member constants [P, 1] must broadcast into it, not replace it.",
  check: async (s) => {
    const problem = await firstProblem(
      s,
      (tensorCase, run) => {
        for (const [step, results] of run.results.entries()) {
          const bad = results.find(
            (r) => !r.isTensor || r.dtype !== 'float32' || r.shape.join() !== tensorCase.shape.join(),
          );
          if (bad)
            return `returned from ${bad.name} ${bad.description} on ${caseText(tensorCase)} (step ${step}); expected a float32 tensor [${tensorCase.shape.join(', ')}]`;
        }
        return null;
      },
      true,
    );
    return problem ? [violation(tensorShape, s, `${problem}.`)] : [];
  },
};

function attempt<T>(run: () => T): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

const close = (got: number, want: number) =>
  Object.is(got, want) ||
  (Number.isNaN(got) && Number.isNaN(want)) ||
  (Number.isFinite(want) && Math.abs(got - want) <= TENSOR_RTOL * Math.abs(want) + TENSOR_ATOL);

const tensorValues: TensorRule = {
  id: 'tensor-values',
  description: `on tensors, each element equals the plain-number result for its member alone, computed in float32 (relative tolerance ${TENSOR_RTOL})`,
  fix: 'Use only the ops passed in, never tf directly or values read back from a tensor (dataSync, arraySync): each member must see only its own ε, β1, β2 and elements.',
  check: async (s) => {
    const problem = await firstProblem(s, (tensorCase, run) => {
      // A term that fails on plain numbers breaks the number suite's rules; there is nothing to compare with.
      const reference = attempt(() => referenceRun(() => s.create(), tensorCase));
      if (reference === null) return null;
      for (const [step, results] of run.results.entries()) {
        const data = results[0]?.data;
        if (!data || data.length !== reference[step]?.length) continue; // the rule "tensor-shape" reports it
        const members = caseMembers(tensorCase, step);
        const perMember = members[0]?.elements.length ?? 1;
        const i = [...data].findIndex((x, k) => !close(x, reference[step]?.[k] as number));
        if (i >= 0) {
          const member = members[Math.floor(i / perMember)];
          const where = tensorCase.population
            ? `element ${i % perMember} of member ${Math.floor(i / perMember)}`
            : `element ${i}`;
          return `gave ${show(data[i])} for ${where} on ${caseText(tensorCase)}, but ${show(reference[step]?.[i])} for it alone on float32 numbers (ε, β1, β2 ${show(member?.constants)}, ${show(member?.elements[i % perMember])}, step ${step})`;
        }
      }
      return null;
    });
    return problem ? [violation(tensorValues, s, `${problem}.`)] : [];
  },
};

const tensorLeaks: TensorRule = {
  id: 'tensor-leaks',
  description:
    'creating the term and running steps in tf.tidy, keeping only the results, leaves tf.memory().numTensors unchanged once those are disposed',
  fix: 'Create tensors only through the ops passed in, inside the step: no tf.keep, no tensors made in create() or cached in the term between steps (keep state in declared state slots).',
  check: async (s) => {
    const problem = await firstProblem(s, (tensorCase, run) => {
      const leaked = run.tensorsAfter - run.tensorsBefore;
      return leaked === 0
        ? null
        : `left ${leaked} tensor${Math.abs(leaked) === 1 ? '' : 's'} behind on ${caseText(tensorCase)} (${run.tensorsBefore} before, ${run.tensorsAfter} after)`;
    });
    return problem ? [violation(tensorLeaks, s, `${problem}.`)] : [];
  },
};

const tensorInputs: TensorRule = {
  id: 'tensor-inputs',
  description: 'apply and state updates leave their inputs (g, m, v, ε, β1, β2, previous state) undisposed',
  fix: 'Never dispose the tensors a term is given: the optimizer still uses them for the other terms and the next step; tf.tidy frees what the term made.',
  check: async (s) => {
    const problem = await firstProblem(s, (tensorCase, run) => {
      return run.disposedInputs.length === 0
        ? null
        : `disposed ${run.disposedInputs.join(', ')} on ${caseText(tensorCase)}`;
    });
    return problem ? [violation(tensorInputs, s, `${problem}.`)] : [];
  },
};

const RULES: readonly TensorRule[] = [tensorShape, tensorValues, tensorLeaks, tensorInputs];

/** What {@link checkPrimitiveTensors} runs the term with. */
export interface PrimitiveTensorCheckOptions {
  /** Options to create the term with; the schema's defaults fill the rest. Default `{}`. */
  readonly options?: Options;
  /**
   * The TensorFlow.js backend to run on ('cpu', 'wasm', 'tensorflow'), started with @evopt/tfjs'
   * initBackend. Default: the backend this thread already runs, else 'cpu'.
   */
  readonly backend?: BackendChoice;
}

/** How {@link testPrimitiveTensors} registers its tests, and what it runs the term with. */
export interface PrimitiveTensorSuiteOptions extends PrimitiveTensorCheckOptions {
  /** Your runner's test function: vitest's `it`, or `test` from node:test. */
  readonly test: TestFn;
}

function subjectOf<O extends Options>(
  def: PrimitiveDefinition<O>,
  settings: PrimitiveTensorCheckOptions,
): TensorSubject {
  const create = () => def.create(parseOptions(def.meta, settings.options) as O);
  let started: Promise<unknown> | undefined;
  return {
    label: `primitive "${String(def?.id)}"`,
    create,
    run: async (tensorCase) => {
      started ??= startBackend(settings.backend);
      await started.catch((error: unknown) => {
        throw new BackendError(error);
      });
      return runOnTensors(create, tensorOps, tensorCase);
    },
  };
}

/** Checks a primitive on TensorFlow.js tensors against every tensor rule; an empty list means it conforms. */
export function checkPrimitiveTensors<O extends Options>(
  def: PrimitiveDefinition<O>,
  settings: PrimitiveTensorCheckOptions = {},
): Promise<Violation[]> {
  return runRulesAsync(RULES, subjectOf(def, settings));
}

/**
 * Registers one test per tensor rule for `def`: the primitive runs through the optimizer's own
 * tensor ops (@evopt/tfjs' tensorOps) on one genome's tensors and on populations [P, …] with
 * per-member constants. A failing test throws an EvoptError that names the rule and its fix.
 *
 * @example testPrimitiveTensors(adam, { test: it });
 */
export function testPrimitiveTensors<O extends Options>(
  def: PrimitiveDefinition<O>,
  settings: PrimitiveTensorSuiteOptions,
): void {
  let subject: TensorSubject | undefined;
  registerAsyncRules(
    settings.test,
    RULES,
    () => (subject ??= subjectOf(def, settings)),
    `primitive "${String(def?.id)}"`,
  );
}
