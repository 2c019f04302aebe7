import { hostname } from 'node:os';
import { Job, Queue, QueueEvents, type JobsOptions } from 'bullmq';
import {
  EvoptError,
  evaluationAborted,
  evaluatorMisuse,
  paper,
  serializeError,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
  type Evaluator,
  type EvaluatorContext,
} from '@evopt/core';
import { parseQueueUrl, redactSecrets, type QueueConnection } from './connection.js';
import { queueJobId, VERSION_REFUSED, type QueueJobData, type QueueJobResult, type QueueProgress } from './job.js';
import { evoptVersion, pluginVersions, type QueueVersions } from './versions.js';

/** Options of the 'queue' evaluator (the definition validates them). */
export interface QueueEvaluatorOptions {
  readonly url: string;
  readonly queueName: string;
  /** Tries per job before its failure is final. */
  readonly attempts: number;
  /** Delay before the first retry; it doubles with each further one. */
  readonly backoffMs: number;
  /** How long finished jobs stay in Redis (so a restarted orchestrator finds them); seconds. */
  readonly keepSeconds: number;
  /** How long to wait for Redis before giving up; milliseconds. */
  readonly connectTimeoutMs: number;
}

/** The name under which the Redis connection shows in the workers panel. */
export const REDIS_WORKER = 'redis';

/** How often unfinished jobs are looked up, in case an event was missed (a reconnect, a race at subscribe time). */
const POLL_MS = 1000;

interface Pending {
  /** The requests this job answers: more than one when a batch repeats a request. */
  readonly requests: EvaluationRequest[];
  started: boolean;
}

/**
 * Evaluates by enqueueing one BullMQ job per request; `evopt worker` processes run them. The
 * job id is derived from the request and the code versions, so a request enqueued twice is one
 * job, and an orchestrator that restarts re-attaches to its jobs instead of enqueueing new ones.
 */
export class QueueEvaluator implements Evaluator {
  readonly id = 'queue';
  private readonly connection: QueueConnection;
  private readonly queue: Queue<QueueJobData, QueueJobResult>;
  private readonly events: QueueEvents;
  private versions: Promise<QueueVersions> | null = null;
  private busy = false;
  private eventsRunning = false;
  private closing: Promise<void> | null = null;
  private watching = false;
  /** Where connection changes are reported: the sink of the evaluate() in progress. */
  private sink: EvaluationSink | null = null;
  /** Set while Redis is unreachable, so the outage is reported once and its end once. */
  private lostSince: number | null = null;

  constructor(private readonly options: QueueEvaluatorOptions, private readonly context: EvaluatorContext) {
    this.connection = parseQueueUrl(options.url);
    const connection = { ...this.connection.options, connectTimeout: options.connectTimeoutMs };
    this.queue = new Queue(options.queueName, { connection });
    this.events = new QueueEvents(options.queueName, { connection, autorun: false });
    // ioredis reports connection trouble as 'error' events; without listeners they would crash the process.
    // While Redis is down every reconnect try fails; the outage is reported once (see watch()).
    const report = (error: Error): void => {
      if (this.lostSince === null) this.context.log(`queue ${this.connection.display}: ${redactSecrets(error.message)}`);
    };
    this.queue.on('error', report);
    this.events.on('error', report);
  }

