// Distributed evaluation end to end: a real redis-server, real `evopt worker` processes, the built binary.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { evaluationKeyString } from '@evopt/core';
import { parseQueueUrl } from '@evopt/plugin-queue';
import { REDIS_TOOL, redisServerCommand, startLocalRedis, type LocalRedis } from '@evopt/plugin-queue/local-redis';
import { commandRuns, probeTool } from '@evopt/testing';
import { events, onlyRun, outcome, project, runCli, startCli, SMOKE, until, type CliResult } from './cli.js';

// Without a redis-server these tests are skipped, visibly; EVOPT_REQUIRE_REDIS=1 (CI) makes that a failure.
const hasRedis = probeTool({ ...REDIS_TOOL, found: commandRuns(redisServerCommand(), ['--version']) });
const PASSWORD = 'e2e-hunter2-secret';
// Short locks so a killed worker's job moves on within seconds.
const FAST_STALLS = ['--lock-duration', '1500', '--stalled-interval', '500'];

let redis: LocalRedis;

/** `count` workers on `queueName`, each logging to its own stderr; stop() ends them gracefully. */
function workers(
  cwd: string,
  queueName: string,
  count: number,
  url = redis.url,
  stalls: readonly string[] = FAST_STALLS,
) {
  const started = Array.from({ length: count }, () =>
    startCli(['worker', '--queue', url, '--queue-name', queueName, ...stalls], cwd),
  );
  return {
    started,
    stop: async (): Promise<CliResult[]> => {
      for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return Promise.all(started.map((w) => w.done));
    },
  };
}

function queueUrlOption(queueName: string, url = redis.url) {
  return {
    plugins: ['@evopt/plugin-queue'],
    evaluation: { evaluator: { id: 'queue', options: { url, queueName, backoffMs: 50 } } },
  };
}

/** Every finished evaluation in the journal, keyed; duplicates would show as repeated keys. */
function finishedKeys(runDir: string): string[] {
  return events(runDir).flatMap((e) => (e.type === 'evaluation-finished' ? [evaluationKeyString(e.record)] : []));
}

beforeAll(async () => {
  redis = await startLocalRedis({ password: PASSWORD });
});

afterAll(async () => {
  await redis?.stop();
});

// A task that throws for genomes whose hash starts with '0' or '1' (a few per run) and scores the rest.
const POISON_PLUGIN = `export default { name: 'evopt-plugin-poison', apiVersion: '1.0', version: '1.0.0', tasks: [{ id: 'poison/lr',
  meta: { summary: 'throws for some genomes' },
  create() { return { async evaluate(items) { return items.map((item) => {
    if (/^[01]/.test(item.hash)) throw new Error('poisoned genome ' + item.hash);
    return { status: 'ok', score: 1 / (1 + Math.abs(Math.log10(item.genome.lr) + 2)), metrics: {}, stepsCompleted: item.steps };
  }); } }; } }] };
`;

// A plugin that only adds a task; its version comes from the package.json beside it, as for an installed package.
const EXTRA_PLUGIN = `export default { name: 'evopt-plugin-extra', apiVersion: '1.0', tasks: [{ id: 'extra/lr',
  meta: { summary: 'scores the learning rate' },
  create() { return { async evaluate(items) { return items.map((item) => ({ status: 'ok', score: 1 / (1 + item.genome.lr), metrics: {}, stepsCompleted: item.steps })); } }; } }] };
`;

/** Installs evopt-plugin-extra at `version` in the project `cwd`, under ./extra. */
function installExtraPlugin(cwd: string, version: string): void {
  mkdirSync(join(cwd, 'extra'));
  writeFileSync(
    join(cwd, 'extra', 'package.json'),
    JSON.stringify({ name: 'evopt-plugin-extra', version, type: 'module', main: 'index.mjs' }),
  );
  writeFileSync(join(cwd, 'extra', 'index.mjs'), EXTRA_PLUGIN);
}

