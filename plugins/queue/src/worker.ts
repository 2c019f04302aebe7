import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import {
  WorkerPoolEvaluator,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
  type ReadonlyRegistries,
} from '@evopt/core';
import { parseQueueUrl, redactSecrets } from './connection.js';
import { REFUSAL_FIX, VERSION_REFUSED, type QueueJobData, type QueueJobResult, type QueueProgress } from './job.js';
import { WorkerPlugins, type JobPlugins, type PluginInstall } from './job-plugins.js';
import type { QueueVersions } from './versions.js';

export interface QueueWorkerOptions {
  readonly url: string;
  readonly queueName: string;
  /** Jobs run at once in this process. */
  readonly concurrency: number;
  /** The plugins this worker loaded, and their versions (see {@link QueueVersions}). */
  readonly registries: ReadonlyRegistries;
  /** Where those plugins load from: the worker threads that run the jobs load them again. */
  readonly pluginUrls: readonly string[];
  readonly versions: QueueVersions;
  /**
   * Where plugins that a job names and this worker has not loaded may be found by package name
   * (see {@link WorkerPlugins}); without it, jobs that need other plugins are refused.
   */
  readonly install?: PluginInstall;
  readonly dataDir: string;
  readonly backend: string;
  readonly log: (message: string) => void;
  /** How long a job's lock lasts without renewal; a worker killed mid-job loses it after this. Default 30 s. */
  readonly lockDurationMs?: number;
  /** How often this worker looks for jobs whose lock expired (stalled), to run them again. Default 30 s. */
  readonly stalledIntervalMs?: number;
  /** Stalls a job may have before it fails for good. Default 2. */
  readonly maxStalledCount?: number;
  /** The name records carry; default `host:pid`. */
  readonly name?: string;
}

/** A running queue worker. */
export interface QueueWorker {
  readonly name: string;
  /** Resolves once it is connected and taking jobs. */
  readonly ready: Promise<void>;
  /** Finishes the jobs in progress, then disconnects; `force` abandons them (they stall and move on). */
  close(force?: boolean): Promise<void>;
}

/**
 * Takes jobs from the queue and evaluates each in a worker thread of a {@link WorkerPoolEvaluator},
 * the code the local evaluators use, so its records equal theirs. Training never blocks this
 * process's event loop, so BullMQ keeps renewing the locks of running jobs (a blocked loop would
 * let a lock expire and another worker run the job too). One pool per distinct task options, each
 * with up to `concurrency` threads that prepare their task once. A plugin a job needs that the
 * worker has not loaded loads on demand when it is installed at that version; a job enqueued with
 * another evopt, or a plugin at another version or not installed, is refused without retry.
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const { options: connection, display } = parseQueueUrl(options.url);
  const plugins = new WorkerPlugins(
    { registries: options.registries, pluginUrls: options.pluginUrls, versions: options.versions },
    options.install,
    options.log,
  );
  const pools = new Map<string, WorkerPoolEvaluator>();
  const poolFor = (data: QueueJobData, { registries, pluginUrls }: JobPlugins): WorkerPoolEvaluator => {
    const key = JSON.stringify([data.request.task, data.taskOptions, pluginUrls]);
    let pool = pools.get(key);
    if (!pool) {
      pool = new WorkerPoolEvaluator(
        { workers: options.concurrency, batchSize: 1 },
        {
          registries,
          pluginUrls,
          taskOptions: { [data.request.task]: data.taskOptions },
          dataDir: options.dataDir,
          backend: options.backend,
          log: options.log,
        },
      );
      pools.set(key, pool);
    }
    return pool;
  };

  const processJob = async (job: Job<QueueJobData, QueueJobResult>): Promise<QueueJobResult> => {
    const data = job.data;
    if (data.schema !== 'evopt.queue-job/1')
      throw new UnrecoverableError(`job ${job.id ?? '?'} is not an evopt job (schema ${String(data.schema)})`);
    const jobPlugins = await plugins.forJob(data.versions);
    if ('mismatch' in jobPlugins) {
      const { mismatch, fix } = jobPlugins;
      options.log(`refused job ${job.id ?? '?'}: ${mismatch}${REFUSAL_FIX}${fix}`);
      throw new UnrecoverableError(
        `${VERSION_REFUSED}: worker ${name} runs other versions than the job needs: ${mismatch}. Mixed fleets would mix results.${REFUSAL_FIX}${fix}`,
      );
    }
    // Progress carries this worker's name, so the orchestrator's workers panel shows host:pid (BullMQ's events do not).
    const report = (progress: EvaluationProgress): void =>
      void job.updateProgress({ ...progress, worker: name } satisfies QueueProgress).catch(() => undefined);
    report({ step: 0, totalSteps: data.request.steps });
    const evaluated = await evaluateOne(poolFor(data, jobPlugins), data.request, report);
    if (!evaluated) throw new Error(`job ${job.id ?? '?'} produced no record`);
    // The pool names its thread; records name the worker process, as the orchestrator's panel does.
    const record: EvaluationRecord = { ...evaluated, worker: name };
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (record.status === 'failed' && !last) {
      // The failure may be this machine's (memory, a driver): let BullMQ retry, maybe elsewhere.
      throw new Error(record.error?.message ?? 'the evaluation failed');
    }
    options.log(`job ${job.id ?? '?'}: ${describe(record)}`);
    return record;
  };

  const worker = new Worker<QueueJobData, QueueJobResult>(options.queueName, processJob, {
    connection,
    name,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    autorun: true,
  });
  worker.on('error', (error) => options.log(`queue ${display}: ${redactSecrets(error.message)}`));
  worker.on('failed', (job, error) =>
    options.log(`job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${redactSecrets(error.message)}`),
  );

  return {
    name,
    ready: worker.waitUntilReady().then(() => undefined),
    close: async (force = false) => {
      await worker.close(force);
      // Forced, jobs may still run in threads: closing the pools ends them (they stall and move on).
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      pools.clear();
    },
  };
}

/** The record of one request, from a pool whose evaluate calls may overlap (one per running job). */
async function evaluateOne(
  pool: WorkerPoolEvaluator,
  request: EvaluationRequest,
  progress: (progress: EvaluationProgress) => void,
): Promise<EvaluationRecord | undefined> {
  let record: EvaluationRecord | undefined;
  await pool.evaluate([request], {
    started: () => undefined,
    progress: (_request, _worker, p) => progress(p),
    finished: (r) => (record = r),
  });
  return record;
}

function describe(record: EvaluationRecord): string {
  const score = record.status === 'ok' ? ` score ${record.score.toFixed(4)}` : '';
  return `${record.task} ${record.hash.slice(0, 8)} seed#${record.seedIndex} → ${record.status}${score}${record.error ? ` (${record.error.message})` : ''}`;
}
