// How the queue evaluator learns that jobs are over: BullMQ's queue events, and a poll for what they miss.
import { Job, type Queue, type QueueEvents } from 'bullmq';
import type { CallBook } from './calls.js';
import { VERSION_REFUSED, type QueueJobData, type QueueJobResult } from './job.js';
import type { DispatchPause } from './pause.js';
import { failedRecord, isRecord, queueError, readProgress, versionRefused } from './results.js';

/** How often unfinished jobs are looked up, in case an event was missed (a reconnect, a race at subscribe time). */
const POLL_MS = 1000;

/**
 * Settles the jobs that calls wait for: from the queue events (one listener each, for all calls),
 * and by looking jobs up, once when a call begins (jobs that finished earlier raise no event) and
 * every second while any call waits. A lookup also drives the pause protocol for a job not over.
 */
export class ResultCollector {
  /** Lookups of a job run one at a time, so a stale failure is retried once, not once per lookup. */
  private readonly checks = new Map<string, Promise<void>>();
  private poll: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly queue: Queue<QueueJobData, QueueJobResult>,
    events: QueueEvents,
    private readonly book: CallBook,
    private readonly pause: DispatchPause,
    /** The queue's URL as shown, password hidden. */
    private readonly display: string,
  ) {
    events.on('completed', ({ jobId, returnvalue }) => {
      if (!this.book.waitsFor(jobId)) return;
      // The event carries the record: no lookup needed, and it still counts if the job is gone by now.
      if (isRecord(returnvalue)) this.settle(jobId, returnvalue);
      else void this.guarded(jobId);
    });
    events.on('failed', ({ jobId }) => {
      if (this.book.waitsFor(jobId)) void this.guarded(jobId);
    });
    // A job's first progress (sent as it starts) names its worker: that is when it counts as started.
    events.on('progress', ({ jobId, data }) => {
      const report = readProgress(data);
      if (report) this.book.progress(jobId, report.worker, report.progress);
    });
  }

  /** Starts the poll of unfinished jobs, if it is not running. */
  startPolling(): void {
    this.poll ??= setInterval(() => this.pollAll(), POLL_MS);
  }

  stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  /** Stops the poll once no call waits for any job. */
  stopPollingIfIdle(): void {
    if (!this.book.waiting) this.stopPolling();
  }

  /** Looks a job up, one lookup per job at a time. */
  check(jobId: string): Promise<void> {
    const next = (this.checks.get(jobId) ?? Promise.resolve()).then(() => this.lookUp(jobId));
    const tail = next.catch(() => undefined);
    this.checks.set(jobId, tail);
    void tail.then(() => {
      if (this.checks.get(jobId) === tail) this.checks.delete(jobId);
    });
    return next;
  }

  /** A lookup whose failure fails the calls waiting for that job. */
  guarded(jobId: string): Promise<void> {
    return this.check(jobId).catch((error: unknown) => this.book.fail([jobId], queueError(error, this.display)));
  }

  private pollAll(): void {
    // One round of lookups at a time: while Redis is down they wait for the reconnect, and must not pile up.
    if (this.polling) return;
    this.polling = true;
    void Promise.all(this.book.jobIds().map((jobId) => this.guarded(jobId))).finally(() => (this.polling = false));
  }

  /** Settles a job that is over; hands one that is not to the pause protocol. */
  private async lookUp(jobId: string): Promise<void> {
    if (!this.book.waitsFor(jobId)) return;
    // The state first, then the job: a job read before it completed would carry no return value.
    const state = await this.queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed') return this.over(jobId, state);
    await this.pause.reconcile(jobId, state);
  }

  private async over(jobId: string, state: 'completed' | 'failed'): Promise<void> {
    const job = await Job.fromId<QueueJobData, QueueJobResult>(this.queue, jobId);
    const calls = this.book.callsFor(jobId);
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
    } else if (job.failedReason.startsWith(VERSION_REFUSED))
      this.book.fail([jobId], versionRefused(job.failedReason, this.display));
    else {
      const [first] = calls;
      const request = first?.jobs.get(jobId)?.requests[0];
      if (request) this.settle(jobId, failedRecord(request, job));
    }
  }

  private settle(jobId: string, record: QueueJobResult): void {
    if (this.book.settle(jobId, record)) this.stopPollingIfIdle();
  }
}
