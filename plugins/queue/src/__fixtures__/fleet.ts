// Shared by the queue tests: a real redis-server, the testing plugins, and fleets of in-process workers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  baselineGenome,
  buildRegistries,
  deriveSeed,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
  type EvaluatorContext,
  type LoadedRegistries,
} from '@evopt/core';
import { startLocalRedis, type LocalRedis } from '../local-redis.js';
import { QueueEvaluator, type QueueEvaluatorOptions } from '../evaluator.js';
import { evoptVersion, pluginVersions, type QueueVersions } from '../versions.js';
import { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from '../worker.js';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const TASK = 'testing/quadratic';
export const POISON_TASK = 'poison/quadratic';
export const SPIN_TASK = 'poison/spin';

// A task that throws for the genome hashed "poison" and scores every other one, and one that
// keeps its thread busy for `steps` ms without yielding, as CPU training does.
const POISON_PLUGIN = `export default { name: 'evopt-plugin-poison', apiVersion: '1.0', version: '1.2.3', tasks: [{ id: '${POISON_TASK}',
  meta: { summary: 'throws for one genome' },
  create() { return { async evaluate(items) { return items.map((item) => {
    if (item.hash === 'poison') throw new Error('poisoned genome');
    return { status: 'ok', score: 1 / (1 + item.genome.lr), metrics: {}, stepsCompleted: item.steps };
  }); } }; } }, { id: '${SPIN_TASK}',
  meta: { summary: 'blocks its thread' },
  create() { return { async evaluate(items) { return items.map((item) => {
    const end = Date.now() + item.steps;
    while (Date.now() < end) {}
    return { status: 'ok', score: 1 / (1 + item.genome.lr), metrics: {}, stepsCompleted: item.steps };
  }); } }; } }] };\n`;

export class Sink implements EvaluationSink {
  readonly records: EvaluationRecord[] = [];
  /** Who started each request, and the progress seen: what the TUI's workers panel shows. */
  readonly startedBy: string[] = [];
  readonly progressed: { worker: string; step: number; totalSteps: number }[] = [];
  readonly statuses: { worker: string; status: string; detail?: string }[] = [];
  /** `progress <hash> <step>` and `finished <hash>`, in the order they came. */
  readonly timeline: string[] = [];
  startedCalls = 0;
  started(_request: EvaluationRequest, worker: string): void {
    this.startedCalls++;
    this.startedBy.push(worker);
  }
  progress(request: EvaluationRequest, worker: string, progress: EvaluationProgress): void {
    this.timeline.push(`progress ${request.hash} ${progress.step}`);
    this.progressed.push({ worker, step: progress.step, totalSteps: progress.totalSteps });
  }
  finished(record: EvaluationRecord): void {
    this.timeline.push(`finished ${record.hash}`);
    this.records.push(record);
  }
  workerStatus(worker: string, status: string, detail?: string): void {
    this.statuses.push({ worker, status, ...(detail !== undefined && { detail }) });
  }
  comparable(): unknown[] {
    return [...this.records]
      .sort((a, b) => a.hash.localeCompare(b.hash) || a.seedIndex - b.seedIndex)
      .map(({ durationMs: _d, worker: _w, ...rest }) => rest);
  }
}

export function requests(task: string, hashes: readonly string[], steps = 20): EvaluationRequest[] {
  return hashes.map((hash, i) => ({
    hash,
    task,
    seedIndex: 0,
    steps,
    seed: deriveSeed(7, hash, task, 0),
    genome: { ...baselineGenome('adam'), lr: 0.01 * (i + 1) },
  }));
}

export interface Setup {
  readonly redis: LocalRedis;
  readonly loaded: LoadedRegistries;
  readonly context: EvaluatorContext;
  readonly versions: QueueVersions;
  readonly logs: string[];
}

/** Starts a password-protected redis-server and loads the testing and poison plugins. */
export async function setUp(): Promise<Setup> {
  const redis = await startLocalRedis({ password: 't0p-secret' });
  const dir = mkdtempSync(join(tmpdir(), 'evopt-queue-'));
  writeFileSync(join(dir, 'poison.mjs'), POISON_PLUGIN);
  // The real primitives and schedules: the quadratic task trains with the genome's update rule.
  const loaded = await buildRegistries(
    ['@evopt/plugin-primitives', '@evopt/plugin-schedules', '@evopt/plugin-quadratic', join(dir, 'poison.mjs')],
    PACKAGE_DIR,
  );
  const pluginUrls = loaded.plugins.map((p) => p.url);
  const logs: string[] = [];
  const context: EvaluatorContext = {
    registries: loaded.registries,
    pluginUrls,
    taskOptions: {},
    dataDir: dir,
    backend: 'cpu',
    log: (m) => logs.push(m),
  };
  return {
    redis,
    loaded,
    context,
    versions: { evopt: evoptVersion(), plugins: await pluginVersions(pluginUrls) },
    logs,
  };
}

let queueCount = 0;

export interface FleetOptions {
  readonly evaluator?: Partial<QueueEvaluatorOptions>;
  readonly versions?: QueueVersions;
  /** Task options the evaluator sends with its jobs. */
  readonly taskOptions?: EvaluatorContext['taskOptions'];
  readonly concurrency?: number;
  /** Another Redis than the setup's. */
  readonly url?: string;
  /** Worker options, such as short locks. */
  readonly worker?: Pick<QueueWorkerOptions, 'lockDurationMs' | 'stalledIntervalMs'>;
}

/** A fresh queue, with an evaluator and `workers` in-process workers on it; addWorker() starts one more. */
export async function fleet(setup: Setup, workers: number, options: FleetOptions = {}) {
  const { context, loaded, logs } = setup;
  const url = options.url ?? setup.redis.url;
  const queueName = `test-${process.pid}-${++queueCount}`;
  const evaluator = new QueueEvaluator(
    { url, queueName, attempts: 3, backoffMs: 10, keepSeconds: 3600, connectTimeoutMs: 5000, ...options.evaluator },
    { ...context, taskOptions: options.taskOptions ?? context.taskOptions },
  );
  const started: QueueWorker[] = [];
  const addWorker = async (): Promise<QueueWorker> => {
    const worker = startQueueWorker({
      url,
      queueName,
      concurrency: options.concurrency ?? 1,
      registries: loaded.registries,
      pluginUrls: context.pluginUrls,
      versions: options.versions ?? setup.versions,
      dataDir: context.dataDir,
      backend: 'cpu',
      log: (m) => logs.push(m),
      name: `w${started.length}`,
      ...options.worker,
    });
    started.push(worker);
    await worker.ready;
    return worker;
  };
  for (let i = 0; i < workers; i++) await addWorker();
  const close = async () => {
    await evaluator.close();
    await Promise.all(started.map((w) => w.close(true)));
  };
  return { evaluator, queueName, addWorker, close };
}

/** Polls `predicate` until it holds; throws after `timeoutMs`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
