import type { EvaluationRecord } from '../evaluation.js';
import { PAPER_FITNESS } from '../presets/paper.js';
import { mean } from '../stats/summary.js';

/** A record's contribution to fitness: its score if it finished, −1 if it diverged or failed. */
export function recordScore(record: Pick<EvaluationRecord, 'status' | 'score'>): number {
  return record.status === 'ok' && Number.isFinite(record.score) ? record.score : PAPER_FITNESS.divergedScore;
}

export interface Fitness {
  /** Mean over tasks and seeds of the per-record scores. */
  readonly fitness: number;
  /** Mean per task over its seeds. */
  readonly perTask: Readonly<Record<string, number>>;
  readonly diverged: number;
  readonly failed: number;
}

/** The paper's aggregation: −1 on divergence, then the mean over tasks and seeds. */
export function aggregateFitness(records: readonly EvaluationRecord[]): Fitness {
  const byTask = new Map<string, number[]>();
  for (const record of records) {
    const list = byTask.get(record.task) ?? [];
    list.push(recordScore(record));
    byTask.set(record.task, list);
  }
  const perTask = Object.fromEntries(
    [...byTask].sort(([a], [b]) => (a < b ? -1 : 1)).map(([task, scores]) => [task, mean(scores)]),
  );
  return {
    fitness: records.length === 0 ? PAPER_FITNESS.divergedScore : mean(records.map(recordScore)),
    perTask,
    diverged: records.filter((r) => r.status === 'diverged').length,
    failed: records.filter((r) => r.status === 'failed').length,
  };
}

/**
 * The paper's score for one task and seed: val_acc + 0.05·max(0, 1 − mean of the last 50 training
 * losses). Tasks that train classifiers report this as their score.
 */
export function paperScore(validationAccuracy: number, trainingLosses: readonly number[]): number {
  const tail = trainingLosses.slice(-PAPER_FITNESS.lossTail);
  const tailMean = tail.length === 0 ? Number.POSITIVE_INFINITY : mean(tail);
  return validationAccuracy + PAPER_FITNESS.lossBonus * Math.max(0, 1 - tailMean);
}

/** True when a training loss means the run diverged: NaN, ±Inf, or above 50. */
export function isDivergedLoss(loss: number): boolean {
  return !Number.isFinite(loss) || loss > PAPER_FITNESS.divergenceLoss;
}
