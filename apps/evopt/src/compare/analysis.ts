import { recordScore, relativeChange, type EvaluationRecord } from '@evopt/core';
import { bootstrapMean, pairedTTest, type Estimate } from '../stats/index.js';
import { trialSeed, type TrialResults, type TrialSplit, type TrialSubject } from '../trials/index.js';
import {
  COMPARE_SCHEMA_ID,
  type CompareRole,
  type ComparisonReport,
  type Interval,
  type OverallSection,
  type ReportTask,
  type ResultCell,
  type TaskGroup,
  type TaskResult,
  type TuningReport,
  type Versus,
} from './report.js';

/** Every relative change and p-value is against this baseline, as in the paper. */
export const REFERENCE_LABEL = 'adam';
/** The task metric reported beside fitness. */
export const TEST_ACCURACY = 'testAccuracy';
export const CONFIDENCE_LEVEL = 0.95;
export const BOOTSTRAP_RESAMPLES = 2000;
/** p-values below this are marked significant (two-sided). */
export const SIGNIFICANCE_LEVEL = 0.05;

/** A subject as compare scores it: its role, and how to show it. */
export interface ComparedSubject extends TrialSubject {
  readonly role: CompareRole;
  readonly formula: string;
  readonly hyperparameters: string;
  readonly tuning: TuningReport | null;
}

