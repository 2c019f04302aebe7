import { evaluationKeyString, mean, recordScore, type EvaluationRecord, type EvoptEvent } from '@evopt/core';

/** One task's scores for one genome over its seeds (diverged and failed runs count as −1). */
export interface TaskScores {
  readonly mean: number;
  readonly min: number;
  readonly max: number;
  readonly seeds: number;
}

/** The journal's evaluation records, by key and by genome. A later record of a key replaces an earlier one. */
export class RecordIndex {
  private readonly byKey = new Map<string, EvaluationRecord>();
  private readonly byHash = new Map<string, EvaluationRecord[]>();

  constructor(events: readonly EvoptEvent[]) {
    for (const event of events)
      if (event.type === 'evaluation-finished') this.byKey.set(evaluationKeyString(event.record), event.record);
    for (const record of this.byKey.values())
      this.byHash.set(record.hash, [...(this.byHash.get(record.hash) ?? []), record]);
  }

  get all(): readonly EvaluationRecord[] {
    return [...this.byKey.values()];
  }

  /** A genome's records at the run's budget (every record of it when the budget is unknown). */
  forGenome(hash: string, steps: number | null): EvaluationRecord[] {
    return (this.byHash.get(hash) ?? []).filter((r) => steps === null || r.steps === steps);
  }
}

/** Per task: the mean, lowest and highest score over seeds. */
export function scoresByTask(records: readonly EvaluationRecord[]): Record<string, TaskScores> {
  const byTask = new Map<string, number[]>();
  for (const record of records) byTask.set(record.task, [...(byTask.get(record.task) ?? []), recordScore(record)]);
  return Object.fromEntries(
    [...byTask].map(([task, scores]) => [
      task,
      { mean: mean(scores), min: Math.min(...scores), max: Math.max(...scores), seeds: scores.length },
    ]),
  );
}

export interface WorkerStats {
  readonly worker: string;
  readonly evaluations: number;
  readonly busyMs: number;
  readonly meanMs: number;
  /** Evaluations per minute of the worker's busy time. */
  readonly perMinute: number;
  /** What the worker's task reported (worker-info): the backend it got. */
  readonly backend: string | null;
}

export interface EvaluationStats {
  readonly total: number;
  readonly ok: number;
  readonly diverged: number;
  readonly failed: number;
  readonly meanMs: number;
  readonly cacheHits: number;
  readonly workers: readonly WorkerStats[];
  /** Failed evaluations' error messages, most frequent first. */
  readonly errors: readonly { readonly message: string; readonly count: number }[];
}

const MAX_ERRORS = 5;

/** Status counts, durations and throughput per worker, from the evaluation records. */
export function evaluationStats(records: readonly EvaluationRecord[], events: readonly EvoptEvent[]): EvaluationStats {
  const backends = new Map<string, string>();
  for (const event of events)
    if (event.type === 'worker-info' && event.backend) backends.set(event.worker, event.backend);
  const byWorker = new Map<string, number[]>();
  for (const record of records)
    byWorker.set(record.worker, [...(byWorker.get(record.worker) ?? []), record.durationMs]);
  const workers = [...byWorker]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([worker, durations]) => {
      const busyMs = durations.reduce((a, b) => a + b, 0);
      return {
        worker,
        evaluations: durations.length,
        busyMs,
        meanMs: busyMs / durations.length,
        perMinute: busyMs > 0 ? (durations.length * 60_000) / busyMs : Number.NaN,
        backend: backends.get(worker) ?? null,
      };
    });
  const errors = new Map<string, number>();
  for (const record of records) {
    if (record.status === 'failed') {
      const message = record.error?.message ?? '(no message)';
      errors.set(message, (errors.get(message) ?? 0) + 1);
    }
  }
  const count = (status: EvaluationRecord['status']) => records.filter((r) => r.status === status).length;
  return {
    total: records.length,
    ok: count('ok'),
    diverged: count('diverged'),
    failed: count('failed'),
    meanMs: records.length === 0 ? Number.NaN : records.reduce((sum, r) => sum + r.durationMs, 0) / records.length,
    cacheHits: events.filter((e) => e.type === 'cache-hit').length,
    workers,
    errors: [...errors]
      .sort(([, a], [, b]) => b - a)
      .slice(0, MAX_ERRORS)
      .map(([message, n]) => ({ message, count: n })),
  };
}
