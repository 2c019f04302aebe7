import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { InlineEvaluator, isEvoptError } from '@evopt/core';
import { parseQueueUrl } from './connection.js';
import {
  fleet as startFleet,
  POISON_TASK,
  requests,
  setUp,
  Sink,
  SPIN_TASK,
  TASK,
  type FleetOptions,
  type Setup,
} from './__fixtures__/fleet.js';
import type { QueueEvaluatorOptions } from './evaluator.js';
import type { QueueVersions } from './versions.js';
import { hasRedis } from './__fixtures__/redis.js';

let setup: Setup;

beforeAll(async () => {
  setup = await setUp();
});

afterAll(async () => {
  await setup?.redis.stop();
});

function fleet(workers: number, evaluator: Partial<QueueEvaluatorOptions> = {}, versions?: QueueVersions) {
  const options: FleetOptions = { evaluator, ...(versions && { versions }) };
  return startFleet(setup, workers, options);
}

describe.skipIf(!hasRedis)('the queue evaluator with real Redis and workers', () => {
  it('gives the same records as the inline evaluator, finishing each request once', async () => {
    const { evaluator, close } = await fleet(2);
    const batch = requests(TASK, ['a', 'b', 'c', 'd']);
    const remote = new Sink();
    const local = new Sink();
    try {
      await evaluator.evaluate(batch, remote);
      await new InlineEvaluator(setup.context).evaluate(batch, local);
      expect(remote.comparable()).toEqual(local.comparable());
      expect(remote.records.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
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
    const queue = new Queue(queueName, { connection: parseQueueUrl(setup.redis.url).options });
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
      expect(
        sink.records
          .filter((r) => r.status === 'ok')
          .map((r) => r.hash)
          .sort(),
      ).toEqual(['fine-1', 'fine-2']);
      expect(setup.logs.filter((l) => /failed \(attempt 1\): .*poisoned genome/.test(l)).length).toBeGreaterThanOrEqual(
        1,
      );
    } finally {
      await close();
    }
  });

  it('trains off the main thread, so a job that blocks for longer than its lock still runs once', async () => {
    // Locks of 400 ms, checked every 200 ms: a worker whose event loop blocked for the 1.5 s the task spins
    // could not renew its lock, and the other worker would take the job too.
    const { evaluator, close } = await startFleet(setup, 2, {
      worker: { lockDurationMs: 400, stalledIntervalMs: 200 },
    });
    const sink = new Sink();
    try {
      await evaluator.evaluate(requests(SPIN_TASK, ['spin'], 1500), sink);
      expect(sink.records.map((r) => [r.hash, r.status])).toEqual([['spin', 'ok']]);
      expect(sink.startedCalls).toBe(1);
      expect(setup.logs.filter((l) => /stalled|lock/i.test(l))).toEqual([]);
      expect(new Set(sink.progressed.filter((p) => p.step === 0).map((p) => p.worker)).size).toBe(1);
    } finally {
      await close();
    }
  });

  it('runs `concurrency` jobs at once in one worker process, each in its own thread', async () => {
    const { evaluator, close } = await startFleet(setup, 1, {
      concurrency: 2,
      taskOptions: { [TASK]: { delayMs: 40, delayPer: 'step' } },
    });
    const sink = new Sink();
    try {
      await evaluator.evaluate(requests(TASK, ['x', 'y']), sink);
      expect(sink.records.map((r) => [r.status, r.worker])).toEqual([
        ['ok', 'w0'],
        ['ok', 'w0'],
      ]);
      // Both were training (past step 0) before either finished.
      const first = sink.timeline.findIndex((e) => e.startsWith('finished'));
      for (const hash of ['x', 'y'])
        expect(
          sink.timeline.slice(0, first).some((e) => new RegExp(`^progress ${hash} [1-9]`).test(e)),
          sink.timeline.join('\n'),
        ).toBe(true);
    } finally {
      await close();
    }
  });

  it('refuses a job from other versions, naming both, and the run stops instead of mixing results', async () => {
    const { evaluator, close } = await fleet(1, {}, { ...setup.versions, evopt: '9.9.9' });
    try {
      const run = evaluator.evaluate(requests(TASK, ['a']), new Sink());
      await expect(run).rejects.toThrow(
        new RegExp(`evopt ${setup.versions.evopt.replace(/\./g, '\\.')} \\(job\\) vs 9\\.9\\.9 \\(worker\\)`),
      );
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
    expect(setup.logs.join('\n')).not.toContain('t0p-secret');
  });
});
