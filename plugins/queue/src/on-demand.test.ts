// A worker whose config lacks the run's task plugin, against real Redis: it loads the plugin on
// demand where that version is installed, and refuses the job, saying what to install, where not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistries, type EvaluatorContext } from '@evopt/core';
import { INSTALLED_TASK, install, project } from './__fixtures__/installed.js';
import { hasRedis } from './__fixtures__/redis.js';
import { requests, Sink } from './__fixtures__/fleet.js';
import { QueueEvaluator } from './evaluator.js';
import { startLocalRedis, type LocalRedis } from './local-redis.js';
import { evoptVersion } from './versions.js';
import { startQueueWorker } from './worker.js';

const PLUGIN = 'evopt-plugin-installed';
let redis: LocalRedis;
let queues = 0;

beforeAll(async () => {
  redis = await startLocalRedis();
});

afterAll(async () => {
  await redis?.stop();
});

/** A run whose config loads the plugin at 1.0.0, and one worker with no plugins of its own, in `workerDir`. */
async function runAgainst(workerDir: string) {
  const runDir = project();
  install(runDir, PLUGIN, '1.0.0');
  const run = await buildRegistries([PLUGIN], runDir);
  const logs: string[] = [];
  const context: EvaluatorContext = {
    registries: run.registries,
    pluginUrls: run.plugins.map((p) => p.url),
    taskOptions: {},
    dataDir: runDir,
    backend: 'cpu',
    log: (m) => logs.push(m),
  };
  const queueName = `on-demand-${process.pid}-${++queues}`;
  const evaluator = new QueueEvaluator(
    { url: redis.url, queueName, attempts: 1, backoffMs: 10, keepSeconds: 60, connectTimeoutMs: 5000 },
    context,
  );
  const bare = await buildRegistries([], workerDir);
  const worker = startQueueWorker({
    url: redis.url,
    queueName,
    concurrency: 1,
    registries: bare.registries,
    pluginUrls: [],
    versions: { evopt: evoptVersion(), plugins: {} },
    install: { baseDir: workerDir },
    dataDir: workerDir,
    backend: 'cpu',
    log: (m) => logs.push(m),
    name: 'bare',
  });
  await worker.ready;
  const close = async () => {
    await evaluator.close();
    await worker.close(true);
  };
  return { evaluator, logs, close };
}

describe.skipIf(!hasRedis)("a worker without the run's plugin in its config", () => {
  it('serves the job when that version is installed where it runs', async () => {
    const workerDir = project();
    const packageDir = install(workerDir, PLUGIN, '1.0.0');
    const { evaluator, logs, close } = await runAgainst(workerDir);
    const sink = new Sink();
    try {
      await evaluator.evaluate(requests(INSTALLED_TASK, ['a', 'b']), sink);
      const records = [...sink.records].sort((x, y) => x.hash.localeCompare(y.hash));
      expect(records.map((r) => [r.hash, r.status, r.worker])).toEqual([
        ['a', 'ok', 'bare'],
        ['b', 'ok', 'bare'],
      ]);
      expect(records[0]?.score).toBeCloseTo(1 / 1.01, 12); // the plugin's 1 / (1 + lr), lr 0.01
      expect(logs.filter((l) => l.includes('loaded on demand'))).toEqual([
        `plugin ${PLUGIN}@1.0.0 loaded on demand from ${packageDir}/index.mjs`,
      ]);
    } finally {
      await close();
    }
  });

  it('refuses the job, naming what to install, when another version or nothing is installed there', async () => {
    const other = project();
    install(other, PLUGIN, '2.0.0');
    for (const [workerDir, found] of [
      [other, '2.0.0'],
      [project(), 'not installed'],
    ] as const) {
      const { evaluator, logs, close } = await runAgainst(workerDir);
      try {
        const run = evaluator.evaluate(requests(INSTALLED_TASK, ['a']), new Sink());
        await expect(run).rejects.toThrow(
          `runs other versions than the job needs: ${PLUGIN} 1.0.0 (job) vs ${found} (worker)`,
        );
        await expect(run).rejects.toThrow(
          `fix: Install ${PLUGIN}@1.0.0 where the worker runs (npm install ${PLUGIN}@1.0.0 in ${workerDir}), or start it with --config`,
        );
        expect(
          logs.some(
            (l) => l.startsWith(`refused job evopt-`) && l.includes(`${PLUGIN} 1.0.0 (job) vs ${found} (worker)`),
          ),
        ).toBe(true);
      } finally {
        await close();
      }
    }
  });
});