  /** Enqueues every request (existing jobs are reused) and resolves once each has a record in `sink.finished`. */
  async evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    if (this.closing) throw evaluatorMisuse(this.id, 'is closed', 'Create a new evaluator; close() is final.');
    if (this.busy) throw evaluatorMisuse(this.id, 'is already evaluating', 'Await evaluate() before calling it again.');
    if (signal?.aborted) throw evaluationAborted(this.id);
    if (requests.length === 0) return;
    this.busy = true;
    this.sink = sink;
    try {
      await this.connect(signal);
      await this.watch();
      await this.run(requests, sink, signal);
    } finally {
      this.busy = false;
      this.sink = null;
    }
  }

  /** Closes the Redis connections; jobs already enqueued stay in the queue. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.allSettled([this.events.close(), this.queue.close()]).then(() => undefined);
    return this.closing;
  }

  private async connect(signal: AbortSignal | undefined): Promise<void> {
    if (!this.eventsRunning) {
      this.eventsRunning = true;
      void this.events.run().catch((error: unknown) => this.context.log(`queue events stopped: ${redactSecrets(String(error))}`));
    }
    const ready = Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EvoptError('EVALUATION_FAILED', `Cannot reach the Redis queue at ${this.connection.display} within ${this.options.connectTimeoutMs} ms.`, {
        fix: 'Start Redis there (see docs/DISTRIBUTED.md), or correct the queue URL and its password.',
        details: { url: this.connection.display },
      })), this.options.connectTimeoutMs);
    });
    try {
      await Promise.race([ready, timeout, abortion(signal, this.id)]);
    } catch (error) {
      throw error instanceof EvoptError ? error : new EvoptError('EVALUATION_FAILED', `Cannot use the Redis queue at ${this.connection.display}: ${redactSecrets(String(error))}`, {
        fix: 'Check that Redis runs there and that the URL and password are right.',
        details: { url: this.connection.display },
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reports a lost connection and its return. ioredis reconnects by itself and holds commands
   * until then (maxRetriesPerRequest: null), so an outage pauses the run instead of failing it;
   * jobs live in Redis (persist them with AOF) and workers reconnect as well.
   */
  private async watch(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    const client = await this.queue.client;
    const lost = (): void => {
      if (this.lostSince !== null || this.closing) return;
      this.lostSince = Date.now();
      const message = `Redis unreachable at ${this.connection.display}; waiting for it (finished evaluations are journaled)…`;
      // The 'warning' prefix makes the TUI show it as a warning; plain output prints it to stderr as is.
      this.context.log(`warning: queue: ${message}`);
      this.sink?.workerStatus?.(REDIS_WORKER, 'stopped', message);
    };
    const back = (): void => {
      if (this.lostSince === null) return;
      const seconds = ((Date.now() - this.lostSince) / 1000).toFixed(1);
      this.lostSince = null;
      const message = `Redis at ${this.connection.display} is back after ${seconds}s; the run continues`;
      this.context.log(`queue: ${message}`);
      this.sink?.workerStatus?.(REDIS_WORKER, 'ready', message);
    };
    client.on('close', lost);
    client.on('reconnecting', lost);
    client.on('ready', back);
  }

  private async run(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal: AbortSignal | undefined): Promise<void> {
    this.versions ??= pluginVersions(this.context.pluginUrls).then((plugins) => ({ evopt: evoptVersion(), plugins }));
    const versions = await this.versions;
    const pending = new Map<string, Pending>();
    const jobs = [];
    for (const request of requests) {
      const taskOptions = this.context.taskOptions[request.task] ?? {};
      const jobId = queueJobId(request, taskOptions, versions);
      const known = pending.get(jobId);
      if (known) {
        known.requests.push(request);
        continue;
      }
      pending.set(jobId, { requests: [request], started: false });
      const data: QueueJobData = { schema: 'evopt.queue-job/1', request, taskOptions, versions };
      jobs.push({ name: request.task, data, opts: { ...this.jobOptions(), jobId } });
    }

    let fail: (error: Error) => void = () => {};
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
    finished.catch(() => undefined);
    const retried = new Set<string>();
    const began = Date.now();

    const settle = (jobId: string, record: EvaluationRecord): void => {
      const entry = pending.get(jobId);
      if (!entry) return; // already recorded: a job's result is stored once
      pending.delete(jobId);
      try {
        for (const request of entry.requests) {
          if (!entry.started) sink.started(request, record.worker);
          sink.finished(record);
        }
      } catch (error) {
        fail(error as Error);
      }
      if (pending.size === 0) done();
    };
    /** Looks a job up and settles it if it is over; a failure left from before this evaluate is retried once. */
    const check = async (jobId: string): Promise<void> => {
      // The state first, then the job: a job read before it completed would carry no return value.
      const state = await this.queue.getJobState(jobId);
      if (state !== 'completed' && state !== 'failed') return;
      const job = await Job.fromId<QueueJobData, QueueJobResult>(this.queue, jobId);
      const entry = pending.get(jobId);
      if (!job || !entry) return;
      if (state === 'completed') {
        if (isRecord(job.returnvalue)) settle(jobId, job.returnvalue);
      }
      else if (state === 'failed') {
        if (!retried.has(jobId) && (job.finishedOn ?? 0) < began) {
          // It failed in an earlier run (a stopped fleet, a refused version): give it a fresh set of tries.
          retried.add(jobId);
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        } else if (job.failedReason.startsWith(VERSION_REFUSED)) fail(versionRefused(job.failedReason, this.connection.display));
        else settle(jobId, failedRecord(entry.requests[0] as EvaluationRequest, job));
      }
    };
    const guarded = (jobId: string) => void check(jobId).catch((error: unknown) => fail(queueError(error, this.connection.display)));

    const onCompleted = ({ jobId }: { jobId: string }): void => {
      if (pending.has(jobId)) guarded(jobId);
    };
    const onFailed = ({ jobId }: { jobId: string }): void => {
      if (pending.has(jobId)) guarded(jobId);
    };
    // A job's first progress (sent as it starts) names its worker: that is when it counts as started.
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }): void => {
      const entry = pending.get(jobId);
      if (!entry || !isProgress(data)) return;
      const worker = typeof (data as Partial<QueueProgress>).worker === 'string' ? (data as QueueProgress).worker : 'queue';
      const { step, totalSteps, loss, stepsPerSecond } = data;
      const progress: EvaluationProgress = { step, totalSteps, ...(loss !== undefined && { loss }), ...(stepsPerSecond !== undefined && { stepsPerSecond }) };
      try {
        for (const request of entry.requests) {
          if (!entry.started) sink.started(request, worker);
          sink.progress(request, worker, progress);
        }
        entry.started = true;
      } catch (error) {
        fail(error as Error);
      }
    };
    const onAbort = (): void => fail(evaluationAborted(this.id));

    this.events.on('completed', onCompleted);
    this.events.on('failed', onFailed);
    this.events.on('progress', onProgress);
    signal?.addEventListener('abort', onAbort, { once: true });
    sink.workerStatus?.('queue', 'busy');
    // One round of lookups at a time: while Redis is down they wait for the reconnect, and must not pile up.
    let polling = false;
    const poll = setInterval(() => {
      if (polling) return;
      polling = true;
      void Promise.all([...pending.keys()].map((jobId) => check(jobId)))
        .catch((error: unknown) => fail(queueError(error, this.connection.display)))
        .finally(() => (polling = false));
    }, POLL_MS);
    try {
      // addBulk leaves an existing job id untouched: a duplicate enqueue is a no-op.
      await this.queue.addBulk(jobs);
      // Jobs that finished before we subscribed (or in an earlier run) raise no event: look them up.
      await Promise.all([...pending.keys()].map((jobId) => check(jobId)));
      if (pending.size === 0) done();
      await finished;
    } catch (error) {
      throw error instanceof EvoptError ? error : queueError(error, this.connection.display);
    } finally {
      clearInterval(poll);
      signal?.removeEventListener('abort', onAbort);
      this.events.off('completed', onCompleted);
      this.events.off('failed', onFailed);
      this.events.off('progress', onProgress);
      sink.workerStatus?.('queue', 'idle');
    }
  }

  private jobOptions(): JobsOptions {
    const { attempts, backoffMs, keepSeconds } = this.options;
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: keepSeconds },
      removeOnFail: { age: keepSeconds },
    };
  }
}

