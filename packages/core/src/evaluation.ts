import type { Genome } from './genome/schema.js';
import type { SerializedError } from './errors.js';
import type { WorkerInfo } from './plugin/contracts.js';

/** How an evaluation ended. A diverged run scores −1; a failed one (an exception) too, marked apart. */
export type EvaluationStatus = 'ok' | 'diverged' | 'failed';

/** What a task returns for one genome and seed. */
export interface EvaluationOutcome {
  readonly status: EvaluationStatus;
  /** Per task and seed score; higher is better. Ignored (−1) unless status is 'ok'. */
  readonly score: number;
  /** Task-specific numbers: valAccuracy, testAccuracy, finalLoss, lossTailMean, stepsPerSecond… */
  readonly metrics: Readonly<Record<string, number>>;
  readonly stepsCompleted: number;
  readonly error?: SerializedError;
}

/** Identifies one unit of work; the cache and the journal are keyed by it. */
export interface EvaluationKey {
  readonly hash: string;
  readonly task: string;
  readonly seedIndex: number;
  readonly steps: number;
}

export interface EvaluationRequest extends EvaluationKey {
  readonly genome: Genome;
  /** Derived from (run seed, hash, task, seed index): independent of scheduling order. */
  readonly seed: number;
}

/** A finished evaluation, as journaled. */
export interface EvaluationRecord extends EvaluationKey, EvaluationOutcome {
  readonly seed: number;
  readonly durationMs: number;
  /** Which worker ran it ("thread-1", "inline", "host:pid"). */
  readonly worker: string;
}

export interface EvaluationProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly loss?: number;
  readonly stepsPerSecond?: number;
}

/** Where an evaluator reports. `finished` is called exactly once per request. */
export interface EvaluationSink {
  started(request: EvaluationRequest, worker: string): void;
  progress(request: EvaluationRequest, worker: string, progress: EvaluationProgress): void;
  finished(record: EvaluationRecord): void;
  /** Optional: worker lifecycle, for the TUI's worker panel. */
  workerStatus?(
    worker: string,
    status: 'starting' | 'ready' | 'busy' | 'idle' | 'crashed' | 'stopped',
    detail?: string,
  ): void;
  /** Optional: what a task reported about its worker (backend, devices). */
  workerInfo?(worker: string, info: WorkerInfo): void;
}

export function evaluationKeyString(key: EvaluationKey): string {
  return `${key.hash}|${key.task}|${key.seedIndex}|${key.steps}`;
}
