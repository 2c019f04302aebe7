import { availableParallelism } from 'node:os';
import { EvoptError, serializeError } from '../errors.js';
import { evaluationKeyString, type EvaluationProgress, type EvaluationRecord, type EvaluationRequest, type EvaluationSink } from '../evaluation.js';
import type { Evaluator, EvaluatorContext } from '../plugin/contracts.js';
import { PAPER_FITNESS } from '../presets/paper.js';
import { evaluationAborted, evaluatorMisuse, workerCrashed } from './errors.js';
import { PoolWorker, type LostRequest, type PoolWorkerListener } from './pool-worker.js';
import { assertWorkerScript, workerScriptUrl } from './worker-script.js';

/** Options of the worker pool (the evaluator definition validates them). */
export interface WorkerPoolOptions {
  /** Worker threads; 'auto' (the default) is os.availableParallelism(). */
  readonly workers?: number | 'auto';
  /** Requests of the same task sent to a worker in one evaluate call (for batched GPU tasks). Default 1. */
  readonly batchSize?: number;
}

interface Job {
  readonly sink: EvaluationSink;
  readonly queue: EvaluationRequest[][];
  readonly total: number;
  remaining: number;
  /** Worker deaths so far; more than twice the requests means something kills every worker. */
  crashes: number;
  /** Requests already retried once after a crash; a second crash fails them. */
  readonly retried: Set<string>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The default evaluator: tasks train in `worker_threads`, so the main thread (events, journal,
 * TUI) never blocks. Workers start on first use, load the run's plugins themselves, prepare
 * each task once, and are reused by every later `evaluate` (one per generation).
 * A worker that dies mid-batch fails that batch's requests with WORKER_CRASHED and is replaced.
 */
export class WorkerPoolEvaluator implements Evaluator {
  readonly id = 'worker-pool';
  /** Worker threads (os.availableParallelism() for "auto"). */
  readonly workers: number;
  readonly batchSize: number;
  private readonly slots: (PoolWorker | null)[];
  private readonly script = workerScriptUrl();
  private job: Job | null = null;
  /** Terminations in progress, so close() can wait for every thread to exit. */
  private readonly retiring = new Set<Promise<void>>();
  /** The latest evaluate's sink: worker events between generations (a crash, close) go there. */
  private lastSink: EvaluationSink | null = null;
  private closing: Promise<void> | null = null;
  /** While true, idle workers get no new batch (running ones finish). */
  private paused = false;
  /** Worker reports; a sink that throws (say, the journal cannot write) ends the job with its error. */
  private readonly listener: PoolWorkerListener = {
    started: (worker, request) => this.guard(() => this.job?.sink.started(request, worker.name)),
    progress: (worker, request, progress: EvaluationProgress) => this.guard(() => this.job?.sink.progress(request, worker.name, progress)),
    finished: (worker, records) => this.guard(() => this.onFinished(worker, records)),
    log: (worker, message) => this.guard(() => this.context.log(`[${worker.name}] ${message}`)),
    info: (worker, info) => this.guard(() => (this.job?.sink ?? this.lastSink)?.workerInfo?.(worker.name, info)),
    crashed: (worker, detail, lost) => this.guard(() => this.onCrashed(worker, detail, lost)),
  };

  constructor(options: WorkerPoolOptions, private readonly context: EvaluatorContext) {
    this.workers = options.workers === undefined || options.workers === 'auto' ? availableParallelism() : options.workers;
    this.batchSize = options.batchSize ?? 1;
    for (const [name, value] of [['workers', this.workers], ['batchSize', this.batchSize]] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new EvoptError('CONFIG_INVALID', `The worker-pool evaluator's ${name} must be an integer ≥ 1, found ${value}.`, {
          fix: `Set evaluator.options.${name} to a positive integer${name === 'workers' ? ' or "auto"' : ''}.`,
          details: { option: name, value },
        });
      }
    }
    this.slots = Array.from({ length: this.workers }, () => null);
  }

