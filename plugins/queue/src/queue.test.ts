import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import {
  baselineGenome,
  buildRegistries,
  deriveSeed,
  InlineEvaluator,
  isEvoptError,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
  type EvaluatorContext,
  type LoadedRegistries,
} from '@evopt/core';
import { startLocalRedis, type LocalRedis } from './local-redis.js';
import { QueueEvaluator, type QueueEvaluatorOptions } from './evaluator.js';
import { parseQueueUrl } from './connection.js';
import { evoptVersion, pluginVersions, type QueueVersions } from './versions.js';
import { startQueueWorker, type QueueWorker } from './worker.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const TASK = 'testing/quadratic';
const POISON_TASK = 'poison/quadratic';

// A task that throws for the genome hashed "poison" and scores every other one.
const POISON_PLUGIN = `export default { name: 'evopt-plugin-poison', apiVersion: '1.0', version: '1.2.3', tasks: [{ id: '${POISON_TASK}',
  meta: { summary: 'throws for one genome' },
  create() { return { async evaluate(items) { return items.map((item) => {
    if (item.hash === 'poison') throw new Error('poisoned genome');
    return { status: 'ok', score: 1 / (1 + item.genome.lr), metrics: {}, stepsCompleted: item.steps };
  }); } }; } }] };\n`;

class Sink implements EvaluationSink {
  readonly records: EvaluationRecord[] = [];
  /** Who started each request, and the progress seen: what the TUI's workers panel shows. */
  readonly startedBy: string[] = [];
  readonly progressed: { worker: string; step: number; totalSteps: number }[] = [];
  startedCalls = 0;
  started(_request: EvaluationRequest, worker: string): void {
    this.startedCalls++;
    this.startedBy.push(worker);
  }
  progress(_request: EvaluationRequest, worker: string, progress: EvaluationProgress): void {
    this.progressed.push({ worker, step: progress.step, totalSteps: progress.totalSteps });
  }
  finished(record: EvaluationRecord): void {
    this.records.push(record);
  }
  comparable(): unknown[] {
    return [...this.records].sort((a, b) => a.hash.localeCompare(b.hash) || a.seedIndex - b.seedIndex).map(({ durationMs: _d, worker: _w, ...rest }) => rest);
  }
}

function requests(task: string, hashes: readonly string[], steps = 20): EvaluationRequest[] {
  return hashes.map((hash, i) => ({ hash, task, seedIndex: 0, steps, seed: deriveSeed(7, hash, task, 0), genome: { ...baselineGenome('adam'), lr: 0.01 * (i + 1) } }));
}

let redis: LocalRedis;
let loaded: LoadedRegistries;
let context: EvaluatorContext;
let versions: QueueVersions;
const logs: string[] = [];
let queueCount = 0;

beforeAll(async () => {
  redis = await startLocalRedis({ password: 't0p-secret' });
  const dir = mkdtempSync(join(tmpdir(), 'evopt-queue-'));
  writeFileSync(join(dir, 'poison.mjs'), POISON_PLUGIN);
  loaded = await buildRegistries(['@evopt/testing/plugin', join(dir, 'poison.mjs')], PACKAGE_DIR);
  const pluginUrls = loaded.plugins.map((p) => p.url);
  context = { registries: loaded.registries, pluginUrls, taskOptions: {}, dataDir: dir, backend: 'cpu', log: (m) => logs.push(m) };
  versions = { evopt: evoptVersion(), plugins: await pluginVersions(pluginUrls) };
});

afterAll(async () => {
  await redis?.stop();
});

/** A fresh queue per test, with an evaluator and `workers` in-process workers on it. */
async function fleet(workers: number, options: Partial<QueueEvaluatorOptions> = {}, workerVersions: QueueVersions = versions) {
  const queueName = `test-${++queueCount}`;
  const evaluator = new QueueEvaluator({ url: redis.url, queueName, attempts: 3, backoffMs: 10, keepSeconds: 3600, connectTimeoutMs: 5000, ...options }, context);
  const started: QueueWorker[] = [];
  for (let i = 0; i < workers; i++) {
    started.push(startQueueWorker({ url: redis.url, queueName, concurrency: 1, registries: loaded.registries, versions: workerVersions, dataDir: context.dataDir, backend: 'cpu', log: (m) => logs.push(m), name: `w${i}` }));
  }
  await Promise.all(started.map((w) => w.ready));
  const close = async () => {
    await evaluator.close();
    await Promise.all(started.map((w) => w.close(true)));
  };
  return { evaluator, queueName, close };
}

