import { Queue, QueueEvents } from 'bullmq';
import {
  EvoptError,
  evaluationAborted,
  evaluatorMisuse,
  type EvaluationRequest,
  type EvaluationSink,
  type Evaluator,
  type EvaluatorContext,
} from '@evopt/core';
import { CallBook, within, type Call } from './calls.js';
import { ResultCollector } from './collector.js';
import { parseQueueUrl, reachRedis, redactSecrets, type QueueConnection } from './connection.js';
import type { QueueJobData, QueueJobResult } from './job.js';
import { OutageReporter } from './outage.js';
import { DispatchPause } from './pause.js';
import { queueError } from './results.js';
import { JobSubmission } from './submission.js';
import { evoptVersion, pluginVersions, type QueueVersions } from './versions.js';

export { REDIS_WORKER } from './connection.js';

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

/**
 * Evaluates by enqueueing one BullMQ job per request; `evopt worker` processes run them. The
 * job id is derived from the request and the code versions, so a request enqueued twice is one
 * job, and an orchestrator that restarts re-attaches to its jobs instead of enqueueing new ones.
 *
 * Calls may overlap (`concurrent`): each has its own sink and signal, while the queue events,
 * the poll of unfinished jobs and the connection watch are shared by all of them. The pieces:
 * {@link CallBook} (which call waits for which job), {@link JobSubmission} (the jobs to add),
 * {@link DispatchPause} (holding jobs back while paused) and {@link ResultCollector} (events and lookups).
 */
export class QueueEvaluator implements Evaluator {
  readonly id = 'queue';
  readonly concurrent = true;
  private readonly connection: QueueConnection;
  private readonly queue: Queue<QueueJobData, QueueJobResult>;
  private readonly events: QueueEvents;
  private readonly book: CallBook;
  private readonly submission: JobSubmission;
  private readonly pause: DispatchPause;
  private readonly collector: ResultCollector;
  private readonly outages: OutageReporter;
  private versions: Promise<QueueVersions> | null = null;
  private eventsRunning = false;
  private closing: Promise<void> | null = null;
  private watching = false;

  constructor(
    private readonly options: QueueEvaluatorOptions,
    private readonly context: EvaluatorContext,
  ) {
    this.connection = parseQueueUrl(options.url);
    const connection = { ...this.connection.options, connectTimeout: options.connectTimeoutMs };
    this.queue = new Queue(options.queueName, { connection });
    this.events = new QueueEvents(options.queueName, { connection, autorun: false });
    this.submission = new JobSubmission(this.queue, options, context.taskOptions);
    this.book = new CallBook(this.id, (jobId) => {
      this.submission.forget(jobId);
      this.pause.forget(jobId);
    });
    this.pause = new DispatchPause({
      add: (jobIds) => this.submission.add(jobIds),
      remove: async (jobId) => (await this.queue.remove(jobId)) === 1,
      wanted: (jobId) => this.book.waitsFor(jobId),
    });
    this.collector = new ResultCollector(this.queue, this.events, this.book, this.pause, this.connection.display);
    this.outages = new OutageReporter(this.connection.display, context.log, () => this.book.newest()?.sink);
    // ioredis reports connection trouble as 'error' events; without listeners they would crash the process.
    // While Redis is down every reconnect try fails; the outage is reported once (see watch()).
    const report = (error: Error): void => {
      if (!this.outages.down) this.context.log(`queue ${this.connection.display}: ${redactSecrets(error.message)}`);
    };
    this.queue.on('error', report);
    this.events.on('error', report);
  }

  /** Enqueues every request (existing jobs are reused) and resolves once each has a record in `sink.finished`. */
  async evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    if (this.closing) throw evaluatorMisuse(this.id, 'is closed', 'Create a new evaluator; close() is final.');
    if (signal?.aborted) throw evaluationAborted(this.id);
    if (requests.length === 0) return;
    const call = this.book.open(sink, signal);
    this.outages.callStarted(sink);
    try {
      await within(this.connect(), call);
      await this.watch();
      this.versions ??= pluginVersions(this.context.pluginUrls).then((plugins) => ({ evopt: evoptVersion(), plugins }));
      const jobIds = this.register(call, requests, await within(this.versions, call));
      await within(this.pause.submit(jobIds), call);
      // Jobs that finished before we subscribed (or in an earlier run) raise no event: look them up.
      await within(Promise.all([...call.jobs.keys()].map((jobId) => this.collector.check(jobId))), call);
      if (call.jobs.size === 0) call.done();
      await call.outcome;
    } catch (error) {
      throw error instanceof EvoptError ? error : queueError(error, this.connection.display);
    } finally {
      this.book.forget(call);
      this.collector.stopPollingIfIdle();
    }
  }

  /**
   * Pausing holds back this orchestrator's jobs not yet added and takes its waiting ones out of
   * Redis; running jobs finish and are reported. Resuming adds them (again): their ids are
   * deterministic, so that is idempotent. The BullMQ queue itself is never paused, since other
   * runs may share it. See {@link DispatchPause}.
   */
  setPaused(paused: boolean): void {
    if (paused === this.pause.paused || this.closing) return;
    if (paused) {
      this.pause.pause();
      for (const jobId of this.book.jobIds()) void this.collector.guarded(jobId);
      return;
    }
    const ids = this.pause.resume();
    void this.pause
      .submit(ids)
      .catch((error: unknown) => this.book.fail(ids, queueError(error, this.connection.display)));
  }

  /** Closes the Redis connections; jobs already enqueued stay in the queue, and calls in progress reject with ABORTED. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      this.book.failAll(evaluationAborted(this.id));
      this.collector.stopPolling();
      this.closing = Promise.allSettled([this.events.close(), this.queue.close()]).then(() => undefined);
    }
    return this.closing;
  }

  /** Records which jobs the call waits for; returns the ids of those new to it, to add. */
  private register(call: Call, requests: readonly EvaluationRequest[], versions: QueueVersions): string[] {
    const added: string[] = [];
    for (const request of requests) {
      const jobId = this.submission.prepare(request, versions);
      if (this.book.join(call, jobId, request)) added.push(jobId);
    }
    this.collector.startPolling();
    return added;
  }

  private async connect(): Promise<void> {
    if (!this.eventsRunning) {
      this.eventsRunning = true;
      void this.events
        .run()
        .catch((error: unknown) => this.context.log(`queue events stopped: ${redactSecrets(String(error))}`));
    }
    await reachRedis(
      Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]),
      this.options.connectTimeoutMs,
      this.connection.display,
    );
  }

  /** Watches the connection for outages (see {@link OutageReporter}); jobs live in Redis (persist them with AOF) and workers reconnect as well. */
  private async watch(): Promise<void> {
    if (this.watching) return;
    this.watching = true;
    const client = await this.queue.client;
    const lost = (): void => {
      if (!this.closing) this.outages.lost();
    };
    client.on('close', lost);
    client.on('reconnecting', lost);
    client.on('ready', () => this.outages.back());
  }
}
