import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvoptError } from '../errors.js';
import type { Options } from '../plugin/meta.js';
import { FIXTURE_TASK, RecordingSink, THROWING_PLUGIN_URL, FIXTURE_PLUGIN_URL, fixtureContext, requestsFor } from './__fixtures__/harness.js';
import { InlineEvaluator } from './inline.js';
import { evaluationBatches, WorkerPoolEvaluator, type WorkerPoolOptions } from './worker-pool.js';

const pools: WorkerPoolEvaluator[] = [];

async function pool(options: WorkerPoolOptions, taskOptions: Record<string, Options> = {}, pluginUrls?: string[]) {
  const context = await fixtureContext(taskOptions, pluginUrls);
  const evaluator = new WorkerPoolEvaluator(options, context);
  pools.push(evaluator);
  return { evaluator, context };
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPoolEvaluator', { timeout: 30_000 }, () => {
  it('gives the same records as the inline evaluator', async () => {
    const requests = requestsFor([0.001, 0.01, 0.03, 0.1, 0.3]);
    const inline = new RecordingSink();
    await new InlineEvaluator(await fixtureContext()).evaluate(requests, inline);
    const pooled = new RecordingSink();
    await (await pool({ workers: 2 })).evaluator.evaluate(requests, pooled);
    expect(pooled.comparable()).toEqual(inline.comparable());
  });

  it('finishes each of 8 requests exactly once on 2 workers, and reports their lifecycle', async () => {
    const { evaluator } = await pool({ workers: 2 });
    const sink = new RecordingSink();
    await evaluator.evaluate(requestsFor([1, 2, 3, 4, 5, 6, 7, 8].map((i) => i / 1000)), sink);
    expect(sink.records.map((r) => r.hash).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `genome-${i}`).sort());
    expect(sink.startedKeys).toHaveLength(8);
    expect(sink.progressed.length).toBeGreaterThanOrEqual(8);
    // Which worker ran what depends on start-up timing; both are started, and only they run work.
    expect(sink.records.every((r) => r.worker === 'thread-1' || r.worker === 'thread-2')).toBe(true);
    expect(sink.statuses).toEqual(expect.arrayContaining(['thread-1:starting', 'thread-2:starting', `${sink.records[0]?.worker}:busy`, `${sink.records[0]?.worker}:idle`]));
  });

  it('reuses its workers and their tasks across evaluate calls', async () => {
    const { evaluator, context } = await pool({ workers: 2 });
    await evaluator.evaluate(requestsFor([0.01, 0.02, 0.03, 0.04]), new RecordingSink());
    const second = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.05, 0.06, 0.07, 0.08]), second);
    expect(second.records).toHaveLength(4);
    expect(second.statuses.filter((s) => s.endsWith(':starting'))).toEqual([]);
    // At most once per worker (a fast worker may take every batch before the other is ready).
    const prepared = context.logs.filter((line) => line.endsWith('prepared'));
    expect(prepared.length).toBeGreaterThanOrEqual(1);
    expect(prepared.length).toBeLessThanOrEqual(2);
    expect(new Set(prepared).size).toBe(prepared.length);
  });

  it('hands out no new work while paused; running work finishes, and resuming completes the job', async () => {
    const { evaluator } = await pool({ workers: 1 });
    const sink = new RecordingSink();
    sink.onFinished = () => {
      if (sink.records.length === 1) evaluator.setPaused(true);
    };
    let settled = false;
    const run = evaluator.evaluate(requestsFor([0.01, 0.02, 0.03, 0.04]), sink).finally(() => (settled = true));
    await expect.poll(() => sink.records.length, { timeout: 20_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.records).toHaveLength(1);
    expect(sink.startedKeys).toHaveLength(1);
    expect(settled).toBe(false);
    evaluator.setPaused(false);
    await run;
    expect(sink.records.map((r) => r.hash).sort()).toEqual(['genome-0', 'genome-1', 'genome-2', 'genome-3']);
  });

  it('sends batches of batchSize requests of one task', async () => {
    const { evaluator } = await pool({ workers: 2, batchSize: 3 });
    const sink = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07]), sink);
    expect(sink.records).toHaveLength(7);
    expect(new Set(sink.records.map((r) => r.durationMs)).size).toBe(3);
  });

  it('retries a request once after its worker crashed, and keeps the retry\'s result', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'evopt-crash-')), 'crashed');
    const { evaluator } = await pool({ workers: 2 }, { [FIXTURE_TASK]: { exitOnceMarker: marker } });
    const sink = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.01, 0.5, 0.02]), sink);
    expect(existsSync(marker)).toBe(true);
    expect(sink.records.map((r) => r.status)).toEqual(expect.arrayContaining(['ok', 'ok', 'ok']));
    expect(sink.records).toHaveLength(3);
    expect(sink.statuses.filter((s) => s.endsWith(':crashed'))).toHaveLength(1);
  });

  it('fails a request whose worker crashes twice with WORKER_CRASHED, replaces it, and finishes the rest', async () => {
    const { evaluator } = await pool({ workers: 2 }, { [FIXTURE_TASK]: { exitOnLr: 0.5 } });
    const sink = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.01, 0.5, 0.02, 0.03, 0.04]), sink);
    expect(sink.records).toHaveLength(5);
    const crashed = sink.records.find((r) => r.hash === 'genome-1');
    expect(crashed).toMatchObject({ status: 'failed', score: -1 });
    expect(crashed?.error?.code).toBe('WORKER_CRASHED');
    expect(crashed?.error?.message).toContain(FIXTURE_TASK);
    expect(sink.records.filter((r) => r.status === 'ok')).toHaveLength(4);
    expect(sink.statuses.filter((s) => s.endsWith(':crashed'))).toHaveLength(2);

    const after = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.01, 0.02]), after);
    expect(after.records.map((r) => r.status)).toEqual(['ok', 'ok']);
  });

  it('records a task that throws as failed, naming the plugin and the task', async () => {
    const { evaluator } = await pool({ workers: 1 }, { [FIXTURE_TASK]: { crashOnLr: 0.5 } });
    const sink = new RecordingSink();
    await evaluator.evaluate(requestsFor([0.5, 0.01]), sink);
    const failed = sink.records.find((r) => r.hash === 'genome-0');
    expect(failed?.status).toBe('failed');
    expect(failed?.error?.message).toContain('@evopt/fixtures');
    expect(failed?.error?.message).toContain(FIXTURE_TASK);
    expect(sink.records.find((r) => r.hash === 'genome-1')?.status).toBe('ok');
  });

  it('rejects with PLUGIN_LOAD_FAILED when a worker cannot load a plugin, without respawning', async () => {
    const context = await fixtureContext();
    const evaluator = new WorkerPoolEvaluator({ workers: 2 }, { ...context, pluginUrls: [FIXTURE_PLUGIN_URL, THROWING_PLUGIN_URL] });
    pools.push(evaluator);
    const sink = new RecordingSink();
    const run = evaluator.evaluate(requestsFor([0.01, 0.02]), sink);
    await expect(run).rejects.toSatisfy((error) => isEvoptError(error, 'PLUGIN_LOAD_FAILED'));
    await expect(run).rejects.toThrow(/throws-on-import\.js.*always fails to load/);
    expect(sink.records).toEqual([]);
    expect(sink.statuses.filter((s) => s.endsWith(':starting')).length).toBeLessThanOrEqual(2);
  });

  it('rejects with ABORTED when the signal aborts: busy requests get no record, and the pool closes', async () => {
    const { evaluator } = await pool({ workers: 2 }, { [FIXTURE_TASK]: { delayMs: 200 } });
    const controller = new AbortController();
    const sink = new RecordingSink();
    sink.onFinished = () => controller.abort();
    const run = evaluator.evaluate(requestsFor([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]), sink, controller.signal);
    await expect(run).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
    const recorded = sink.records.length;
    expect(recorded).toBeGreaterThanOrEqual(1);
    expect(recorded).toBeLessThan(6);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.records).toHaveLength(recorded);
    await evaluator.close();
    await evaluator.close();
    await expect(evaluator.evaluate(requestsFor([0.01]), sink)).rejects.toThrow(/is closed/);
  });

  it('rejects with the sink\'s error when the sink throws, instead of crashing the process', async () => {
    const { evaluator } = await pool({ workers: 1 });
    const sink = new RecordingSink();
    sink.onFinished = () => {
      throw new Error('journal is full');
    };
    await expect(evaluator.evaluate(requestsFor([0.01, 0.02]), sink)).rejects.toThrow('journal is full');
    expect(sink.records).toHaveLength(1);
  });

  it('rejects an evaluate that is already aborted, and one that overlaps another', async () => {
    const { evaluator } = await pool({ workers: 1 });
    await expect(evaluator.evaluate(requestsFor([0.01]), new RecordingSink(), AbortSignal.abort())).rejects.toSatisfy((e) => isEvoptError(e, 'ABORTED'));
    const first = evaluator.evaluate(requestsFor([0.01]), new RecordingSink());
    await expect(evaluator.evaluate(requestsFor([0.02]), new RecordingSink())).rejects.toThrow(/already evaluating/);
    await first;
  });

  it('sizes itself from os.availableParallelism() when workers is "auto"', async () => {
    const { availableParallelism } = await import('node:os');
    const { evaluator } = await pool({ workers: 'auto' });
    expect(evaluator.workers).toBe(availableParallelism());
    expect(evaluator.batchSize).toBe(1);
    await expect(pool({ workers: 0 })).rejects.toSatisfy((e) => isEvoptError(e, 'CONFIG_INVALID'));
    await expect(pool({ batchSize: 2.5 })).rejects.toThrow(/batchSize must be an integer/);
  });
});

describe('evaluationBatches', () => {
  const request = (task: string, hash: string, seedIndex: number) =>
    ({ task, hash, seedIndex, seed: seedIndex, steps: 1 }) as unknown as Parameters<typeof evaluationBatches>[0][number];

  it('keeps each task apart and puts requests of the same seed together, so a batch can train as one population', () => {
    const requests = [request('a', 'g1', 0), request('a', 'g1', 1), request('b', 'g1', 0), request('a', 'g2', 0), request('a', 'g2', 1)];
    const keys = evaluationBatches(requests, 2).map((batch) => batch.map((r) => `${r.task}:${r.hash}:${r.seedIndex}`));
    expect(keys).toEqual([['a:g1:0', 'a:g2:0'], ['a:g1:1', 'a:g2:1'], ['b:g1:0']]);
  });

  it('keeps the order of appearance with batches of one', () => {
    const requests = [request('a', 'g1', 1), request('a', 'g1', 0)];
    expect(evaluationBatches(requests, 1).map((batch) => batch[0]?.seedIndex)).toEqual([1, 0]);
  });
});
