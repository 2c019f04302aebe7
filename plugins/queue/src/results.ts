// What the queue evaluator makes of finished jobs, progress reports and Redis errors.
import { hostname } from 'node:os';
import type { Job } from 'bullmq';
import {
  EvoptError,
  failedRecord as failedRequestRecord,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
} from '@evopt/core';
import { redactSecrets } from './connection.js';
import { REFUSAL_FIX, VERSION_REFUSED, type QueueJobData, type QueueJobResult, type QueueProgress } from './job.js';

/** The record of a job whose failure is final (its tries used up, or its worker stalled too often). */
export function failedRecord(request: EvaluationRequest, job: Job<QueueJobData, QueueJobResult>): EvaluationRecord {
  const error = new EvoptError(
    'EVALUATION_FAILED',
    `Queue job ${job.id ?? '?'} failed after ${job.attemptsMade} attempt(s): ${redactSecrets(job.failedReason)}`,
    {
      fix: "The genome scores as failed. If every genome fails this way, look at the workers' output (evopt worker) for the cause.",
      details: { jobId: job.id, attempts: job.attemptsMade },
    },
  );
  const durationMs =
    job.finishedOn !== undefined && job.processedOn !== undefined ? job.finishedOn - job.processedOn : 0;
  return failedRequestRecord(request, error, durationMs, job.processedBy ?? `queue@${hostname()}`);
}

/** The run's error for a job a worker refused; the worker's fix (what to install, which config) leads, when it sent one. */
export function versionRefused(reason: string, url: string): EvoptError {
  const [why, fix] = reason.slice(VERSION_REFUSED.length).replace(/^:\s*/, '').split(REFUSAL_FIX);
  return new EvoptError('EVALUATION_FAILED', `A worker of the queue at ${url} refused a job: ${why}`, {
    fix: `${fix ? `${fix} Or` : 'Run workers with the same evopt and plugin versions as the orchestrator, or'} stop the mismatched workers; then \`evopt resume\` the run.`,
    details: { url },
  });
}

export function queueError(error: unknown, url: string): EvoptError {
  return new EvoptError(
    'EVALUATION_FAILED',
    `The Redis queue at ${url} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
    {
      fix: 'Check that Redis is up and reachable; finished evaluations are journaled, so `evopt resume` carries on.',
      details: { url },
    },
  );
}

/** A worker's progress report, split into who sent it and the task's progress; null when it is not one. */
export function readProgress(data: unknown): { worker: string; progress: EvaluationProgress } | null {
  if (typeof data !== 'object' || data === null) return null;
  const { step, totalSteps, loss, stepsPerSecond, worker } = data as Partial<QueueProgress>;
  if (typeof step !== 'number' || typeof totalSteps !== 'number') return null;
  return {
    worker: typeof worker === 'string' ? worker : 'queue',
    progress: {
      step,
      totalSteps,
      ...(loss !== undefined && { loss }),
      ...(stepsPerSecond !== undefined && { stepsPerSecond }),
    },
  };
}

export function isRecord(value: unknown): value is EvaluationRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as EvaluationRecord).hash === 'string' &&
    typeof (value as EvaluationRecord).status === 'string'
  );
}