describe.skipIf(!hasRedis)('evopt evolve --queue with evopt worker processes', () => {
  it('stops the run with the refusal when a worker has another version of a plugin, and the worker says why', async () => {
    const config = { ...SMOKE, plugins: ['./extra/index.mjs'] };
    const orchestrator = project(config);
    installExtraPlugin(orchestrator, '1.0.0');
    const elsewhere = project(config); // the worker's machine, with another release of the plugin
    installExtraPlugin(elsewhere, '2.0.0');
    const queue = new Queue('evopt', { connection: parseQueueUrl(redis.url).options }); // --queue uses the default queue name
    try {
      const fleet = workers(elsewhere, 'evopt', 1);
      const run = await runCli(['evolve', '--progress', 'plain', '--queue', redis.url], orchestrator);
      const [worker] = await fleet.stop();
      expect(run.code, run.stderr).not.toBe(0);
      expect(run.code).not.toBeNull();
      expect(run.stderr).toMatch(
        /refused a job: worker \S+ runs other versions than the job needs: evopt-plugin-extra 1\.0\.0 \(job\) vs 2\.0\.0 \(worker\)/,
      );
      expect(worker?.stderr).toMatch(
        /refused job evopt-[0-9a-f]+: evopt-plugin-extra 1\.0\.0 \(job\) vs 2\.0\.0 \(worker\)/,
      );
      expect(run.stdout + run.stderr + (worker?.stderr ?? '')).not.toContain(PASSWORD);
    } finally {
      // The jobs the refusal left waiting must not reach the next tests' workers.
      await queue.drain();
      await queue.close();
    }
  });

  it('ends with the same population and best genome as a local run of the same seed, with workers that have no config, and never shows the password', async () => {
    const local = project(SMOKE);
    expect((await runCli(['evolve', '--progress', 'plain'], local)).code).toBe(0);

    const remote = project(SMOKE);
    // As docs/DISTRIBUTED.md starts a new user: workers with no config, so only the built-in plugins; the smoke
    // task's plugin, which those lack, loads on demand from evopt's install, where it has the run's version.
    const bare = mkdtempSync(join(tmpdir(), 'evopt-e2e-worker-'));
    const fleet = workers(bare, 'evopt', 3); // --queue uses the default queue name
    const run = await runCli(['evolve', '--progress', 'plain', '--queue', redis.url], remote);
    const workerResults = await fleet.stop();
    expect(run.code, run.stderr).toBe(0);
    const runDir = onlyRun(remote);
    expect(outcome(runDir)).toEqual(outcome(onlyRun(local)));
    const configJson = readFileSync(join(runDir, 'config.json'), 'utf8');
    expect(configJson).toContain('redis://:***@127.0.0.1');
    for (const text of [configJson, run.stdout, run.stderr, ...workerResults.flatMap((w) => [w.stdout, w.stderr])])
      expect(text).not.toContain(PASSWORD);
    const served = workerResults.map((w) => (w.stderr.match(/^job /gm) ?? []).length);
    expect(served.reduce((a, b) => a + b, 0)).toBe(new Set(finishedKeys(runDir)).size);
    expect(workerResults.map((w) => w.stderr).join('\n')).toMatch(/takes jobs from redis:\/\/:\*\*\*@127\.0\.0\.1/);
    expect(workerResults.map((w) => w.stderr).join('\n')).toMatch(/^plugin \S+@\S+ loaded on demand from \//m);
    // The run cannot know its fleet: the header names the evaluator, not a made-up count of workers.
    expect(run.stdout).toMatch(/^evopt run \S+ · .* · queue$/m);
  });

  it('runs the steady-state GA on a fleet: the whole budget, each evaluation once, every worker used', async () => {
    // evaluation.queue: the config's shorthand for the plugin and the 'queue' evaluator (whose other options stay).
    const evaluation = {
      queue: redis.url,
      evaluator: { id: 'queue', options: { queueName: 'steady', backoffMs: 50 } },
    };
    const cwd = project({
      ...SMOKE,
      ga: { mode: 'steady-state', inFlight: 3 },
      tasks: [{ id: 'testing/quadratic', options: { delayMs: 20 } }],
      evaluation,
    });
    const fleet = workers(cwd, 'steady', 3);
    const run = await runCli(['evolve', '--progress', 'plain'], cwd);
    const workerResults = await fleet.stop();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\(steady-state\)/);
    const runDir = onlyRun(cwd);
    // smoke: 8 genomes, then 2 × (8 − 2) children.
    expect(events(runDir).filter((e) => e.type === 'genome-told')).toHaveLength(20);
    const keys = finishedKeys(runDir);
    expect(keys.length).toBe(new Set(keys).size);
    expect(workerResults.every((w) => /^job /m.test(w.stderr))).toBe(true);
  });

  it('finishes with no evaluation lost or duplicated when a worker is SIGKILLed mid-job', async () => {
    const config = { ...SMOKE, tasks: [{ id: 'testing/quadratic', options: { delayMs: 100 } }] };
    const local = project(config);
    expect((await runCli(['evolve', '--progress', 'plain'], local)).code).toBe(0);

    const remote = project({ ...config, ...queueUrlOption('kill') });
    const fleet = workers(remote, 'kill', 2);
    const victim = fleet.started[0] as ReturnType<typeof startCli>;
    const run = startCli(['evolve', '--progress', 'plain'], remote);
    let victimLog = '';
    victim.child.stderr?.on('data', (d: Buffer) => (victimLog += d.toString()));
    // Kill it while it holds a job: after it finished one, it is straight back on the next.
    await until(() => /^job /m.test(victimLog), 60_000);
    victim.child.kill('SIGKILL');
    const result = await run.done;
    await fleet.stop();
    expect(result.code, result.stderr).toBe(0);
    const keys = finishedKeys(onlyRun(remote));
    expect(keys.length).toBe(new Set(keys).size);
    expect(keys.sort()).toEqual(finishedKeys(onlyRun(local)).sort());
    expect(outcome(onlyRun(remote))).toEqual(outcome(onlyRun(local)));
  });

  it('fails a poison genome after its bounded attempts, and the run goes on', async () => {
    const cwd = project({
      ...SMOKE,
      plugins: ['./poison.mjs', '@evopt/plugin-queue'],
      tasks: [{ id: 'poison/lr' }],
      evaluation: {
        evaluator: { id: 'queue', options: { url: redis.url, queueName: 'poison', attempts: 2, backoffMs: 50 } },
      },
    });
    writeFileSync(join(cwd, 'poison.mjs'), POISON_PLUGIN);
    const fleet = workers(cwd, 'poison', 2);
    const result = await runCli(['evolve', '--progress', 'plain'], cwd);
    const workerResults = await fleet.stop();
    expect(result.code, result.stderr).toBe(0);
    const records = events(onlyRun(cwd)).flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
    const failed = records.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(records.some((r) => r.status === 'ok')).toBe(true);
    for (const record of failed) expect(record.error?.message).toMatch(/evopt-plugin-poison.*poisoned genome/);
    // Each failed genome was tried twice (attempts: 2), then recorded once.
    const log = workerResults.map((w) => w.stderr).join('\n');
    for (const record of failed)
      expect(log).toMatch(new RegExp(`failed \\(attempt 1\\): .*poisoned genome ${record.hash}`));
    const failedKeys = failed.map((r) => evaluationKeyString(r));
    expect(failedKeys.length).toBe(new Set(failedKeys).size);
  });

  it('re-attaches to its jobs when a SIGKILLed orchestrator is resumed, and ends like a local run', async () => {
    const config = { ...SMOKE, tasks: [{ id: 'testing/quadratic', options: { delayMs: 100 } }] };
    const local = project(config);
    expect((await runCli(['evolve', '--progress', 'plain'], local)).code).toBe(0);

    const queue = new Queue('evopt', { connection: parseQueueUrl(redis.url).options }); // --queue uses the default queue name
    try {
      const before = new Set(await jobIds(queue));
      const remote = project(config);
      const fleet = workers(remote, 'evopt', 2);
      const run = startCli(['evolve', '--progress', 'plain', '--queue', redis.url], remote);
      let out = '';
      run.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      // Mid-generation: the second generation's jobs are enqueued, and some are running.
      await until(() => /^generation 2\/\d+: \d+ evaluations/m.test(out), 60_000);
      await new Promise((r) => setTimeout(r, 300));
      run.child.kill('SIGKILL');
      await run.done;
      const runDir = onlyRun(remote);
      const enqueued = await jobTimes(queue, before);
      expect(enqueued.size).toBeGreaterThan(0);
      const journaledBeforeResume = new Set(finishedKeys(runDir)).size;

      process.env['EVOPT_QUEUE_PASSWORD'] = PASSWORD; // config.json keeps the URL as redis://:***@…
      const resumed = await runCli(['resume', runDir, '--progress', 'plain'], remote).finally(
        () => delete process.env['EVOPT_QUEUE_PASSWORD'],
      );
      const workerResults = await fleet.stop();
      expect(resumed.code, resumed.stderr).toBe(0);

      const keys = finishedKeys(runDir);
      expect(keys.length).toBe(new Set(keys).size);
      expect(keys.length).toBeGreaterThan(journaledBeforeResume);
      expect(outcome(runDir)).toEqual(outcome(onlyRun(local)));
      // The jobs enqueued before the kill are the same jobs afterwards (same creation time), one job per evaluation, each run once.
      const after = await jobTimes(queue, before);
      for (const [id, time] of enqueued) expect(after.get(id), id).toBe(time);
      expect(after.size).toBe(keys.length);
      const served = workerResults.map((w) => (w.stderr.match(/^job /gm) ?? []).length);
      expect(served.reduce((a, b) => a + b, 0)).toBe(keys.length);
      for (const text of [resumed.stdout, resumed.stderr]) expect(text).not.toContain(PASSWORD);
    } finally {
      await queue.close();
    }
  });

  it('waits while Redis restarts (AOF) mid-run, says so, and ends like a local run', async () => {
    const config = { ...SMOKE, tasks: [{ id: 'testing/quadratic', options: { delayMs: 100 } }] };
    const local = project(config);
    expect((await runCli(['evolve', '--progress', 'plain'], local)).code).toBe(0);

    const aof = await startLocalRedis({ password: PASSWORD, aof: true });
    try {
      const remote = project({ ...config, ...queueUrlOption('restart', aof.url) });
      // Default locks: an outage shorter than the lock does not make running jobs stall.
      const fleet = workers(remote, 'restart', 2, aof.url, []);
      const run = startCli(['evolve', '--progress', 'plain'], remote);
      let out = '';
      run.child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      await until(() => /^generation 2\/\d+: \d+ evaluations/m.test(out), 60_000);
      await aof.restart(2000);
      const result = await run.done;
      await fleet.stop();
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/Redis unreachable at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+; waiting/);
      expect(result.stderr).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is back after [\d.]+s/);
      // The plain progress lines show it too (they are also what `evopt watch` prints from the journal).
      expect(result.stdout).toMatch(/^ {2}queue: Redis unreachable at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+; waiting/m);
      expect(result.stdout).toMatch(/^ {2}queue: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ is back after [\d.]+s/m);
      expect(result.stderr + result.stdout).not.toContain(PASSWORD);
      const runDir = onlyRun(remote);
      const keys = finishedKeys(runDir);
      expect(keys.length).toBe(new Set(keys).size);
      expect(keys.sort()).toEqual(finishedKeys(onlyRun(local)).sort());
      expect(outcome(runDir)).toEqual(outcome(onlyRun(local)));
    } finally {
      await aof.stop();
    }
  });
});

const STATES = ['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized', 'paused'] as const;

async function jobIds(queue: Queue): Promise<string[]> {
  return (await queue.getJobs([...STATES])).flatMap((job) => (job.id ? [job.id] : []));
}

/** Creation time of each job in the queue but not in `except`. */
async function jobTimes(queue: Queue, except: ReadonlySet<string>): Promise<Map<string, number>> {
  const jobs = await queue.getJobs([...STATES]);
  return new Map(jobs.flatMap((job) => (job.id && !except.has(job.id) ? [[job.id, job.timestamp] as const] : [])));
}
