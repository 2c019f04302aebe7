import { describe, expect, it } from 'vitest';
import { FIXTURE_TASK, fixtureContext, requestsFor } from './__fixtures__/harness.js';
import { TaskHost } from './task-host.js';

describe('TaskHost', () => {
  it('turns outcomes into records with the request key, seed, duration and worker', async () => {
    const host = new TaskHost(await fixtureContext());
    const [request] = requestsFor([0.01]);
    const [record] = await host.evaluate(requestsFor([0.01]), 'here');
    expect(record).toMatchObject({
      hash: request?.hash,
      task: FIXTURE_TASK,
      seedIndex: 0,
      steps: 20,
      seed: request?.seed,
      status: 'ok',
      stepsCompleted: 20,
      worker: 'here',
    });
    expect(record?.score).toBeGreaterThan(0);
    expect(record?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('creates each task once and reuses it for later batches', async () => {
    const context = await fixtureContext();
    const host = new TaskHost(context);
    await host.evaluate(requestsFor([0.01, 0.02]), 'here');
    await host.evaluate(requestsFor([0.03]), 'here');
    expect(context.logs.filter((line) => line.endsWith('prepared'))).toEqual([`[${FIXTURE_TASK}] prepared`]);
  });

  it('reports started and progress per request of the batch', async () => {
    const host = new TaskHost(await fixtureContext());
    const started: string[] = [];
    const progressed: string[] = [];
    await host.evaluate(requestsFor([0.01, 0.02]), 'here', {
      started: (r) => started.push(r.hash),
      progress: (r) => progressed.push(r.hash),
    });
    expect(started).toEqual(['genome-0', 'genome-1']);
    expect(progressed).toEqual(['genome-0', 'genome-1']);
  });

  it('turns a task that throws into failed records naming the plugin and the task', async () => {
    const host = new TaskHost(await fixtureContext({ [FIXTURE_TASK]: { crashOnLr: 0.5 } }));
    const records = await host.evaluate(requestsFor([0.5]), 'here');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'failed', score: -1, stepsCompleted: 0 });
    expect(records[0]?.error?.code).toBe('PLUGIN_RUNTIME');
    expect(records[0]?.error?.message).toContain('@evopt/fixtures');
    expect(records[0]?.error?.message).toContain(FIXTURE_TASK);
    expect(records[0]?.error?.message).toContain('poison genome');
  });

  it('fails the batch when a task returns the wrong number of outcomes', async () => {
    const host = new TaskHost(await fixtureContext({ [FIXTURE_TASK]: { outcomesShort: true } }));
    const records = await host.evaluate(requestsFor([0.01, 0.02]), 'here');
    expect(records.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(records[0]?.error?.message).toMatch(/Plugin "@evopt\/fixtures".*returned 1 outcomes for 2 genomes/);
  });

  it("fails requests for an unknown task with the registry's message", async () => {
    const host = new TaskHost(await fixtureContext());
    const [record] = await host.evaluate(requestsFor([0.01], 'nope/missing'), 'here');
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('REGISTRY_UNKNOWN');
    expect(record?.error?.message).toContain(FIXTURE_TASK);
  });

  it('refuses a batch that mixes tasks', async () => {
    const host = new TaskHost(await fixtureContext());
    await expect(host.evaluate([...requestsFor([0.01]), ...requestsFor([0.01], 'other/task')], 'here')).rejects.toThrow(
      /mixes tasks/,
    );
  });
});