  /**
   * Resolves once every request has a record in `sink.finished`. If `signal` aborts, dispatching
   * stops, busy workers are terminated (their requests get no record: they are redone on
   * resume) and the promise rejects with ABORTED. If a worker cannot load the plugins, it
   * rejects with that error (e.g. PLUGIN_LOAD_FAILED).
   */
  evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    if (this.closing) return Promise.reject(evaluatorMisuse(this.id, 'is closed', 'Create a new evaluator; close() is final.'));
    if (this.job) return Promise.reject(evaluatorMisuse(this.id, 'is already evaluating', 'Await evaluate() before calling it again.'));
    if (signal?.aborted) return Promise.reject(evaluationAborted(this.id));
    if (requests.length === 0) return Promise.resolve();
    assertWorkerScript(this.script);
    this.lastSink = sink;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => this.stop(evaluationAborted(this.id));
      const job: Job = {
        sink,
        queue: evaluationBatches(requests, this.batchSize),
        total: requests.length,
        remaining: requests.length,
        crashes: 0,
        retried: new Set(),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      this.job = job;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.fill(job);
    });
  }

  /** Terminates every worker; an evaluate in progress rejects with ABORTED. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.job) this.stop(evaluationAborted(this.id));
      for (const [slot, worker] of this.slots.entries()) {
        if (!worker) continue;
        this.slots[slot] = null;
        this.retire(worker);
        this.lastSink?.workerStatus?.(worker.name, 'stopped');
      }
      await Promise.all(this.retiring);
    })();
    return this.closing;
  }

  /** Pausing stops handing out batches; batches already running finish and are reported. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused && this.job) this.guard(() => this.job && this.fill(this.job));
  }

  /** Starts the workers this job can use, then hands batches to idle ones. */
  private fill(job: Job): void {
    if (this.paused) return;
    const wanted = Math.min(this.workers, job.queue.length + this.slots.filter((w) => w?.isBusy).length);
    for (let i = 0; i < this.slots.length; i++) {
      const busyOrIdle = this.slots.filter((w) => w !== null && !w.isGone).length;
      if (this.slots[i] === null && busyOrIdle < wanted) this.spawn(i, job);
    }
    for (const worker of this.slots) {
      const batch = worker?.isIdle ? job.queue.shift() : undefined;
      if (!worker || !batch) continue;
      worker.run(batch);
      job.sink.workerStatus?.(worker.name, 'busy');
    }
  }

  private spawn(slot: number, job: Job): void {
    const name = `thread-${slot + 1}`;
    const { pluginUrls, taskOptions, dataDir, backend } = this.context;
    const worker = new PoolWorker(name, this.script, { pluginUrls: [...pluginUrls], taskOptions, dataDir, backend }, this.listener);
    this.slots[slot] = worker;
    job.sink.workerStatus?.(name, 'starting');
    // The job that started a worker may be over by the time it is ready: serve whichever is current.
    worker.ready().then(
      () =>
        this.guard(() => {
          this.lastSink?.workerStatus?.(name, 'ready');
          if (this.job) this.fill(this.job);
        }),
      (error: Error) => {
        if (this.slots[slot] !== worker) return; // stopped on purpose by stop() or close()
        this.slots[slot] = null;
        this.retire(worker);
        this.lastSink?.workerStatus?.(name, 'crashed', error.message);
        // Every worker loads the same plugins: one that cannot start means none can. No retry.
        this.stop(error);
      },
    );
  }

  private onFinished(worker: PoolWorker, records: readonly EvaluationRecord[]): void {
    const job = this.job;
    if (!job) return;
    job.sink.workerStatus?.(worker.name, 'idle');
    for (const record of records) job.sink.finished(record);
    this.settleOrFill(job, records.length);
  }

  private onCrashed(worker: PoolWorker, detail: string, lost: readonly LostRequest[]): void {
    const slot = this.slots.indexOf(worker);
    if (slot >= 0) this.slots[slot] = null;
    this.context.log(`[${worker.name}] crashed: ${detail}`);
    this.lastSink?.workerStatus?.(worker.name, 'crashed', detail);
    const job = this.job;
    if (!job) return;
    const error = serializeError(workerCrashed(worker.name, detail, [...new Set(lost.map((l) => l.request.task))]));
    let failed = 0;
    for (const { request, started, durationMs } of lost) {
      const key = evaluationKeyString(request);
      if (!job.retried.has(key)) {
        // A crash may be the machine's fault (memory, a driver), not the genome's: retry once, alone.
        job.retried.add(key);
        job.queue.unshift([request]);
        continue;
      }
      if (!started) job.sink.started(request, worker.name);
      job.sink.finished(crashRecord(request, error, durationMs, worker.name));
      failed++;
    }
    // Each crash usually takes a request with it (twice, with the retry); more crashes than that
    // means the workers die on their own, and replacing them again would loop forever.
    if (this.job === job && ++job.crashes > 2 * job.total) {
      this.stop(workerCrashed(worker.name, `workers died ${job.crashes} times while evaluating ${job.total} requests, so the pool stopped replacing them`));
      return;
    }
    this.settleOrFill(job, failed);
  }

  private settleOrFill(job: Job, done: number): void {
    // A sink callback may have aborted the job (this.job is then null): dispatch nothing more.
    if (this.job !== job) return;
    job.remaining -= done;
    if (job.remaining > 0) return this.fill(job);
    this.job = null;
    job.resolve();
  }

  private retire(worker: PoolWorker): void {
    const done = worker.terminate().finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.stop(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Ends the job: busy workers are terminated (their requests get no record), idle ones stay. */
  private stop(error: Error): void {
    const job = this.job;
    if (!job) return;
    this.job = null;
    for (let i = 0; i < this.slots.length; i++) {
      const worker = this.slots[i];
      if (!worker?.isBusy) continue;
      this.slots[i] = null;
      this.retire(worker);
      job.sink.workerStatus?.(worker.name, 'stopped');
    }
    job.reject(error);
  }
}

/**
 * Requests grouped by task, in order of first appearance, cut into batches of `size`. Within a
 * task, requests of the same seed index are kept together (a stable sort): they share the seed,
 * hence the model init and the batches, which is what lets a task train a batch as one population.
 */
export function evaluationBatches(requests: readonly EvaluationRequest[], size: number): EvaluationRequest[][] {
  const byTask = new Map<string, EvaluationRequest[]>();
  for (const request of requests) {
    const group = byTask.get(request.task);
    if (group) group.push(request);
    else byTask.set(request.task, [request]);
  }
  const out: EvaluationRequest[][] = [];
  for (const group of byTask.values()) {
    if (size > 1) group.sort((a, b) => a.seedIndex - b.seedIndex);
    for (let i = 0; i < group.length; i += size) out.push(group.slice(i, i + size));
  }
  return out;
}

function crashRecord(request: EvaluationRequest, error: ReturnType<typeof serializeError>, durationMs: number, worker: string): EvaluationRecord {
  const { hash, task, seedIndex, steps, seed } = request;
  return { hash, task, seedIndex, steps, seed, status: 'failed', score: PAPER_FITNESS.divergedScore, metrics: {}, stepsCompleted: 0, error, durationMs, worker };
}
