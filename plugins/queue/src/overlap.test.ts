// Overlapping evaluate calls (the steady-state GA keeps several genomes in flight) and pausing, against real Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents } from 'bullmq';
import { InlineEvaluator, isEvoptError, type EvaluationRequest } from '@evopt/core';
import { parseQueueUrl } from './connection.js';
import { QueueEvaluator, REDIS_WORKER } from './evaluator.js';
import { startLocalRedis } from './local-redis.js';
import { fleet, requests, setUp, Sink, TASK, until, type Setup } from './__fixtures__/fleet.js';
import { hasRedis } from './__fixtures__/redis.js';

let setup: Setup;

beforeAll(async () => {
  setup = await setUp();
});

afterAll(async () => {
  await setup?.redis.stop();
});

async function inline(batch: readonly EvaluationRequest[]): Promise<unknown[]> {
  const sink = new Sink();
  await new InlineEvaluator(setup.context).evaluate(batch, sink);
  return sink.comparable();
}

function jobs(queueName: string, url = setup.redis.url): Queue {
  return new Queue(queueName, { connection: parseQueueUrl(url).options });
}

describe.skipIf(!hasRedis)('overlapping evaluate calls', () => {
  it('serves each call to its own sink, and a request two calls share to both', async () => {
    // Two jobs at once per worker process, each in its own thread.
    const { evaluator, queueName, close } = await fleet(setup, 2, { concurrency: 2 });
    const all = requests(TASK, ['g0', 'g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'shared']);
    const shared = all[8] as EvaluationRequest;
    const batches = all.slice(0, 8).map((request, i) => (i < 2 ? [request, shared] : [request]));
    const sinks = batches.map(() => new Sink());
    const queue = jobs(queueName);
    try {
      expect(evaluator.concurrent).toBe(true);
      await Promise.all(batches.map((batch, i) => evaluator.evaluate(batch, sinks[i] as Sink)));
      for (const [i, batch] of batches.entries()) expect((sinks[i] as Sink).comparable()).toEqual(await inline(batch));
      expect(new Set(sinks.flatMap((sink) => sink.records.map((r) => r.status)))).toEqual(new Set(['ok']));
      expect(await queue.getJobCountByTypes('completed', 'failed', 'wait', 'active', 'delayed')).toBe(9);
    } finally {
      await queue.close();
      await close();
    }
  });

  it('stops only the calls whose signal aborts, with one listener however many calls share a signal', async () => {
    const { evaluator, addWorker, close } = await fleet(setup, 0);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    const stop = new AbortController();
    const stopped = Array.from({ length: 12 }, (_, i) =>
      evaluator.evaluate(requests(TASK, [`stop-${i}`]), new Sink(), stop.signal),
    );
    const kept = new Sink();
    const keep = evaluator.evaluate(requests(TASK, ['keep']), kept, new AbortController().signal);
    try {
      await new Promise((r) => setTimeout(r, 300));
      stop.abort();
      for (const run of stopped) await expect(run).rejects.toSatisfy((error) => isEvoptError(error, 'ABORTED'));
      await addWorker();
      await keep;
      expect(kept.records.map((r) => r.hash)).toEqual(['keep']);
      expect(warnings.filter((w) => /listener/i.test(w))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await close();
    }
  });

  it('reports a Redis outage once, to the newest call, and its end once', async () => {
    const aof = await startLocalRedis({ aof: true });
    const { evaluator, queueName, addWorker, close } = await fleet(setup, 0, { url: aof.url });
    const older = new Sink();
    const newer = new Sink();
    const queue = jobs(queueName, aof.url);
    try {
      const runs = [evaluator.evaluate(requests(TASK, ['o']), older), evaluator.evaluate(requests(TASK, ['n']), newer)];
      await until(async () => (await queue.getJobCountByTypes('wait')) === 2);
      await aof.restart(500);
      const redisStatuses = () => [...older.statuses, ...newer.statuses].filter((s) => s.worker === REDIS_WORKER);
      await until(() => redisStatuses().some((s) => s.status === 'ready'));
      await addWorker();
      await Promise.all(runs);
      expect(redisStatuses().map((s) => s.status)).toEqual(['stopped', 'ready']);
      expect(newer.statuses.filter((s) => s.worker === REDIS_WORKER)).toHaveLength(2);
      expect(newer.statuses.find((s) => s.status === 'ready')?.detail).toMatch(/is back after [\d.]+s/);
      expect([...older.records, ...newer.records].map((r) => r.hash).sort()).toEqual(['n', 'o']);
    } finally {
      await queue.close();
      await close();
      await aof.stop();
    }
  });
});

describe.skipIf(!hasRedis)('pausing a queue run', () => {
  it('holds back jobs while paused and adds them on resume; another run on the same queue goes on', async () => {
    const { evaluator, queueName, close } = await fleet(setup, 1);
    const other = new QueueEvaluator(
      { url: setup.redis.url, queueName, attempts: 3, backoffMs: 10, keepSeconds: 3600, connectTimeoutMs: 5000 },
      setup.context,
    );
    const queue = jobs(queueName);
    const sink = new Sink();
    try {
      evaluator.setPaused(true);
      const run = evaluator.evaluate(requests(TASK, ['a', 'b', 'c']), sink);
      const otherSink = new Sink();
      await other.evaluate(requests(TASK, ['other']), otherSink);
      expect(otherSink.records).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.records).toEqual([]);
      expect(await queue.getJobCountByTypes('completed', 'failed', 'wait', 'active', 'delayed')).toBe(1);
      evaluator.setPaused(false);
      await run;
      expect(sink.records.map((r) => r.hash).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      await other.close();
      await queue.close();
      await close();
    }
  });

  it('does not hold up another run that waits for the same job', async () => {
    const { evaluator, queueName, addWorker, close } = await fleet(setup, 0);
    const other = new QueueEvaluator(
      { url: setup.redis.url, queueName, attempts: 3, backoffMs: 10, keepSeconds: 3600, connectTimeoutMs: 5000 },
      setup.context,
    );
    const queue = jobs(queueName);
    const [mine, theirs] = [new Sink(), new Sink()];
    const events = new QueueEvents(queueName, { connection: parseQueueUrl(setup.redis.url).options });
    let removals = 0;
    events.on('removed', () => void removals++);
    try {
      await events.waitUntilReady();
      const runs = [
        evaluator.evaluate(requests(TASK, ['same']), mine),
        other.evaluate(requests(TASK, ['same']), theirs),
      ];
      await until(async () => (await queue.getJobCountByTypes('wait')) === 1);
      evaluator.setPaused(true);
      // Removed by the paused run, added again by the other: then it stays.
      await new Promise((r) => setTimeout(r, 2500));
      expect(removals).toBe(1);
      expect(await queue.getJobCountByTypes('wait')).toBe(1);
      await addWorker();
      await Promise.all(runs);
      // The result counts for both: a finished evaluation is reported even while paused.
      expect(theirs.records.map((r) => r.hash)).toEqual(['same']);
      expect(mine.records.map((r) => r.hash)).toEqual(['same']);
      evaluator.setPaused(false);
    } finally {
      await events.close();
      await other.close();
      await queue.close();
      await close();
    }
  });

  it('takes its waiting jobs out of Redis, lets the running one finish and report, and re-adds the rest on resume', async () => {
    const { evaluator, queueName, close } = await fleet(setup, 1, { taskOptions: { [TASK]: { delayMs: 400 } } });
    const queue = jobs(queueName);
    const sink = new Sink();
    const batch = requests(TASK, ['a', 'b', 'c', 'd']);
    try {
      const run = evaluator.evaluate(batch, sink);
      await until(() => sink.startedCalls >= 1);
      evaluator.setPaused(true);
      await until(async () => (await queue.getJobCountByTypes('wait')) === 0);
      // Whatever had started (a worker may have taken a second job just before its removal) finishes and is reported.
      await until(
        async () => (await queue.getJobCountByTypes('active')) === 0 && sink.records.length === sink.startedCalls,
      );
      await new Promise((r) => setTimeout(r, 800));
      const whilePaused = sink.records.length;
      expect(whilePaused).toBeGreaterThanOrEqual(1);
      expect(whilePaused).toBeLessThan(4);
      expect(sink.startedCalls).toBe(whilePaused);
      expect(await queue.getJobCountByTypes('wait', 'active', 'delayed')).toBe(0);
      evaluator.setPaused(false);
      await run;
      expect(sink.records.map((r) => r.hash).sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(sink.records.every((r) => r.status === 'ok')).toBe(true);
      expect(sink.startedCalls).toBe(4);
      expect(await queue.getJobCountByTypes('completed')).toBe(4);
    } finally {
      await queue.close();
      await close();
    }
  });
});
