import { availableParallelism } from 'node:os';
import { EvoptError } from '../errors.js';
import {
  evaluationKeyString,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
} from '../evaluation.js';
import type { Evaluator, EvaluatorContext } from '../plugin/contracts.js';
import { evaluationAborted, evaluatorMisuse, workerCrashed } from './errors.js';
import { failedRecord } from './task-host.js';
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
 * each task once, and are reused by every later `evaluate`.
 * Calls may overlap (the steady-state GA keeps several genomes in flight): their batches share
 * one FIFO, so workers never idle while any call has work, and each busy worker remembers whose
 * batch it runs, so its reports, a crash or an abort touch that call only.
 * A worker that dies mid-batch fails that batch's requests with WORKER_CRASHED and is replaced.
 */
export class WorkerPoolEvaluator implements Evaluator {
  readonly id = 'worker-pool';
  readonly concurrent = true;
  /** Worker threads (os.availableParallelism() for "auto"). */
  readonly workers: number;
  readonly batchSize: number;
  private readonly slots: (PoolWorker | null)[];
  private readonly script = workerScriptUrl();
  /** Calls in progress, in the order they arrived: the order their batches are handed out. */
  private readonly jobs: Job[] = [];
  /** The call each busy worker's batch belongs to. */
  private readonly assigned = new Map<PoolWorker, Job>();
  /** Terminations in progress, so close() can wait for every thread to exit. */
  private readonly retiring = new Set<Promise<void>>();
  /** The latest evaluate's sink: events of a worker that serves no call (starting, a crash, close) go there. */
  private lastSink: EvaluationSink | null = null;
  private closing: Promise<void> | null = null;
  /** While true, idle workers get no new batch (running ones finish). */
  private paused = false;
  /** Worker reports. Sink calls are guarded per call; this guard catches the pool's own failures. */
  private readonly listener: PoolWorkerListener = {
    started: (worker, request) =>
      this.guard(() => this.tellOwner(worker, (sink) => sink.started(request, worker.name))),
    progress: (worker, request, progress: EvaluationProgress) =>
      this.guard(() => this.tellOwner(worker, (sink) => sink.progress(request, worker.name, progress))),
    finished: (worker, records) => this.guard(() => this.onFinished(worker, records)),
    log: (worker, message) => this.guard(() => this.context.log(`[${worker.name}] ${message}`)),
    info: (worker, info) => this.guard(() => this.report(worker, (sink) => sink.workerInfo?.(worker.name, info))),
    crashed: (worker, detail, lost) => this.guard(() => this.onCrashed(worker, detail, lost)),
  };

  constructor(
    options: WorkerPoolOptions,
    private readonly context: EvaluatorContext,
  ) {
    this.workers =
      options.workers === undefined || options.workers === 'auto' ? availableParallelism() : options.workers;
    this.batchSize = options.batchSize ?? 1;
    for (const [name, value] of [
      ['workers', this.workers],
      ['batchSize', this.batchSize],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new EvoptError(
          'CONFIG_INVALID',
          `The worker-pool evaluator's ${name} must be an integer ≥ 1, found ${value}.`,
          {
            fix: `Set evaluator.options.${name} to a positive integer${name === 'workers' ? ' or "auto"' : ''}.`,
            details: { option: name, value },
          },
        );
      }
    }
    this.slots = Array.from({ length: this.workers }, () => null);
  }

