import { Job, Queue, QueueEvents, type JobsOptions } from 'bullmq';
import {
  EvoptError,
  evaluationAborted,
  evaluatorMisuse,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
  type Evaluator,
  type EvaluatorContext,
} from '@evopt/core';
import { parseQueueUrl, reachRedis, redactSecrets, type QueueConnection } from './connection.js';
import { OutageReporter } from './outage.js';

export { REDIS_WORKER } from './connection.js';
import { queueJobId, VERSION_REFUSED, type QueueJobData, type QueueJobResult } from './job.js';
import { failedRecord, isRecord, queueError, readProgress, versionRefused } from './results.js';
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

/** How often unfinished jobs are looked up, in case an event was missed (a reconnect, a race at subscribe time). */
const POLL_MS = 1000;

/** What addBulk takes for one job; kept so a job held back by a pause can be added on resume. */
interface JobSpec {
  readonly name: string;
  readonly data: QueueJobData;
  readonly opts: JobsOptions & { readonly jobId: string };
}

/** One evaluate() in progress. */
interface Call {
  readonly sink: EvaluationSink;
  /** Its unfinished jobs → the requests each answers (more than one when the call repeats a request). */
  readonly jobs: Map<string, { readonly requests: EvaluationRequest[]; started: boolean }>;
  /** A job that failed before this moment failed in an earlier run: it gets one fresh set of tries. */
  readonly began: number;
  readonly retried: Set<string>;
  /** Settles when every job has a record, or rejects on the first error (abort, version refusal, Redis). */
  readonly outcome: Promise<void>;
  done(): void;
  fail(error: Error): void;
}

/**
 * Evaluates by enqueueing one BullMQ job per request; `evopt worker` processes run them. The
 * job id is derived from the request and the code versions, so a request enqueued twice is one
 * job, and an orchestrator that restarts re-attaches to its jobs instead of enqueueing new ones.
 *
 * Calls may overlap (`concurrent`): each has its own sink and signal, while the queue events,
 * the poll of unfinished jobs and the connection watch are shared by all of them.
 */
export class QueueEvaluator implements Evaluator {
  readonly id = 'queue';
  readonly concurrent = true;
  private readonly connection: QueueConnection;
  private readonly queue: Queue<QueueJobData, QueueJobResult>;
  private readonly events: QueueEvents;
  private versions: Promise<QueueVersions> | null = null;
  private eventsRunning = false;
  private closing: Promise<void> | null = null;
  private watching = false;
  /** Calls in progress, oldest first; connection changes go to the newest. */
  private readonly calls = new Set<Call>();
  /** Unfinished job id → the calls waiting for it. */
  private readonly waiters = new Map<string, Set<Call>>();
  private readonly specs = new Map<string, JobSpec>();
  /** One abort listener per signal, however many calls share it. */
  private readonly signals = new Map<AbortSignal, { readonly calls: Set<Call>; readonly onAbort: () => void }>();
  /** Lookups of a job run one at a time, so a stale failure is retried once, not once per lookup. */
  private readonly checks = new Map<string, Promise<void>>();
  private poll: NodeJS.Timeout | null = null;
  private polling = false;
  /** While paused, new jobs are held back here instead of added, and our waiting jobs are taken out of Redis. */
  private paused = false;
  private readonly held = new Set<string>();
  /**
   * Jobs removed during this pause. One that is back in Redis was added again by another run
   * waiting for the same job, which is not paused: it stays, rather than being removed every poll.
   */
  private readonly removed = new Set<string>();
  private readonly outages: OutageReporter;

