import { paper, type EvaluationItem, type EvaluationOutcome, type EvaluationProgress } from '@evopt/core';
import { show } from '../samples.js';

const STATUSES: readonly unknown[] = ['ok', 'diverged', 'failed'];

/** A metric's value as the journal would keep it: a finite number. */
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Why `metrics` is not an object of finite numbers, or null when it is. */
function metricsProblem(metrics: unknown): string | null {
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics))
    return `metrics ${show(metrics)} (expected an object of numbers)`;
  const bad = Object.entries(metrics).find(([, value]) => !isFiniteNumber(value));
  return bad
    ? `the metric "${bad[0]}" = ${show(bad[1])} (metrics are journaled as JSON: finite numbers only; leave out what was not measured)`
    : null;
}

/**
 * Why `outcome` breaks the outcome contract for `item`, or null when it keeps it: status ok,
 * diverged or failed; a finite score when ok and −1 otherwise; finite metrics; an integer
 * 0 ≤ stepsCompleted ≤ item.steps.
 */
export function outcomeProblem(outcome: unknown, item: EvaluationItem): string | null {
  if (outcome === null || typeof outcome !== 'object') return `${show(outcome)} instead of an outcome object`;
  const o = outcome as Partial<EvaluationOutcome>;
  if (!STATUSES.includes(o.status)) return `status ${show(o.status)} (expected 'ok', 'diverged' or 'failed')`;
  if (o.status === 'ok' && !isFiniteNumber(o.score))
    return `status 'ok' with score ${show(o.score)} (an ok score must be finite; report a run whose loss is not finite as 'diverged')`;
  if (o.status !== 'ok' && o.score !== paper.PAPER_FITNESS.divergedScore)
    return `status '${o.status}' with score ${show(o.score)} (a run that is not ok scores ${paper.PAPER_FITNESS.divergedScore})`;
  const metrics = metricsProblem(o.metrics);
  if (metrics) return metrics;
  const steps = o.stepsCompleted;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0 || steps > item.steps) {
    return `stepsCompleted ${show(steps)} (expected an integer from 0 to the item's ${item.steps} steps)`;
  }
  return null;
}

/** Why `outcomes` is not one well-formed outcome per item, or null. */
export function outcomesProblem(outcomes: unknown, items: readonly EvaluationItem[]): string | null {
  if (!Array.isArray(outcomes)) return `returned ${show(outcomes)} instead of an array of outcomes`;
  if (outcomes.length !== items.length)
    return `returned ${outcomes.length} outcomes for ${items.length} items (one per item, in order)`;
  for (const [index, item] of items.entries()) {
    const problem = outcomeProblem(outcomes[index], item);
    if (problem) return `returned, for item ${index}, ${problem}`;
  }
  return null;
}

/**
 * The first difference between two outcomes of the same item, or null when they are the same bit
 * for bit: status, score, stepsCompleted, the metrics' names and, except for `execution` metrics
 * (such as stepsPerSecond, which describe how it ran), their values.
 */
export function outcomeDifference(
  a: EvaluationOutcome,
  b: EvaluationOutcome,
  execution: readonly string[],
): string | null {
  for (const key of ['status', 'score', 'stepsCompleted'] as const) {
    if (!Object.is(a[key], b[key])) return `${key} ${show(a[key])} and then ${show(b[key])}`;
  }
  const names = (o: EvaluationOutcome) => Object.keys(o.metrics ?? {}).sort();
  if (names(a).join() !== names(b).join()) return `the metrics ${show(names(a))} and then ${show(names(b))}`;
  for (const name of names(a)) {
    if (execution.includes(name)) continue;
    if (!Object.is(a.metrics[name], b.metrics[name]))
      return `the metric "${name}" ${show(a.metrics[name])} and then ${show(b.metrics[name])}`;
  }
  return null;
}

/** One progress report as the suite saw it: which item, and what was reported. */
export interface ProgressReport {
  readonly index: number;
  readonly progress: EvaluationProgress;
}

/** Why a progress report does not fit the batch, or null: a known item, 0 ≤ step ≤ totalSteps = its steps, finite numbers. */
export function progressProblem({ index, progress }: ProgressReport, items: readonly EvaluationItem[]): string | null {
  const item = items[index];
  if (!Number.isInteger(index) || item === undefined)
    return `reported progress for item ${show(index)} of a batch of ${items.length}`;
  if (progress === null || typeof progress !== 'object') return `reported progress ${show(progress)} for item ${index}`;
  const { step, totalSteps, loss, stepsPerSecond } = progress;
  if (totalSteps !== item.steps)
    return `reported totalSteps ${show(totalSteps)} for item ${index}, which has ${item.steps} steps`;
  if (!isFiniteNumber(step) || step < 0 || step > totalSteps)
    return `reported step ${show(step)} of ${totalSteps} for item ${index}`;
  if (loss !== undefined && !isFiniteNumber(loss))
    return `reported loss ${show(loss)} at step ${step} of item ${index}, which trains normally`;
  if (stepsPerSecond !== undefined && !(isFiniteNumber(stepsPerSecond) && stepsPerSecond >= 0))
    return `reported stepsPerSecond ${show(stepsPerSecond)} for item ${index}`;
  return null;
}