/** What the analysis needs besides the records. */
export interface ComparisonPlan {
  /** In report order, with unique labels; their hashes are the ones `results` was run with. */
  readonly subjects: readonly ComparedSubject[];
  /** The split each task was scored on (createTrialEvaluator's `splits`). */
  readonly splits: Readonly<Record<string, TrialSplit | 'task default'>>;
  /** Set when the baselines' learning rates were tuned on validation. */
  readonly tuning: { readonly salt: string; readonly multipliers: readonly number[] } | null;
  readonly evoptVersion: string;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function interval(estimate: Estimate): Interval {
  return { mean: finite(estimate.mean), low: finite(estimate.low), high: finite(estimate.high), n: estimate.n };
}

/** Per seed index: `pick(record)`, NaN where the seed has no record. */
function perSeed(
  results: TrialResults,
  hash: string,
  task: string,
  pick: (record: EvaluationRecord) => number,
): number[] {
  const out = Array.from({ length: results.plan.seeds }, () => Number.NaN);
  for (const record of results.records(hash, task)) out[record.seedIndex] = pick(record);
  return out;
}

const accuracyOf = (record: EvaluationRecord): number =>
  record.status === 'ok' ? (record.metrics[TEST_ACCURACY] ?? Number.NaN) : Number.NaN;

/** Per seed, the mean over the series (NaN when any of them lacks that seed). */
function seedMeans(series: readonly (readonly number[])[], seeds: number): number[] {
  return Array.from(
    { length: seeds },
    (_, i) => series.reduce((sum, s) => sum + (s[i] ?? Number.NaN), 0) / series.length,
  );
}

/**
 * A genome's fitness per seed index: the mean over the plan's tasks of each record's score (−1 for
 * a diverged or failed seed). Their mean is the search's fitness; NaN where a seed lacks a record.
 */
export function fitnessPerSeed(results: TrialResults, hash: string): number[] {
  return seedMeans(
    results.plan.tasks.map((task) => perSeed(results, hash, task, recordScore)),
    results.plan.seeds,
  );
}

/** Mean and percentile-bootstrap interval, seeded by the plan, with undefined values as null. */
export function estimateOf(values: readonly number[], seed: number): Interval {
  return interval(bootstrapMean(values, { seed, resamples: BOOTSTRAP_RESAMPLES, level: CONFIDENCE_LEVEL }));
}

function versus(
  values: readonly number[],
  reference: readonly number[],
  mean: number | null,
  referenceMean: number | null,
  isReference: boolean,
): Versus {
  const test = pairedTTest(values, reference, { alternative: 'two-sided' });
  return {
    relative: mean === null || referenceMean === null ? null : finite(relativeChange(mean, referenceMean)),
    pValue: isReference ? null : finite(test.pValue),
    meanDifference: finite(test.meanDifference),
    pairs: test.n,
  };
}

/** The series one subject has on a task or group: scores and (where reported) test accuracies. */
interface Series {
  readonly scores: number[];
  readonly accuracies: number[] | null;
  readonly diverged: number;
  readonly failed: number;
}

function toCell(
  label: string,
  series: Series,
  reference: Series | null,
  isReference: boolean,
  estimate: (values: readonly number[]) => Interval,
): ResultCell {
  const fitness = estimate(series.scores);
  const testAccuracy = series.accuracies ? estimate(series.accuracies) : null;
  let vsReference: ResultCell['vsReference'] = null;
  if (reference) {
    const referenceFitness = estimate(reference.scores);
    vsReference = {
      fitness: versus(series.scores, reference.scores, fitness.mean, referenceFitness.mean, isReference),
      testAccuracy:
        series.accuracies && reference.accuracies && testAccuracy
          ? versus(
              series.accuracies,
              reference.accuracies,
              testAccuracy.mean,
              estimate(reference.accuracies).mean,
              isReference,
            )
          : null,
    };
  }
  return {
    subject: label,
    scores: series.scores.map(finite),
    fitness,
    testAccuracies: series.accuracies ? series.accuracies.map(finite) : null,
    testAccuracy,
    vsReference,
    diverged: series.diverged,
    failed: series.failed,
  };
}

/** Which tasks the compared runs searched on; null when no subject comes from a run with known tasks. */
function searchedTasks(subjects: readonly ComparedSubject[]): Map<string, string[]> | null {
  const fromRuns = subjects.filter((s) => s.run && s.run.tasks.length > 0);
  if (fromRuns.length === 0) return null;
  const searched = new Map<string, string[]>();
  for (const s of fromRuns) {
    for (const task of s.run?.tasks ?? [])
      searched.set(task, [...new Set([...(searched.get(task) ?? []), s.run?.runId ?? s.label])]);
  }
  return searched;
}

/**
 * The paper's tables from a finished comparison: per task and overall, each subject's fitness
 * (−1 for a diverged or failed seed, as in search) and test accuracy as mean and bootstrap
 * interval over seeds, with the relative change against Adam and a two-sided paired t-test over
 * the seeds both share. Overall numbers take, per seed, the mean over the group's tasks, so the
 * overall mean is the search's fitness (mean over tasks and seeds) and pairs stay seed by seed.
 * A task is held out when no compared run searched on it. Pure: the same input gives the same report.
 */
export function analyzeComparison(results: TrialResults, plan: ComparisonPlan): ComparisonReport {
  const trial = results.plan;
  const { seeds } = trial;
  const estimate = (values: readonly number[]): Interval => estimateOf(values, trial.seed);
  const referenceSubject = plan.subjects.find((s) => s.label === REFERENCE_LABEL && s.kind === 'baseline') ?? null;
  const searched = searchedTasks(plan.subjects);

  const series = new Map<string, Map<string, Series>>();
  for (const subject of plan.subjects) {
    const byTask = new Map<string, Series>();
    for (const task of trial.tasks) {
      const records = results.records(subject.hash, task);
      byTask.set(task, {
        scores: perSeed(results, subject.hash, task, recordScore),
        accuracies: perSeed(results, subject.hash, task, accuracyOf),
        diverged: records.filter((r) => r.status === 'diverged').length,
        failed: records.filter((r) => r.status === 'failed').length,
      });
    }
    series.set(subject.label, byTask);
  }
  const seriesOf = (label: string, task: string): Series => series.get(label)?.get(task) as Series;
  const hasAccuracy = (task: string) =>
    plan.subjects.some((s) => seriesOf(s.label, task).accuracies?.some(Number.isFinite));

  const tasks: ReportTask[] = trial.tasks.map((id) => ({
    id,
    split: plan.splits[id] ?? 'task default',
    heldOut: searched ? !searched.has(id) : null,
    searchedBy: searched?.get(id) ?? [],
    hasTestAccuracy: hasAccuracy(id),
    seeds: Array.from({ length: seeds }, (_, i) => trialSeed(trial, id, i)),
  }));

  const taskSeries = (label: string, task: ReportTask): Series => {
    const s = seriesOf(label, task.id);
    return { ...s, accuracies: task.hasTestAccuracy ? s.accuracies : null };
  };
  const groupSeries = (label: string, group: readonly ReportTask[]): Series => {
    const all = group.map((t) => taskSeries(label, t));
    const withAccuracy = all.flatMap((s) => (s.accuracies ? [s.accuracies] : []));
    return {
      scores: seedMeans(
        all.map((s) => s.scores),
        seeds,
      ),
      accuracies: withAccuracy.length > 0 ? seedMeans(withAccuracy, seeds) : null,
      diverged: all.reduce((n, s) => n + s.diverged, 0),
      failed: all.reduce((n, s) => n + s.failed, 0),
    };
  };
  const cells = (of: (label: string) => Series): ResultCell[] => {
    const reference = referenceSubject ? of(referenceSubject.label) : null;
    return plan.subjects.map((s) => toCell(s.label, of(s.label), reference, s === referenceSubject, estimate));
  };

  const taskResults: TaskResult[] = tasks.flatMap((task) =>
    cells((label) => taskSeries(label, task)).map((cell) => ({ task: task.id, ...cell })),
  );
  const groups: [TaskGroup, ReportTask[]][] = [['all', tasks]];
  const searchTasks = tasks.filter((t) => t.heldOut === false);
  const heldOutTasks = tasks.filter((t) => t.heldOut === true);
  if (searchTasks.length > 0 && heldOutTasks.length > 0)
    groups.push(['search', searchTasks], ['held-out', heldOutTasks]);
  const overall: OverallSection[] = groups.map(([group, members]) => ({
    group,
    tasks: members.map((t) => t.id),
    results: cells((label) => groupSeries(label, members)),
  }));

  return {
    schema: COMPARE_SCHEMA_ID,
    evoptVersion: plan.evoptVersion,
    settings: {
      split: 'test',
      seed: trial.seed,
      salt: trial.salt,
      seeds,
      steps: trial.steps,
      level: CONFIDENCE_LEVEL,
      resamples: BOOTSTRAP_RESAMPLES,
      alpha: SIGNIFICANCE_LEVEL,
      reference: referenceSubject?.label ?? null,
      baselinesTuned: plan.tuning !== null,
      tuning: plan.tuning
        ? { split: 'validation', salt: plan.tuning.salt, multipliers: plan.tuning.multipliers }
        : null,
      heldOutKnown: searched !== null,
    },
    subjects: plan.subjects.map((s) => ({
      label: s.label,
      role: s.role,
      kind: s.kind,
      hash: s.hash,
      formula: s.formula,
      hyperparameters: s.hyperparameters,
      lr: s.genome.lr,
      run: s.run ? { runId: s.run.runId, dir: s.run.dir, tasks: s.run.tasks } : null,
      tuning: s.tuning,
    })),
    tasks,
    results: taskResults,
    overall,
    notes: notes(plan, tasks, taskResults, referenceSubject !== null, searched !== null, seeds),
  };
}

function notes(
  plan: ComparisonPlan,
  tasks: readonly ReportTask[],
  results: readonly TaskResult[],
  hasReference: boolean,
  heldOutKnown: boolean,
  seeds: number,
): string[] {
  const out: string[] = [];
  if (plan.tuning) {
    const multipliers = plan.tuning.multipliers.map((m) => `×${m}`).join(', ');
    out.push(
      `Tuned baselines: each baseline's learning rate was chosen from ${multipliers} its default by fitness on the validation split (its own seeds, salt '${plan.tuning.salt}'), then scored on test like every other genome.`,
    );
  } else {
    out.push(
      'Untuned baselines: each baseline ran with its default hyperparameters, as in the paper (--tune-baselines gives them a learning-rate grid).',
    );
  }
  if (!hasReference)
    out.push(
      `No ${REFERENCE_LABEL} baseline in the comparison, so there are no relative changes or p-values (add ${REFERENCE_LABEL} to --baselines).`,
    );
  if (!heldOutKnown)
    out.push('Held-out status unknown: no subject comes from a run, so which tasks search used is not known.');
  for (const task of tasks) {
    if (task.split !== 'test')
      out.push(`${task.id} has no test split: it was scored its default way, on fresh seeds that search never used.`);
  }
  for (const r of results) {
    if (r.failed > 0)
      out.push(
        `${r.subject} on ${r.task}: ${r.failed} of ${seeds} seeds failed and count as −1 (see trials-test.jsonl for the error).`,
      );
    if (r.diverged > 0)
      out.push(`${r.subject} on ${r.task}: ${r.diverged} of ${seeds} seeds diverged and count as −1.`);
    if (r.fitness.n < seeds)
      out.push(`${r.subject} on ${r.task}: only ${r.fitness.n} of ${seeds} seeds have a record.`);
  }
  return out;
}
