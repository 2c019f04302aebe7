import type { WorkerInfo } from '../plugin/contracts.js';
import { Worker } from 'node:worker_threads';
import { deserializeError, EvoptError } from '../errors.js';
import type { EvaluationProgress, EvaluationRecord, EvaluationRequest } from '../evaluation.js';
import type { EvaluateMessage, PoolWorkerData, WorkerMessage } from './protocol.js';

/** What a {@link PoolWorker} reports to its pool. Nothing is reported after `terminate()`. */
export interface PoolWorkerListener {
  started(worker: PoolWorker, request: EvaluationRequest): void;
  progress(worker: PoolWorker, request: EvaluationRequest, progress: EvaluationProgress): void;
  /** The whole batch is done, one record per request; the worker is idle again. */
  finished(worker: PoolWorker, records: readonly EvaluationRecord[]): void;
  log(worker: PoolWorker, message: string): void;
  /** It died after it was ready. `lost` is its batch in flight (empty when it was idle). */
  info(worker: PoolWorker, info: WorkerInfo): void;
  crashed(worker: PoolWorker, detail: string, lost: readonly LostRequest[]): void;
}

/** A request that was on a worker when it died. */
export interface LostRequest {
  readonly request: EvaluationRequest;
  /** Whether the pool already reported it as started. */
  readonly started: boolean;
  readonly durationMs: number;
}

interface Batch {
  readonly id: number;
  readonly requests: readonly EvaluationRequest[];
  readonly started: Set<number>;
  readonly began: number;
}

/**
 * One worker thread of the pool, as a small state machine: starting → ready ⇄ busy → gone.
 * It is ref'd (keeps the process alive) only while starting or busy, so an idle pool that the
 * caller forgot to close does not hang the process.
 */
export class PoolWorker {
  private readonly thread: Worker;
  private state: 'starting' | 'ready' | 'busy' | 'gone' = 'starting';
  private batch: Batch | null = null;
  private nextId = 1;
  private lastError: string | null = null;
  private readonly readyPromise: Promise<void>;
  private settleReady: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    script: URL,
    data: Omit<PoolWorkerData, 'name'>,
    private readonly listener: PoolWorkerListener,
  ) {
    const workerData: PoolWorkerData = { ...data, name };
    this.thread = new Worker(script, { workerData, name });
    this.readyPromise = new Promise((resolve, reject) => (this.settleReady = { resolve, reject }));
    this.readyPromise.catch(() => undefined);
    this.exited = new Promise((resolve) => this.thread.once('exit', () => resolve()));

    this.thread.on('message', (message: WorkerMessage) => {
      if (this.state === 'gone') return;
      if (message.type === 'ready') {
        this.state = 'ready';
        this.thread.unref();
        this.settleReady?.resolve();
        this.settleReady = null;
      } else if (message.type === 'fatal') {
        const error = deserializeError(message.error);
        if (this.state === 'starting') this.failStart(error);
        this.lastError = error.message;
        void this.thread.terminate();
      } else if (message.type === 'log') {
        this.listener.log(this, message.message);
      } else if (message.type === 'info') {
        this.listener.info(this, message.info);
      } else this.onBatchMessage(message);
    });
    this.thread.on('error', (error) => {
      this.lastError = error.message;
      if (this.state === 'starting') this.failStart(error);
    });
    this.thread.on('exit', (code) => {
      const was = this.state;
      this.state = 'gone';
      if (was === 'gone') return; // terminated on purpose
      const detail = this.lastError ?? `the thread exited with code ${code}`;
      if (was === 'starting') {
        this.failStart(
          new EvoptError('WORKER_CRASHED', `Worker ${name} exited while loading plugins: ${detail}`, {
            fix: 'Run one of the plugins with node to see why it stops the thread, or remove it from the config.',
            details: { worker: name, code },
          }),
        );
        return;
      }
      const lost = this.batch ? this.lost(this.batch) : [];
      this.batch = null;
      this.listener.crashed(this, detail, lost);
    });
  }

  /** Resolves once the plugins are loaded; rejects with the load error (e.g. PLUGIN_LOAD_FAILED). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get isIdle(): boolean {
    return this.state === 'ready';
  }

  get isBusy(): boolean {
    return this.state === 'busy';
  }

  get isGone(): boolean {
    return this.state === 'gone';
  }

  /** Sends a batch (requests of one task) to an idle worker. */
  run(requests: readonly EvaluationRequest[]): void {
    if (this.state !== 'ready')
      throw new EvoptError('INTERNAL', `Worker ${this.name} got a batch while ${this.state}.`);
    this.state = 'busy';
    this.thread.ref();
    this.batch = { id: this.nextId++, requests, started: new Set(), began: performance.now() };
    const message: EvaluateMessage = { type: 'evaluate', id: this.batch.id, requests };
    this.thread.postMessage(message);
  }

  /** Stops the thread on purpose: no further reports, no crash. Resolves when it has exited. */
  async terminate(): Promise<void> {
    if (this.state === 'starting')
      this.failStart(new EvoptError('ABORTED', `Worker ${this.name} was stopped while loading plugins.`));
    this.state = 'gone';
    this.batch = null;
    await this.thread.terminate();
    await this.exited;
  }

  private failStart(error: Error): void {
    this.settleReady?.reject(error);
    this.settleReady = null;
  }

  private onBatchMessage(message: Extract<WorkerMessage, { id: number }>): void {
    const batch = this.batch;
    if (!batch || message.id !== batch.id) return;
    if (message.type === 'finished') {
      this.batch = null;
      this.state = 'ready';
      this.thread.unref();
      this.listener.finished(this, message.records);
      return;
    }
    const request = batch.requests[message.index];
    if (!request) return;
    if (message.type === 'started') {
      batch.started.add(message.index);
      this.listener.started(this, request);
    } else this.listener.progress(this, request, message.progress);
  }

  private lost(batch: Batch): LostRequest[] {
    const durationMs = performance.now() - batch.began;
    return batch.requests.map((request, index) => ({ request, started: batch.started.has(index), durationMs }));
  }
}
