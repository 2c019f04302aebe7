import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvoptError, paper, type Options, type TaskDefinition } from '@evopt/core';
import { violation, type AsyncConformanceRule, type Labelled } from '../rule.js';
import { show } from '../samples.js';
import { outcomeDifference, outcomesProblem, progressProblem } from './outcomes.js';
import type { Evaluation, TaskSession } from './session.js';

/** What every task rule sees. */
export interface TaskSubject extends Labelled {
  readonly id: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any options type; only parsed options are passed
  readonly def: TaskDefinition<any>;
  readonly meta: TaskDefinition['meta'];
  /** The options under test, as given (before parsing). */
  readonly options: Options | undefined;
  readonly session: TaskSession;
  /** Metrics that describe how an evaluation ran (stepsPerSecond, populationSize): their values may differ. */
  readonly executionMetrics: readonly string[];
  /** Tensors an evaluation, or a create → dispose cycle, may leave behind. */
  readonly tensorAllowance: number;
}

type TaskRule = AsyncConformanceRule<TaskSubject>;

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : show(error));

/**
 * The batch's evaluation, or null when evaluating it threw or gave anything but one well-formed
 * outcome per item: the rule "outcomes" reports that, and the rules built on it stay quiet, so that
 * one mistake breaks one rule.
 */
async function wellFormedBatch(s: TaskSubject): Promise<Evaluation | null> {
  const batch = await s.session.batch().catch(() => null);
  return batch !== null && outcomesProblem(batch.outcomes, s.session.settings.items) === null ? batch : null;
}

/** Whether evaluating the batch again on the same instance gave the same outcomes; when not, "deterministic" reports it. */
async function repeatsItself(s: TaskSubject, batch: Evaluation): Promise<boolean> {
  const again = await s.session.repeat().catch(() => null);
  if (again === null || outcomesProblem(again.outcomes, s.session.settings.items) !== null) return false;
  return batch.outcomes.every(
    (outcome, index) =>
      outcomeDifference(outcome, again.outcomes[index] as typeof outcome, s.executionMetrics) === null,
  );
}

async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'evopt-task-conformance-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const preflight: TaskRule = {
  id: 'preflight',
  description:
    'preflight, when given, passes with the context under test, and on an empty data dir passes or throws an EvoptError with a fix',
  fix: "Keep preflight to cheap checks (are the dataset's files there?) and throw new EvoptError(code, message, { fix: 'how to get the data' }) when one fails.",
  check: async (s) => {
    if (s.def.preflight === undefined) return [];
    if (typeof s.def.preflight !== 'function')
      return [violation(preflight, s, `has preflight ${show(s.def.preflight)}, not a function.`)];
    const { options, context } = s.session.settings;
    try {
      await s.def.preflight(options, { dataDir: context.dataDir });
    } catch (error) {
      return [
        violation(
          preflight,
          s,
          `failed its preflight with the data dir under test (${context.dataDir}): ${describeError(error)}.`,
        ),
      ];
    }
    return withTempDir(async (empty) => {
      try {
        await s.def.preflight?.(options, { dataDir: empty });
        return [];
      } catch (error) {
        return isEvoptError(error) && typeof error.fix === 'string' && error.fix.trim() !== ''
          ? []
          : [
              violation(
                preflight,
                s,
                `threw, on an empty data dir, ${describeError(error)}, which is not an EvoptError with a fix.`,
              ),
            ];
      }
    });
  },
};

const create: TaskRule = {
  id: 'create',
  description: 'create(options, context) returns an instance with evaluate, and dispose if any, as functions',
  fix: 'Return { evaluate(items, context) { … }, dispose() { … } } from create (or a promise of it); load data and start backends there, once.',
  check: async (s) => {
    const instance: unknown = await s.session.instance();
    if (instance === null || typeof instance !== 'object')
      return [violation(create, s, `created ${show(instance)} instead of a task instance.`)];
    const { evaluate, dispose } = instance as Record<string, unknown>;
    if (typeof evaluate !== 'function')
      return [violation(create, s, `created an instance whose evaluate is ${show(evaluate)}.`)];
    if (dispose !== undefined && typeof dispose !== 'function')
      return [violation(create, s, `created an instance whose dispose is ${show(dispose)}.`)];
    return [];
  },
};