/** The record of a job whose failure is final (its tries used up, or its worker stalled too often). */
function failedRecord(request: EvaluationRequest, job: Job<QueueJobData, QueueJobResult>): EvaluationRecord {
  const { hash, task, seedIndex, steps, seed } = request;
  const error = new EvoptError('EVALUATION_FAILED', `Queue job ${job.id ?? '?'} failed after ${job.attemptsMade} attempt(s): ${redactSecrets(job.failedReason)}`, {
    fix: 'The genome scores as failed. If every genome fails this way, look at the workers\' output (evopt worker) for the cause.',
    details: { jobId: job.id, attempts: job.attemptsMade },
  });
  return {
    hash,
    task,
    seedIndex,
    steps,
    seed,
    status: 'failed',
    score: paper.PAPER_FITNESS.divergedScore,
    metrics: {},
    stepsCompleted: 0,
    error: serializeError(error),
    durationMs: job.finishedOn !== undefined && job.processedOn !== undefined ? job.finishedOn - job.processedOn : 0,
    worker: job.processedBy ?? `queue@${hostname()}`,
  };
}

function versionRefused(reason: string, url: string): EvoptError {
  return new EvoptError('EVALUATION_FAILED', `A worker of the queue at ${url} refused a job: ${reason.slice(VERSION_REFUSED.length).replace(/^:\s*/, '')}`, {
    fix: 'Run workers with the same evopt and plugin versions as the orchestrator (or stop the mismatched ones), then `evopt resume` the run.',
    details: { url },
  });
}

function queueError(error: unknown, url: string): EvoptError {
  return new EvoptError('EVALUATION_FAILED', `The Redis queue at ${url} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`, {
    fix: 'Check that Redis is up and reachable; finished evaluations are journaled, so `evopt resume` carries on.',
    details: { url },
  });
}

function abortion(signal: AbortSignal | undefined, evaluator: string): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) reject(evaluationAborted(evaluator));
    signal?.addEventListener('abort', () => reject(evaluationAborted(evaluator)), { once: true });
  });
}

function isProgress(data: unknown): data is EvaluationProgress {
  return typeof data === 'object' && data !== null && typeof (data as EvaluationProgress).step === 'number' && typeof (data as EvaluationProgress).totalSteps === 'number';
}

function isRecord(value: unknown): value is EvaluationRecord {
  return typeof value === 'object' && value !== null && typeof (value as EvaluationRecord).hash === 'string' && typeof (value as EvaluationRecord).status === 'string';
}
