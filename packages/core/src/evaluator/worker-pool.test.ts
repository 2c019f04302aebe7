import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvoptError } from '../errors.js';
import type { Options } from '../plugin/meta.js';
import {
  FIXTURE_TASK,
  RecordingSink,
  THROWING_PLUGIN_URL,
  FIXTURE_PLUGIN_URL,
  fixtureContext,
  requestsFor,
} from './__fixtures__/harness.js';
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
    expect(sink.statuses).toEqual(
      expect.arrayContaining([
        'thread-1:starting',
        'thread-2:starting',
        `${sink.records[0]?.worker}:busy`,
        `${sink.records[0]?.worker}:idle`,
      ]),
    );
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

  it("retries a request once after its worker crashed, and keeps the retry's result", async () => {
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
    const evaluator = new WorkerPoolEvaluator(
      { workers: 2 },
      { ...context, pluginUrls: [FIXTURE_PLUGIN_URL, THROWING_PLUGIN_URL] },
    );
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

  it("rejects with the sink's error when the sink throws, instead of crashing the process", async () => {
    const { evaluator } = await pool({ workers: 1 });
    const sink = new RecordingSink();
    sink.onFinished = () => {
      throw new Error('journal is full');
    };
    await expect(evaluator.evaluate(requestsFor([0.01, 0.02]), sink)).rejects.toThrow('journal is full');
    expect(sink.records).toHaveLength(1);
  });

  it('rejects an evaluate that is already aborted, and resolves one with no requests at once, even while another runs', async () => {
    const { evaluator } = await pool({ workers: 1 });
    await expect(evaluator.evaluate(requestsFor([0.01]), new RecordingSink(), AbortSignal.abort())).rejects.toSatisfy(
      (e) => isEvoptError(e, 'ABORTED'),
    );
    const first = evaluator.evaluate(requestsFor([0.01]), new RecordingSink());
    const empty = new RecordingSink();
    await evaluator.evaluate([], empty);
    expect(empty.statuses).toEqual([]);
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

/** Requests of one evaluate call, hashed `${name}-${i}` so that calls can be told apart. */
const callOf = (name: string, lrs: readonly number[]) => requestsFor(lrs, FIXTURE_TASK, 20, name);
const hashesOf = (sink: RecordingSink) => sink.records.map((r) => r.hash).sort();

describe('WorkerPoolEvaluator with overlapping calls', { timeout: 30_000 }, () => {
  it("reports each call's requests to that call's sink only, and resolves every call", async () => {
    const { evaluator } = await pool({ workers: 2 });
    expect(evaluator.concurrent).toBe(true);
    const lrs = [[0.01], [0.02, 0.03], [0.04, 0.05, 0.06], [0.07], [0.08, 0.09, 0.1, 0.11, 0.12, 0.13]];
    const sinks = lrs.map(() => new RecordingSink());
    await Promise.all(lrs.map((l, c) => evaluator.evaluate(callOf(`call${c}`, l), sinks[c] as RecordingSink)));
    sinks.forEach((sink, c) => {
      const own = (lrs[c] ?? []).map((_, i) => `call${c}-${i}`);
      expect(hashesOf(sink)).toEqual(own);
      expect(sink.startedKeys.map((key) => key.split('@')[0]).sort()).toEqual(own);
      expect(sink.progressed.length).toBeGreaterThanOrEqual(own.length);
    });
  });

  it('hands out work in the order the calls arrived', async () => {
    const { evaluator } = await pool({ workers: 1 });
    const order: string[] = [];
    const run = (name: string, lrs: number[]) => {
      const sink = new RecordingSink();
      sink.onFinished = (record) => order.push(record.hash);
      return evaluator.evaluate(callOf(name, lrs), sink);
    };
    await Promise.all([run('a', [0.01, 0.02]), run('b', [0.03]), run('c', [0.04, 0.05])]);
    expect(order).toEqual(['a-0', 'a-1', 'b-0', 'c-0', 'c-1']);
  });

  it('resolves a short call started after a long one first, when a worker is free for it', async () => {
    // Two batches of 4 × 100 ms for the long call, one of 100 ms for the short one, on 3 workers.
    const { evaluator } = await pool({ workers: 3, batchSize: 4 }, { [FIXTURE_TASK]: { delayMs: 100 } });
    // Start all three first, so that thread start-up times do not decide the race.
    const warm = new RecordingSink();
    await evaluator.evaluate(callOf('warm', [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09]), warm);
    await expect.poll(() => warm.statuses.filter((s) => s.endsWith(':ready')).length, { timeout: 20_000 }).toBe(3);
    const resolved: string[] = [];
    const long = new RecordingSink();
    const short = new RecordingSink();
    const runs = [
      evaluator
        .evaluate(callOf('long', [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08]), long)
        .then(() => resolved.push('long')),
      evaluator
        .evaluate(callOf('short', [0.09]), short)
        .then(() => resolved.push(`short, with the long call at ${long.records.length}/8`)),
    ];
    await Promise.all(runs);
    expect(resolved).toEqual(['short, with the long call at 0/8', 'long']);
    expect(hashesOf(short)).toEqual(['short-0']);
    expect(long.records).toHaveLength(8);
  });

  it('aborting one call rejects it with ABORTED; the other call finishes with all its records', async () => {
    const { evaluator } = await pool({ workers: 2 }, { [FIXTURE_TASK]: { delayMs: 100 } });
    const controller = new AbortController();
    const aborted = new RecordingSink();
    aborted.onFinished = () => controller.abort();
    const other = new RecordingSink();
    const first = evaluator.evaluate(callOf('a', [0.01, 0.02, 0.03, 0.04]), aborted, controller.signal);
    const second = evaluator.evaluate(callOf('b', [0.05, 0.06, 0.07, 0.08]), other);
    await expect(first).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
    const recorded = aborted.records.length;
    expect(recorded).toBeGreaterThanOrEqual(1);
    expect(recorded).toBeLessThan(4);
    await second;
    expect(hashesOf(other)).toEqual(['b-0', 'b-1', 'b-2', 'b-3']);
    expect(other.records.every((r) => r.status === 'ok')).toBe(true);
    expect(other.statuses.filter((s) => s.endsWith(':stopped'))).toEqual([]);
    expect(aborted.records).toHaveLength(recorded);
  });

  it('retries and then fails a crashing request within its own call; the other call never sees the crash', async () => {
    const { evaluator } = await pool({ workers: 2 }, { [FIXTURE_TASK]: { exitOnLr: 0.5 } });
    const crashing = new RecordingSink();
    const healthy = new RecordingSink();
    await Promise.all([
      evaluator.evaluate(callOf('a', [0.01, 0.5]), crashing),
      evaluator.evaluate(callOf('b', [0.02, 0.03, 0.04]), healthy),
    ]);
    expect(crashing.records.find((r) => r.hash === 'a-1')?.error?.code).toBe('WORKER_CRASHED');
    expect(crashing.records.find((r) => r.hash === 'a-0')?.status).toBe('ok');
    expect(crashing.statuses.filter((s) => s.endsWith(':crashed'))).toHaveLength(2);
    expect(hashesOf(healthy)).toEqual(['b-0', 'b-1', 'b-2']);
    expect(healthy.records.every((r) => r.status === 'ok')).toBe(true);
    expect(healthy.statuses.filter((s) => s.endsWith(':crashed'))).toEqual([]);
  });

  it('ends only the call whose sink throws', async () => {
    const { evaluator } = await pool({ workers: 1 });
    const throwing = new RecordingSink();
    throwing.onFinished = () => {
      throw new Error('journal is full');
    };
    const other = new RecordingSink();
    const first = evaluator.evaluate(callOf('a', [0.01, 0.02]), throwing);
    const second = evaluator.evaluate(callOf('b', [0.03, 0.04]), other);
    await expect(first).rejects.toThrow('journal is full');
    await second;
    expect(throwing.records).toHaveLength(1);
    expect(hashesOf(other)).toEqual(['b-0', 'b-1']);
  });

  it('rejects every call with the load error when a worker cannot load a plugin', async () => {
    const context = await fixtureContext();
    const evaluator = new WorkerPoolEvaluator(
      { workers: 2 },
      { ...context, pluginUrls: [FIXTURE_PLUGIN_URL, THROWING_PLUGIN_URL] },
    );
    pools.push(evaluator);
    const runs = [
      evaluator.evaluate(callOf('a', [0.01]), new RecordingSink()),
      evaluator.evaluate(callOf('b', [0.02]), new RecordingSink()),
    ];
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status === 'rejected' && isEvoptError(s.reason, 'PLUGIN_LOAD_FAILED'))).toEqual([
      true,
      true,
    ]);
  });

  it('rejects every call with ABORTED on close()', async () => {
    const { evaluator } = await pool({ workers: 2 }, { [FIXTURE_TASK]: { delayMs: 200 } });
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    const runs = sinks.map((sink, c) => evaluator.evaluate(callOf(`call${c}`, [0.01, 0.02]), sink));
    await expect.poll(() => sinks[0]?.startedKeys.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const settled = Promise.allSettled(runs);
    await evaluator.close();
    expect((await settled).map((s) => s.status === 'rejected' && isEvoptError(s.reason, 'ABORTED'))).toEqual([
      true,
      true,
      true,
    ]);
    expect(sinks.every((sink) => sink.records.length === 0)).toBe(true);
  });
});

describe('evaluationBatches', () => {
  const request = (task: string, hash: string, seedIndex: number) =>
    ({ task, hash, seedIndex, seed: seedIndex, steps: 1 }) as unknown as Parameters<
      typeof evaluationBatches
    >[0][number];

  it('keeps each task apart and puts requests of the same seed together, so a batch can train as one population', () => {
    const requests = [
      request('a', 'g1', 0),
      request('a', 'g1', 1),
      request('b', 'g1', 0),
      request('a', 'g2', 0),
      request('a', 'g2', 1),
    ];
    const keys = evaluationBatches(requests, 2).map((batch) => batch.map((r) => `${r.task}:${r.hash}:${r.seedIndex}`));
    expect(keys).toEqual([['a:g1:0', 'a:g2:0'], ['a:g1:1', 'a:g2:1'], ['b:g1:0']]);
  });

  it('keeps the order of appearance with batches of one', () => {
    const requests = [request('a', 'g1', 1), request('a', 'g1', 0)];
    expect(evaluationBatches(requests, 1).map((batch) => batch[0]?.seedIndex)).toEqual([1, 0]);
  });
});
