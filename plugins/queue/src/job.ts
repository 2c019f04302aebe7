import { createHash } from 'node:crypto';
import type { EvaluationProgress, EvaluationRecord, EvaluationRequest, Options } from '@evopt/core';
import type { QueueVersions } from './versions.js';

/** What one queue job carries: a request, its task's options, and the code it must run with. */
export interface QueueJobData {
  readonly schema: 'evopt.queue-job/1';
  readonly request: EvaluationRequest;
  /** The task's validated options, so workers need not share the run's config. */
  readonly taskOptions: Options;
  readonly versions: QueueVersions;
}

/** A job's return value is the evaluation record itself. */
export type QueueJobResult = EvaluationRecord;

/** What a worker reports through job.updateProgress: the task's progress, and who runs it (`host:pid`). */
export interface QueueProgress extends EvaluationProgress {
  readonly worker: string;
}

/** Prefix of the failure reason of a job that a worker refused for its versions. */
export const VERSION_REFUSED = 'VERSION_REFUSED';
/** Between a refusal's reason and its fix (what to install, or which config to pass), as EvoptError writes a fix. */
export const REFUSAL_FIX = '\n  fix: ';

/**
 * The job id: sha256 over everything that decides the record (genome hash, task, seed index,
 * steps, seed, task options, engine and plugin versions). Enqueueing it twice is a no-op, and a
 * restarted orchestrator finds its jobs again by recomputing the ids.
 */
export function queueJobId(request: EvaluationRequest, taskOptions: Options, versions: QueueVersions): string {
  const { hash, task, seedIndex, steps, seed } = request;
  const identity = canonical({
    hash,
    task,
    seedIndex,
    steps,
    seed,
    taskOptions,
    evopt: versions.evopt,
    plugins: versions.plugins,
  });
  // A prefix keeps BullMQ from ever taking the id for an integer.
  return `evopt-${createHash('sha256').update(identity).digest('hex')}`;
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