  constructor(private readonly options: QueueEvaluatorOptions, private readonly context: EvaluatorContext) {
    this.connection = parseQueueUrl(options.url);
    this.outages = new OutageReporter(this.connection.display, context.log, () => [...this.calls].at(-1)?.sink);
    const connection = { ...this.connection.options, connectTimeout: options.connectTimeoutMs };
    this.queue = new Queue(options.queueName, { connection });
    this.events = new QueueEvents(options.queueName, { connection, autorun: false });
    // ioredis reports connection trouble as 'error' events; without listeners they would crash the process.
    // While Redis is down every reconnect try fails; the outage is reported once (see watch()).
    const report = (error: Error): void => {
      if (!this.outages.down) this.context.log(`queue ${this.connection.display}: ${redactSecrets(error.message)}`);
    };
    this.queue.on('error', report);
    this.events.on('error', report);
    // One listener per event for all calls; each dispatches to the calls waiting for the job.
    this.events.on('completed', ({ jobId, returnvalue }) => {
      if (!this.waiters.has(jobId)) return;
      // The event carries the record: no lookup needed, and it still counts if the job is gone by now.
      if (isRecord(returnvalue)) this.settle(jobId, returnvalue);
      else void this.guarded(jobId);
    });
    this.events.on('failed', ({ jobId }) => {
      if (this.waiters.has(jobId)) void this.guarded(jobId);
    });
    // A job's first progress (sent as it starts) names its worker: that is when it counts as started.
    this.events.on('progress', ({ jobId, data }) => {
      const report = readProgress(data);
      if (report) this.progress(jobId, report.worker, report.progress);
    });
  }