const outcomes: TaskRule = {
  id: 'outcomes',
  description:
    'evaluate returns one outcome per item: status ok, diverged or failed, a finite score when ok and −1 otherwise, finite metrics, 0 ≤ stepsCompleted ≤ steps',
  fix: 'Return one { status, score, metrics, stepsCompleted } per item, in order; score a run that is not ok −1, keep only finite numbers in metrics, and count stepsCompleted up to item.steps.',
  check: async (s) => {
    const batch = await s.session.batch();
    const problem = outcomesProblem(batch.outcomes, s.session.settings.items);
    return problem ? [violation(outcomes, s, `${problem}.`)] : [];
  },
};

const trains: TaskRule = {
  id: 'trains',
  description: "the batch (by default Adam and SGD with momentum, a few steps) trains with status 'ok'",
  fix: "Return status 'ok' with the score when training ends normally; keep 'diverged' for a loss that is not finite or explodes, and let exceptions propagate (evopt records them as 'failed'). If these genomes really diverge on your task, pass items that train.",
  check: async (s) => {
    const batch = await wellFormedBatch(s);
    if (batch === null) return [];
    const index = batch.outcomes.findIndex((o) => o.status !== 'ok');
    if (index < 0) return [];
    const outcome = batch.outcomes[index];
    const error = outcome?.error ? `: ${outcome.error.message}` : '';
    return [
      violation(
        trains,
        s,
        `gave status '${outcome?.status}' for item ${index} (${show(s.session.settings.items[index]?.genome.terms)}, lr ${s.session.settings.items[index]?.genome.lr}, ${s.session.settings.items[index]?.steps} steps)${error}.`,
      ),
    ];
  },
};

const progress: TaskRule = {
  id: 'progress',
  description:
    'progress reports, if any, name an item of the batch and have 0 ≤ step ≤ totalSteps = its steps, with finite numbers',
  fix: "Call onProgress(index, { step, totalSteps: item.steps, loss?, stepsPerSecond? }) with the item's position in the batch and step counted from 0 to item.steps.",
  check: async (s) => {
    // A batch that threw is reported by "outcomes".
    const batch = await s.session.batch().catch(() => null);
    for (const report of batch?.progress ?? []) {
      const problem = progressProblem(report, s.session.settings.items);
      if (problem) return [violation(progress, s, `${problem}.`)];
    }
    return [];
  },
};

const deterministic: TaskRule = {
  id: 'deterministic',
  description:
    'the same items and seeds give the same outcomes bit for bit, from the same instance and from a fresh one (execution metrics such as stepsPerSecond aside)',
  fix: 'Derive every random choice (initialisation, batch order, dropout, noise) from item.seed, never from Math.random, a clock or a counter kept in the instance across evaluations.',
  check: async (s) => {
    const batch = await wellFormedBatch(s);
    if (batch === null) return [];
    const runs = [
      ['evaluated again on the same instance', (await s.session.repeat()).outcomes],
      ['evaluated on a fresh instance', (await s.session.fresh()).outcomes],
    ] as const;
    for (const [how, again] of runs) {
      const problem = outcomesProblem(again, s.session.settings.items);
      if (problem) return [violation(deterministic, s, `${problem}, when the batch was ${how}.`)];
      for (const [index, outcome] of batch.outcomes.entries()) {
        const difference = outcomeDifference(outcome, again[index] as typeof outcome, s.executionMetrics);
        if (difference)
          return [
            violation(
              deterministic,
              s,
              `gave item ${index} (seed ${s.session.settings.items[index]?.seed}) ${difference}, when the batch was ${how}.`,
            ),
          ];
      }
    }
    return [];
  },
};