describe('the queue evaluator with real Redis and workers', () => {
  it('gives the same records as the inline evaluator, finishing each request once', async () => {
    const { evaluator, close } = await fleet(2);
    const batch = requests(TASK, ['a', 'b', 'c', 'd']);
    const remote = new Sink();
    const local = new Sink();
    try {
      await evaluator.evaluate(batch, remote);
      await new InlineEvaluator(context).evaluate(batch, local);
      expect(remote.comparable()).toEqual(local.comparable());
      expect(remote.records).toHaveLength(4);
      expect(remote.startedCalls).toBe(4);
      expect(new Set(remote.records.map((r) => r.worker))).not.toContain('inline');
      // Requests are started and finished under the fleet's own worker names (never a generic "queue"),
      // with step/total progress. Under load a stalled job may be started by one worker and finished by
      // the other, so the names are checked against the fleet, not paired per request.
      const names = new Set(['w0', 'w1']);
      for (const record of remote.records) expect(names).toContain(record.worker);
      for (const worker of remote.startedBy) expect(names).toContain(worker);
      expect(remote.progressed.length).toBeGreaterThan(0);
      for (const p of remote.progressed) {
        expect(names).toContain(p.worker);
        expect(p.totalSteps).toBe(20);
      }
    } finally {
      await close();
    }
  });

  it('makes a repeated request one job: enqueueing again adds nothing and returns the stored records', async () => {
    const { evaluator, queueName, close } = await fleet(1);
    const batch = requests(TASK, ['a', 'b']);
    const queue = new Queue(queueName, { connection: parseQueueUrl(redis.url).options });
    try {
      const first = new Sink();
      await evaluator.evaluate([...batch, ...batch], first);
      expect(first.records).toHaveLength(4);
      expect(await queue.getJobCountByTypes('completed', 'failed', 'wait', 'active', 'delayed')).toBe(2);
      const second = new Sink();
      await evaluator.evaluate(batch, second);
      expect(second.comparable()).toEqual(first.comparable().filter((_, i) => i % 2 === 0));
      expect(await queue.getJobCountByTypes('completed', 'failed', 'wait', 'active', 'delayed')).toBe(2);
    } finally {
      await queue.close();
      await close();
    }
  });

  it('fails a poison genome after its bounded attempts; the others score', async () => {
    const { evaluator, close } = await fleet(2, { attempts: 2 });
    const sink = new Sink();
    try {
      await evaluator.evaluate(requests(POISON_TASK, ['fine-1', 'poison', 'fine-2']), sink);
      const poison = sink.records.find((r) => r.hash === 'poison');
      expect(poison?.status).toBe('failed');
      expect(poison?.error?.message).toMatch(/evopt-plugin-poison.*poisoned genome/);
      expect(sink.records.filter((r) => r.status === 'ok').map((r) => r.hash).sort()).toEqual(['fine-1', 'fine-2']);
      expect(logs.filter((l) => /failed \(attempt 1\): .*poisoned genome/.test(l)).length).toBeGreaterThanOrEqual(1);
    } finally {
      await close();
    }
  });

  it('refuses a job from other versions, naming both, and the run stops instead of mixing results', async () => {
    const { evaluator, close } = await fleet(1, {}, { ...versions, evopt: '9.9.9' });
    try {
      const run = evaluator.evaluate(requests(TASK, ['a']), new Sink());
      await expect(run).rejects.toThrow(new RegExp(`evopt ${versions.evopt.replace(/\./g, '\\.')} \\(job\\) vs 9\\.9\\.9 \\(worker\\)`));
    } finally {
      await close();
    }
  });

  it('rejects with ABORTED when the signal aborts, and never logs the password', async () => {
    const { evaluator, close } = await fleet(0);
    const controller = new AbortController();
    try {
      const run = evaluator.evaluate(requests(TASK, ['a']), new Sink(), controller.signal);
      setTimeout(() => controller.abort(), 200);
      await expect(run).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
    } finally {
      await close();
    }
    expect(logs.join('\n')).not.toContain('t0p-secret');
  });
});