  /** Enqueues every request (existing jobs are reused) and resolves once each has a record in `sink.finished`. */
  async evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    if (this.closing) throw evaluatorMisuse(this.id, 'is closed', 'Create a new evaluator; close() is final.');
    if (signal?.aborted) throw evaluationAborted(this.id);
    if (requests.length === 0) return;
    const call = this.open(sink, signal);
    try {
      await within(this.connect(), call);
      await this.watch();
      this.versions ??= pluginVersions(this.context.pluginUrls).then((plugins) => ({ evopt: evoptVersion(), plugins }));
      const specs = this.register(call, requests, await within(this.versions, call));
      await within(this.enqueue(specs), call);
      // Jobs that finished before we subscribed (or in an earlier run) raise no event: look them up.
      await within(Promise.all([...call.jobs.keys()].map((jobId) => this.check(jobId))), call);
      if (call.jobs.size === 0) call.done();
      await call.outcome;
    } catch (error) {
      throw error instanceof EvoptError ? error : queueError(error, this.connection.display);
    } finally {
      this.forget(call);
    }
  }

  /**
   * Pausing holds back this orchestrator's jobs not yet added and takes its waiting ones out of
   * Redis; running jobs finish and are reported. Resuming adds them (again): their ids are
   * deterministic, so that is idempotent. The BullMQ queue itself is never paused, since other
   * runs may share it.
   */
  setPaused(paused: boolean): void {
    if (paused === this.paused || this.closing) return;
    this.paused = paused;
    if (paused) {
      for (const jobId of this.waiters.keys()) void this.guarded(jobId);
      return;
    }
    const ids = [...this.held];
    this.held.clear();
    this.removed.clear();
    void this.add(ids).catch((error: unknown) => this.failJobs(ids, queueError(error, this.connection.display)));
  }

  /** Closes the Redis connections; jobs already enqueued stay in the queue, and calls in progress reject with ABORTED. Idempotent. */
  close(): Promise<void> {
    if (!this.closing) {
      for (const call of this.calls) call.fail(evaluationAborted(this.id));
      this.stopPolling();
      this.closing = Promise.allSettled([this.events.close(), this.queue.close()]).then(() => undefined);
    }
    return this.closing;
  }

  private open(sink: EvaluationSink, signal: AbortSignal | undefined): Call {
    let done = (): void => {};
    let fail: (error: Error) => void = () => {};
    const outcome = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
    outcome.catch(() => undefined);
    const call: Call = { sink, jobs: new Map(), began: Date.now(), retried: new Set(), outcome, done: () => done(), fail: (error) => fail(error) };
    this.calls.add(call);
    if (this.calls.size === 1) sink.workerStatus?.('queue', 'busy');
    this.outages.callStarted(sink);
    if (signal) {
      let shared = this.signals.get(signal);
      if (!shared) {
        const calls = new Set<Call>();
        const onAbort = (): void => {
          for (const c of calls) c.fail(evaluationAborted(this.id));
        };
        shared = { calls, onAbort };
        this.signals.set(signal, shared);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      shared.calls.add(call);
    }
    return call;
  }

  /** Records which jobs the call waits for; returns the specs of those to add. */
  private register(call: Call, requests: readonly EvaluationRequest[], versions: QueueVersions): JobSpec[] {
    const specs: JobSpec[] = [];
    for (const request of requests) {
      const taskOptions = this.context.taskOptions[request.task] ?? {};
      const jobId = queueJobId(request, taskOptions, versions);
      const known = call.jobs.get(jobId);
      if (known) {
        known.requests.push(request);
        continue;
      }
      call.jobs.set(jobId, { requests: [request], started: false });
      let waiting = this.waiters.get(jobId);
      if (!waiting) this.waiters.set(jobId, (waiting = new Set()));
      waiting.add(call);
      let spec = this.specs.get(jobId);
      if (!spec) {
        const data: QueueJobData = { schema: 'evopt.queue-job/1', request, taskOptions, versions };
        spec = { name: request.task, data, opts: { ...this.jobOptions(), jobId } };
        this.specs.set(jobId, spec);
      }
      specs.push(spec);
    }
    this.poll ??= setInterval(() => this.pollAll(), POLL_MS);
    return specs;
  }

  /** Ends a call's claim on its jobs, its signal and the shared poll. */
  private forget(call: Call): void {
    if (!this.calls.delete(call)) return;
    for (const jobId of call.jobs.keys()) {
      const waiting = this.waiters.get(jobId);
      waiting?.delete(call);
      if (waiting?.size === 0) this.drop(jobId);
    }
    for (const [signal, shared] of this.signals) {
      if (!shared.calls.delete(call) || shared.calls.size > 0) continue;
      signal.removeEventListener('abort', shared.onAbort);
      this.signals.delete(signal);
    }
    if (this.calls.size === 0) call.sink.workerStatus?.('queue', 'idle');
    if (this.waiters.size === 0) this.stopPolling();
  }

  /** No call waits for the job any more. */
  private drop(jobId: string): void {
    this.waiters.delete(jobId);
    this.specs.delete(jobId);
    this.held.delete(jobId);
    this.removed.delete(jobId);
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  /** Adds jobs, or holds them back while paused. addBulk leaves an existing job id untouched: a duplicate is a no-op. */
  private async enqueue(specs: readonly JobSpec[]): Promise<void> {
    if (this.paused) {
      for (const spec of specs) this.held.add(spec.opts.jobId);
      return;
    }
    if (specs.length > 0) await this.queue.addBulk([...specs]);
  }

  private async add(jobIds: readonly string[]): Promise<void> {
    const specs = jobIds.flatMap((jobId) => {
      const spec = this.waiters.has(jobId) ? this.specs.get(jobId) : undefined;
      return spec ? [spec] : [];
    });
    await this.enqueue(specs);
  }

  private pollAll(): void {
    // One round of lookups at a time: while Redis is down they wait for the reconnect, and must not pile up.
    if (this.polling) return;
    this.polling = true;
    void Promise.all([...this.waiters.keys()].map((jobId) => this.guarded(jobId))).finally(() => (this.polling = false));
  }

  /** Looks a job up, one lookup per job at a time. */
  private check(jobId: string): Promise<void> {
    const next = (this.checks.get(jobId) ?? Promise.resolve()).then(() => this.lookUp(jobId));
    const tail = next.catch(() => undefined);
    this.checks.set(jobId, tail);
    void tail.then(() => {
      if (this.checks.get(jobId) === tail) this.checks.delete(jobId);
    });
    return next;
  }

  /** A lookup whose failure fails the calls waiting for that job. */
  private guarded(jobId: string): Promise<void> {
    return this.check(jobId).catch((error: unknown) => this.failJobs([jobId], queueError(error, this.connection.display)));
  }

  private failJobs(jobIds: readonly string[], error: Error): void {
    for (const jobId of jobIds) for (const call of this.waiters.get(jobId) ?? []) call.fail(error);
  }

  /**
   * Settles a job that is over; while paused, takes a waiting one out of Redis; and adds a job
   * that is missing (removed by another paused orchestrator, or expired) while calls wait for it.
   */
  private async lookUp(jobId: string): Promise<void> {
    if (!this.waiters.has(jobId)) return;
    // The state first, then the job: a job read before it completed would carry no return value.
    const state = await this.queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') return this.over(jobId, state);
    if (this.paused && (state === 'waiting' || state === 'prioritized') && !this.removed.has(jobId)) return this.holdBack(jobId);
    if (state === 'unknown' && !this.paused && !this.held.has(jobId)) await this.add([jobId]);
  }

  private async over(jobId: string, state: 'completed' | 'failed'): Promise<void> {
    const job = await Job.fromId<QueueJobData, QueueJobResult>(this.queue, jobId);
    const calls = this.waiters.get(jobId);
    if (!job || !calls) return;
    if (state === 'completed') {
      if (isRecord(job.returnvalue)) this.settle(jobId, job.returnvalue);
      return;
    }
    // It failed before some call began (in an earlier run: a stopped fleet, a refused version): give it a fresh set of tries.
    const stale = [...calls].filter((call) => !call.retried.has(jobId) && (job.finishedOn ?? 0) < call.began);
    if (stale.length > 0) {
      for (const call of stale) call.retried.add(jobId);
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    } else if (job.failedReason.startsWith(VERSION_REFUSED)) this.failJobs([jobId], versionRefused(job.failedReason, this.connection.display));
    else {
      const [first] = calls;
      const request = first?.jobs.get(jobId)?.requests[0];
      if (request) this.settle(jobId, failedRecord(request, job));
    }
  }

  /** Takes a waiting job out of Redis until resume. If a worker took it meanwhile, removal fails and it simply runs. */
  private async holdBack(jobId: string): Promise<void> {
    const removed = await this.queue.remove(jobId);
    if (removed !== 1 || !this.waiters.has(jobId)) return;
    // Resumed while the removal was on its way: add it back now.
    if (!this.paused) return this.add([jobId]);
    this.held.add(jobId);
    this.removed.add(jobId);
  }

  /** Gives every call waiting for the job its record, once. */
  private settle(jobId: string, record: EvaluationRecord): void {
    const calls = this.waiters.get(jobId);
    if (!calls) return; // already recorded: a job's result is stored once
    this.drop(jobId);
    for (const call of calls) {
      const entry = call.jobs.get(jobId);
      if (!entry) continue;
      call.jobs.delete(jobId);
      try {
        for (const request of entry.requests) {
          if (!entry.started) call.sink.started(request, record.worker);
          call.sink.finished(record);
        }
      } catch (error) {
        call.fail(error as Error);
        continue;
      }
      if (call.jobs.size === 0) call.done();
    }
    if (this.waiters.size === 0) this.stopPolling();
  }

  private progress(jobId: string, worker: string, progress: Parameters<EvaluationSink['progress']>[2]): void {
    for (const call of this.waiters.get(jobId) ?? []) {
      const entry = call.jobs.get(jobId);
      if (!entry) continue;
      try {
        for (const request of entry.requests) {
          if (!entry.started) call.sink.started(request, worker);
          call.sink.progress(request, worker, progress);
        }
        entry.started = true;
      } catch (error) {
        call.fail(error as Error);
      }
    }
  }

  private async connect(): Promise<void> {
    if (!this.eventsRunning) {
      this.eventsRunning = true;
      void this.events.run().catch((error: unknown) => this.context.log(`queue events stopped: ${redactSecrets(String(error))}`));
    }
    await reachRedis(Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]), this.options.connectTimeoutMs, this.connection.display);
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

/** `work`, unless the call ends first (aborted, or failed by another job); a late failure of `work` is then ignored. */
function within<T>(work: Promise<T>, call: Call): Promise<T> {
  work.catch(() => undefined);
  return Promise.race([work, call.outcome.then(() => work)]);
}
