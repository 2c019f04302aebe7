import {
  InlineEvaluator,
  WorkerPoolEvaluator,
  createRegistries,
  deriveSeed,
  freezeRegistries,
  importPlugin,
  isEvoptError,
  registerPlugin,
  resolvePluginUrl,
} from '@evopt/core';
import type {
  EvaluationRecord,
  EvaluationRequest,
  EvaluationSink,
  EvaluatorContext,
  Genome,
  Options,
} from '@evopt/core';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The worker threads load plugins by URL: the built @evopt/plugin-quadratic (dist), resolved as a
// config's "@evopt/plugin-quadratic" would be, and core's plain-JS fixture for grad/adam/constant.
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const PLUGIN_URLS = [
  new URL('../../../packages/core/test-fixtures/plugin.js', import.meta.url).href,
  resolvePluginUrl('@evopt/plugin-quadratic', PACKAGE_DIR),
];
const TASK = 'testing/quadratic';

async function context(taskOptions: Options = {}): Promise<EvaluatorContext> {
  const registries = createRegistries();
  for (const url of PLUGIN_URLS) registerPlugin(registries, await importPlugin(url, url));
  return {
    registries: freezeRegistries(registries),
    pluginUrls: PLUGIN_URLS,
    taskOptions: { [TASK]: taskOptions },
    dataDir: '.',
    backend: 'auto',
    log: () => undefined,
  };
}

function requests(lrs: readonly number[]): EvaluationRequest[] {
  return lrs.map((lr, i) => {
    const genome: Genome = {
      schema: 'evopt.genome/1',
      terms: [{ primitive: 'adam', alpha: 1 }],
      lr,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      useM: true,
      useV: true,
      biasCorrection: true,
      clip: null,
      schedule: { id: 'constant', params: {} },
    };
    return { hash: `g${i}`, task: TASK, seedIndex: 0, steps: 100, seed: deriveSeed(1, `g${i}`, TASK, 0), genome };
  });
}

function sink(): EvaluationSink & { records: EvaluationRecord[] } {
  const records: EvaluationRecord[] = [];
  return { records, started: () => undefined, progress: () => undefined, finished: (r) => records.push(r) };
}

const byHash = (records: EvaluationRecord[]) =>
  [...records].sort((a, b) => a.hash.localeCompare(b.hash)).map(({ durationMs: _d, worker: _w, ...rest }) => rest);

const pools: WorkerPoolEvaluator[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function pool(taskOptions: Options = {}): Promise<WorkerPoolEvaluator> {
  const evaluator = new WorkerPoolEvaluator({ workers: 2 }, await context(taskOptions));
  pools.push(evaluator);
  return evaluator;
}

describe('@evopt/plugin-quadratic under the evaluators', { timeout: 30_000 }, () => {
  it('gives the same records in worker threads as inline', async () => {
    const inline = sink();
    await new InlineEvaluator(await context()).evaluate(requests([0.001, 0.01, 0.05, 20]), inline);
    const pooled = sink();
    await (await pool()).evaluate(requests([0.001, 0.01, 0.05, 20]), pooled);
    expect(byHash(pooled.records)).toEqual(byHash(inline.records));
    expect(inline.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'diverged']);
  });

  it('fails a poison genome (crashOnLr) with a message naming the plugin and the task', async () => {
    const out = sink();
    await (await pool({ crashOnLr: 0.02 })).evaluate(requests([0.01, 0.02, 0.03]), out);
    const failed = out.records.find((r) => r.hash === 'g1');
    expect(failed).toMatchObject({ status: 'failed', score: -1 });
    expect(failed?.error?.message).toContain('@evopt/plugin-quadratic');
    expect(failed?.error?.message).toContain(TASK);
    expect(out.records.filter((r) => r.status === 'ok')).toHaveLength(2);
  });

  it('fails the genome that kills its worker (exitOnLr) with WORKER_CRASHED; the others finish', async () => {
    const out = sink();
    await (await pool({ exitOnLr: 0.02 })).evaluate(requests([0.01, 0.02, 0.03, 0.04]), out);
    expect(out.records).toHaveLength(4);
    expect(out.records.find((r) => r.hash === 'g1')?.error?.code).toBe('WORKER_CRASHED');
    expect(out.records.filter((r) => r.status === 'ok')).toHaveLength(3);
  });

  it('can be stopped mid-generation (delayMs) with ABORTED', async () => {
    const evaluator = await pool({ delayMs: 300 });
    const controller = new AbortController();
    const out = sink();
    out.started = () => setTimeout(() => controller.abort(), 50);
    await expect(evaluator.evaluate(requests([0.01, 0.02, 0.03]), out, controller.signal)).rejects.toSatisfy((e) =>
      isEvoptError(e, 'ABORTED'),
    );
    expect(out.records).toEqual([]);
  });
});
