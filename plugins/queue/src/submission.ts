// What the queue evaluator adds to Redis: one job per request, its id derived from the request and the code versions.
import type { JobsOptions, Queue } from 'bullmq';
import type { EvaluationRequest, Options } from '@evopt/core';
import { queueJobId, type QueueJobData, type QueueJobResult } from './job.js';
import type { QueueVersions } from './versions.js';

/** What addBulk takes for one job; kept so a job held back by a pause can be added on resume. */
interface JobSpec {
  readonly name: string;
  readonly data: QueueJobData;
  readonly opts: JobsOptions & { readonly jobId: string };
}

/** How jobs are retried and kept (the evaluator's options). */
export interface JobPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
  readonly keepSeconds: number;
}

/** The jobs some call waits for, ready to be added (again) to the queue. */
export class JobSubmission {
  private readonly specs = new Map<string, JobSpec>();

  constructor(
    private readonly queue: Queue<QueueJobData, QueueJobResult>,
    private readonly policy: JobPolicy,
    private readonly taskOptions: Readonly<Record<string, Options>>,
  ) {}

  /** The job that answers the request, remembered until {@link forget}; returns its id. */
  prepare(request: EvaluationRequest, versions: QueueVersions): string {
    const taskOptions = this.taskOptions[request.task] ?? {};
    const jobId = queueJobId(request, taskOptions, versions);
    if (!this.specs.has(jobId)) {
      const data: QueueJobData = { schema: 'evopt.queue-job/1', request, taskOptions, versions };
      this.specs.set(jobId, { name: request.task, data, opts: { ...this.jobOptions(), jobId } });
    }
    return jobId;
  }

  /** Adds the jobs that are still prepared. addBulk leaves an existing job id untouched: a duplicate is a no-op. */
  async add(jobIds: readonly string[]): Promise<void> {
    const specs = jobIds.flatMap((jobId) => this.specs.get(jobId) ?? []);
    if (specs.length > 0) await this.queue.addBulk(specs);
  }

  forget(jobId: string): void {
    this.specs.delete(jobId);
  }

  private jobOptions(): JobsOptions {
    const { attempts, backoffMs, keepSeconds } = this.policy;
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: keepSeconds },
      removeOnFail: { age: keepSeconds },
    };
  }
}