  /**
   * Resolves once every request has a record in `sink.finished`. Other calls may be in progress:
   * this one's batches queue behind theirs. If `signal` aborts, this call's batches are dropped,
   * the workers busy with them are terminated (their requests get no record: they are redone on
   * resume) and the promise rejects with ABORTED; other calls carry on. If a worker cannot load
   * the plugins, every call rejects with that error (e.g. PLUGIN_LOAD_FAILED).
   */
  evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    if (this.closing)
      return Promise.reject(evaluatorMisuse(this.id, 'is closed', 'Create a new evaluator; close() is final.'));
    if (signal?.aborted) return Promise.reject(evaluationAborted(this.id));
    if (requests.length === 0) return Promise.resolve();
    assertWorkerScript(this.script);
    this.lastSink = sink;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => this.guard(() => this.end(job, evaluationAborted(this.id)));
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
      this.jobs.push(job);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.guard(() => this.fill());
    });
  }

  /** Terminates every worker; every evaluate in progress rejects with ABORTED. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.endAll(evaluationAborted(this.id));
      for (const [slot, worker] of this.slots.entries()) {
        if (!worker) continue;
        this.slots[slot] = null;
        this.retire(worker);
        quietly(() => this.lastSink?.workerStatus?.(worker.name, 'stopped'));
      }
      await Promise.all(this.retiring);
    })();
    return this.closing;
  }

  /** Pausing stops handing out batches, for every call; batches already running finish and are reported. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.guard(() => this.fill());
  }

  /** Starts the workers the queued work can use, then hands batches to idle ones, oldest call first. */
  private fill(): void {
    if (this.paused) return;
    const queued = this.jobs.reduce((sum, job) => sum + job.queue.length, 0);
    const wanted = Math.min(this.workers, queued + this.assigned.size);
    for (let i = 0; i < this.slots.length; i++) {
      const busyOrIdle = this.slots.filter((w) => w !== null && !w.isGone).length;
      if (this.slots[i] === null && busyOrIdle < wanted) this.spawn(i);
    }
    for (const worker of this.slots) {
      if (!worker?.isIdle) continue;
      const job = this.jobs.find((j) => j.queue.length > 0);
      const batch = job?.queue.shift();
      if (!job || !batch) return;
      this.assigned.set(worker, job);
      worker.run(batch);
      this.tell(job, (sink) => sink.workerStatus?.(worker.name, 'busy'));
    }
  }

  private spawn(slot: number): void {
    const name = `thread-${slot + 1}`;
    const { pluginUrls, taskOptions, dataDir, backend } = this.context;
    const worker = new PoolWorker(
      name,
      this.script,
      { pluginUrls: [...pluginUrls], taskOptions, dataDir, backend },
      this.listener,
    );
    this.slots[slot] = worker;
    this.report(worker, (sink) => sink.workerStatus?.(name, 'starting'));
    worker.ready().then(
      () =>
        this.guard(() => {
          this.report(worker, (sink) => sink.workerStatus?.(name, 'ready'));
          this.fill();
        }),
      (error: Error) =>
        this.guard(() => {
          if (this.slots[slot] !== worker) return; // stopped on purpose by end() or close()
          this.slots[slot] = null;
          this.retire(worker);
          this.report(worker, (sink) => sink.workerStatus?.(name, 'crashed', error.message));
          // Every worker loads the same plugins: one that cannot start means none can. No retry.
          this.endAll(error);
        }),
    );
  }

  private onFinished(worker: PoolWorker, records: readonly EvaluationRecord[]): void {
    const job = this.assigned.get(worker);
    this.assigned.delete(worker);
    if (job && this.tell(job, (sink) => sink.workerStatus?.(worker.name, 'idle'))) {
      // A sink callback may end its call (a throw, an abort): deliver nothing after that.
      const delivered = records.every((record) => this.tell(job, (sink) => sink.finished(record)));
      if (delivered) this.settle(job, records.length);
    }
    this.fill();
  }

  private onCrashed(worker: PoolWorker, detail: string, lost: readonly LostRequest[]): void {
    const slot = this.slots.indexOf(worker);
    if (slot >= 0) this.slots[slot] = null;
    this.context.log(`[${worker.name}] crashed: ${detail}`);
    this.report(worker, (sink) => sink.workerStatus?.(worker.name, 'crashed', detail));
    // A worker that died idle served no call: the oldest one counts the crash, so a pool whose
    // workers keep dying on their own still stops.
    const job = this.assigned.get(worker) ?? this.jobs[0];
    this.assigned.delete(worker);
    if (job && this.jobs.includes(job)) this.onJobCrash(job, worker.name, detail, lost);
    this.fill();
  }

  private onJobCrash(job: Job, worker: string, detail: string, lost: readonly LostRequest[]): void {
    const error = workerCrashed(worker, detail, [...new Set(lost.map((l) => l.request.task))]);
    let failed = 0;
    for (const { request, started, durationMs } of lost) {
      const key = evaluationKeyString(request);
      if (!job.retried.has(key)) {
        // A crash may be the machine's fault (memory, a driver), not the genome's: retry once, alone.
        job.retried.add(key);
        job.queue.unshift([request]);
        continue;
      }
      const told = this.tell(job, (sink) => {
        if (!started) sink.started(request, worker);
        sink.finished(failedRecord(request, error, durationMs, worker));
      });
      if (!told) return;
      failed++;
    }
    // Each crash usually takes a request with it (twice, with the retry); more crashes than that
    // means the workers die on their own, and replacing them again would loop forever.
    if (++job.crashes > 2 * job.total) {
      this.end(
        job,
        workerCrashed(
          worker,
          `workers died ${job.crashes} times while evaluating ${job.total} requests, so the pool stopped replacing them`,
        ),
      );
      return;
    }
    this.settle(job, failed);
  }

  /** Counts `done` records; the call resolves when it has them all. */
  private settle(job: Job, done: number): void {
    if (!this.jobs.includes(job)) return;
    job.remaining -= done;
    if (job.remaining > 0) return;
    this.jobs.splice(this.jobs.indexOf(job), 1);
    job.resolve();
  }

  /** Calls one call's sink; a sink that throws (say, the journal cannot write) ends that call only. False once it has ended. */
  private tell(job: Job, call: (sink: EvaluationSink) => void): boolean {
    if (!this.jobs.includes(job)) return false;
    try {
      call(job.sink);
    } catch (error) {
      this.end(job, toError(error));
    }
    return this.jobs.includes(job);
  }

  /** Reports of a worker's batch go to the call that owns it; after an abort, nowhere. */
  private tellOwner(worker: PoolWorker, call: (sink: EvaluationSink) => void): void {
    const job = this.assigned.get(worker);
    if (job) this.tell(job, call);
  }

  /** Worker lifecycle goes once to the call the worker serves, else to the latest call's sink. */
  private report(worker: PoolWorker, call: (sink: EvaluationSink) => void): void {
    const job = this.assigned.get(worker) ?? this.jobs.find((j) => j.sink === this.lastSink);
    if (job) this.tell(job, call);
    else if (this.lastSink) quietly(() => call(this.lastSink as EvaluationSink));
  }

  private retire(worker: PoolWorker): void {
    const done = worker.terminate().finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  /** A failure of the pool itself (not of one call's sink) ends every call. */
  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.endAll(toError(error));
    }
  }

  /** Ends one call, then lets the other calls use the workers it held. */
  private end(job: Job, error: Error): void {
    this.drop(job, error);
    this.fill();
  }

  private endAll(error: Error): void {
    for (const job of [...this.jobs]) this.drop(job, error);
  }

  /** Rejects a call: workers busy with its batches are terminated (their requests get no record), idle ones stay. */
  private drop(job: Job, error: Error): void {
    const index = this.jobs.indexOf(job);
    if (index < 0) return;
    this.jobs.splice(index, 1);
    for (const [worker, owner] of this.assigned) {
      if (owner !== job) continue;
      this.assigned.delete(worker);
      const slot = this.slots.indexOf(worker);
      if (slot >= 0) this.slots[slot] = null;
      this.retire(worker);
      // The call already ends with `error`; a sink that throws now has nothing left to end.
      quietly(() => job.sink.workerStatus?.(worker.name, 'stopped'));
    }
    job.reject(error);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // Reported to a sink whose call is over: there is no caller left to tell.
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
