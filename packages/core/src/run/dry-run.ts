import type { ResolvedConfig } from '../config/schema.js';
import type { EvaluationRecord } from '../evaluation.js';
import type { TaskHost } from '../evaluator/task-host.js';
import { genomeHash } from '../genome/canonical.js';
import type { Genome } from '../genome/schema.js';
import type { ReadonlyRegistries } from '../registry/registries.js';
import { evaluationSeed } from './evolution.js';

/** How much work a run's config asks for, before any genome is trained. */
export interface RunCounts {
  /**
   * Distinct genomes evaluated at most: the whole first generation, then the non-elites of each
   * later one (elites and repeated genomes come from the cache, never retrained).
   */
  readonly genomes: number;
  readonly tasks: readonly TaskCounts[];
  readonly evaluations: number;
  readonly trainingSteps: number;
}

export interface TaskCounts {
  readonly id: string;
  readonly evaluations: number;
  readonly trainingSteps: number;
}

export function countRun(config: ResolvedConfig): RunCounts {
  const { populationSize, generations, elites } = config.ga;
  const genomes = populationSize + Math.max(0, generations - 1) * (populationSize - elites);
  const { seeds, steps } = config.evaluation;
  const tasks = config.tasks.map(({ id }) => ({
    id,
    evaluations: genomes * seeds,
    trainingSteps: genomes * seeds * steps,
  }));
  return {
    genomes,
    tasks,
    evaluations: tasks.reduce((sum, t) => sum + t.evaluations, 0),
    trainingSteps: tasks.reduce((sum, t) => sum + t.trainingSteps, 0),
  };
}

/** A timed training shorter than this is repeated with more steps. */
const MIN_TIMED_MS = 1_000;
const TARGET_TIMED_MS = 1_500;

/** What one task costs on this thread's backend, from two short trainings of the same genome. */
export interface TaskCalibration {
  readonly task: string;
  /** Creating the task (loading and preparing data) plus the first, warm-up evaluation. */
  readonly prepareMs: number;
  /** Time per training step. */
  readonly stepMs: number;
  /** Time per evaluation that does not depend on steps: model init, scoring on the validation split. */
  readonly fixedMs: number;
  /** Why the task could not be calibrated (for example, its dataset is missing); no times then. */
  readonly error?: string;
}

export interface CalibrateOptions {
  readonly host: TaskHost;
  readonly config: ResolvedConfig;
  readonly registries: ReadonlyRegistries;
  /** The genome trained (Adam, usually). */
  readonly genome: Genome;
  /** Step counts of the two timed trainings; the difference gives the time per step. Default [2, 8]; the second grows until it lasts about 1.5 s, up to the run's steps. */
  readonly steps?: readonly [number, number];
}

/**
 * Times every task of the config on `host` (this thread): one warm-up evaluation (which also
 * creates the task), then trainings of `steps[0]` and `steps[1]` steps. The time per step is the
 * task's reported `stepsPerSecond` when it has one, else the difference of the two trainings.
 * A failed task is reported with its error instead of times.
 */
export async function calibrateTasks(options: CalibrateOptions): Promise<TaskCalibration[]> {
  const { host, config, registries, genome } = options;
  const [short, long] = options.steps ?? [2, 8];
  const hash = genomeHash(genome, registries);
  const calibrations: TaskCalibration[] = [];
  for (const { id: task } of config.tasks) {
    const seed = evaluationSeed(config.seed, task, 0);
    const timed = async (steps: number): Promise<{ ms: number; record: EvaluationRecord }> => {
      const began = performance.now();
      const [record] = await host.evaluate([{ genome, hash, task, seed, seedIndex: 0, steps }], 'calibration');
      if (!record) throw new Error(`the task returned no record for "${task}"`);
      return { ms: performance.now() - began, record };
    };
    const warmUp = await timed(short);
    if (warmUp.record.status === 'failed') {
      calibrations.push({
        task,
        prepareMs: warmUp.ms,
        stepMs: 0,
        fixedMs: 0,
        error: warmUp.record.error?.message ?? 'the evaluation failed',
      });
      continue;
    }
    const a = await timed(short);
    // The longer training must last long enough to time steps well (about 1.5 s), within the run's budget.
    let steps = Math.min(long, config.evaluation.steps);
    let b = await timed(steps);
    if (b.ms - a.ms < MIN_TIMED_MS && steps < config.evaluation.steps) {
      const perStep = Math.max(b.ms - a.ms, 1) / Math.max(steps - short, 1);
      steps = Math.min(config.evaluation.steps, short + Math.ceil(TARGET_TIMED_MS / perStep));
      b = await timed(steps);
    }
    // The task's own training rate, when it reports one, excludes init and scoring, whose noise
    // (garbage collection while scoring thousands of images) swamps a difference of a few steps.
    const reported = b.record.metrics['stepsPerSecond'];
    const stepMs =
      reported !== undefined && Number.isFinite(reported) && reported > 0
        ? 1000 / reported
        : steps > short
          ? Math.max(0, (b.ms - a.ms) / (steps - short))
          : b.ms / Math.max(steps, 1);
    calibrations.push({ task, prepareMs: warmUp.ms, stepMs, fixedMs: Math.max(0, b.ms - steps * stepMs) });
  }
  return calibrations;
}

/**
 * Wall time of the whole run, from the counts and the calibration: every evaluation costs
 * fixed + steps × step time, spread over `workers` equally fast workers. Null when a task could
 * not be calibrated.
 */
export function estimateRunMs(
  counts: RunCounts,
  calibrations: readonly TaskCalibration[],
  steps: number,
  workers: number,
): number | null {
  let total = 0;
  for (const task of counts.tasks) {
    const calibration = calibrations.find((c) => c.task === task.id);
    if (!calibration || calibration.error !== undefined) return null;
    total += task.evaluations * (calibration.fixedMs + steps * calibration.stepMs);
  }
  return total / Math.max(1, workers);
}
