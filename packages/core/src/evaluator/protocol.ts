import type { SerializedError } from '../errors.js';
import type { EvaluationProgress, EvaluationRecord, EvaluationRequest } from '../evaluation.js';
import type { Options } from '../plugin/meta.js';
import type { WorkerInfo } from '../plugin/contracts.js';

/**
 * The messages between the worker pool (main thread) and its worker threads. Everything here
 * survives structured clone: no classes, no functions.
 */

/** A worker's `workerData`: enough to load the same plugins and build the same tasks. */
export interface PoolWorkerData {
  readonly pluginUrls: readonly string[];
  readonly taskOptions: Readonly<Record<string, Options>>;
  readonly dataDir: string;
  readonly backend: string;
  /** "thread-1", …: the name its records carry. */
  readonly name: string;
}

/** Main → worker: evaluate one batch (requests of one task). */
export interface EvaluateMessage {
  readonly type: 'evaluate';
  readonly id: number;
  readonly requests: readonly EvaluationRequest[];
}

/** Worker → main. `index` points into the batch's `requests`. */
export type WorkerMessage =
  /** Plugins loaded and registries frozen: the worker takes batches. */
  | { readonly type: 'ready' }
  | { readonly type: 'started'; readonly id: number; readonly index: number }
  | { readonly type: 'progress'; readonly id: number; readonly index: number; readonly progress: EvaluationProgress }
  | { readonly type: 'finished'; readonly id: number; readonly records: readonly EvaluationRecord[] }
  | { readonly type: 'log'; readonly message: string }
  | { readonly type: 'info'; readonly info: WorkerInfo }
  /** The worker cannot go on (a plugin failed to load); the pool terminates it. */
  | { readonly type: 'fatal'; readonly error: SerializedError };