const batchIndependent: TaskRule = {
  id: 'batch-independent',
  description: 'an item evaluated alone gives the same outcome as in a batch of two',
  fix: 'Train each item from its own seed with its own model and optimizer state: nothing carried over from the item before it, and batching (or population training) must not change any result.',
  check: async (s) => {
    const batch = await wellFormedBatch(s);
    if (batch === null || !(await repeatsItself(s, batch))) return [];
    const single = await s.session.single();
    const item = s.session.settings.items.at(-1);
    if (item === undefined) return [];
    const problem = outcomesProblem(single.outcomes, [item]);
    if (problem) return [violation(batchIndependent, s, `${problem}, for its item alone.`)];
    const last = batch.outcomes.length - 1;
    const difference = outcomeDifference(
      batch.outcomes[last] as (typeof batch.outcomes)[number],
      single.outcomes[0] as (typeof batch.outcomes)[number],
      s.executionMetrics,
    );
    return difference
      ? [violation(batchIndependent, s, `gave item ${last} of the batch, and then the same item alone, ${difference}.`)]
      : [];
  },
};

const divergence: TaskRule = {
  id: 'divergence',
  description:
    "a genome with a huge learning rate gives status 'diverged' with score −1 and finite metrics, without throwing",
  fix: "Check the loss every step (NaN, ±Inf or above the paper's 50 means diverged) and the weights after the last step; stop and return { status: 'diverged', score: -1, metrics (finite only), stepsCompleted }.",
  check: async (s) => {
    const { diverging } = s.session.settings;
    const evaluation = await s.session.diverging();
    const problem = outcomesProblem(evaluation.outcomes, [diverging]);
    if (problem) return [violation(divergence, s, `${problem}, for a genome with lr ${diverging.genome.lr}.`)];
    const outcome = evaluation.outcomes[0];
    if (outcome?.status === 'diverged' && outcome.score === paper.PAPER_FITNESS.divergedScore) return [];
    return [
      violation(
        divergence,
        s,
        `gave status '${outcome?.status}' with score ${show(outcome?.score)} after ${outcome?.stepsCompleted} of ${diverging.steps} steps for a genome with lr ${diverging.genome.lr} (${show(diverging.genome.terms)}).`,
      ),
    ];
  },
};

const dispose: TaskRule = {
  id: 'dispose',
  description: 'dispose, when given, resolves, and calling it a second time is harmless',
  fix: 'Free what create allocated in dispose, and make it idempotent: a host may call it again while shutting down (remember what was freed, or use calls that tolerate it, like tensor.dispose()).',
  check: async (s) => {
    const disposal = await s.session.disposal();
    if (!disposal.hasDispose) return [];
    if ('error' in disposal.first)
      return [violation(dispose, s, `threw from dispose: ${describeError(disposal.first.error)}.`)];
    if ('error' in disposal.second)
      return [violation(dispose, s, `threw from a second dispose: ${describeError(disposal.second.error)}.`)];
    return [];
  },
};

const tensorLeaks: TaskRule = {
  id: 'tensor-leaks',
  description: 'evaluating (ok or diverged) and a create → dispose cycle leave the count of live tensors unchanged',
  fix: "Run tensor work in tf.tidy, dispose models, optimizers and the tensors kept between steps in a finally block, and free the instance's own tensors (datasets) in dispose.",
  check: async (s) => {
    const { tensors } = s.session.settings;
    const allowed = s.tensorAllowance;
    const cases: [string, Promise<{ readonly tensorsBefore: number; readonly tensorsAfter: number }>][] = [
      ['evaluating the batch a second time', s.session.repeat()],
      ['evaluating a diverging genome', s.session.diverging()],
      ['a second create → evaluate → dispose cycle', s.session.fresh()],
    ];
    for (const [what, pending] of cases) {
      // A part that threw is reported by its own rule (deterministic, divergence); there is nothing to count.
      const counted = await pending.catch(() => null);
      if (counted === null) continue;
      const { tensorsBefore, tensorsAfter } = counted;
      if (tensorsAfter - tensorsBefore > allowed) {
        const allowance = allowed > 0 ? ` (allowance ${allowed})` : '';
        return [
          violation(
            tensorLeaks,
            s,
            `left ${tensorsAfter - tensorsBefore} more ${tensors.label} after ${what}: ${tensorsBefore} before, ${tensorsAfter} after${allowance}.`,
          ),
        ];
      }
    }
    return [];
  },
};

/** The task rules after the shared valid-id, meta-summary and options-defaults, in the order they are registered. */
export const TASK_RULES: readonly TaskRule[] = [
  preflight,
  create,
  outcomes,
  trains,
  progress,
  deterministic,
  batchIndependent,
  divergence,
  dispose,
  tensorLeaks,
];
