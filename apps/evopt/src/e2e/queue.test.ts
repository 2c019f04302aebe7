// Distributed evaluation end to end: a real redis-server, real `evopt worker` processes, the built binary.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationKeyString } from '@evopt/core';
import { events, onlyRun, outcome, project, runCli, startCli, SMOKE, until, type CliResult } from './cli.js';

const PASSWORD = 'e2e-hunter2-secret';
// Short locks so a killed worker's job moves on within seconds.
const FAST_STALLS = ['--lock-duration', '1500', '--stalled-interval', '500'];

let redis: { url: string; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function startRedis(): Promise<typeof redis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'evopt-redis-'));
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', PASSWORD], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('error', (error) => reject(new Error(`cannot run redis-server (apt-get install redis-server): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://:${PASSWORD}@127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `count` workers on `queueName`, each logging to its own stderr; stop() ends them gracefully. */
function workers(cwd: string, queueName: string, count: number) {
  const started = Array.from({ length: count }, () => startCli(['worker', '--queue', redis.url, '--queue-name', queueName, ...FAST_STALLS], cwd));
  return {
    started,
    stop: async (): Promise<CliResult[]> => {
      for (const { child } of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return Promise.all(started.map((w) => w.done));
    },
  };
}

function queueUrlOption(queueName: string) {
  return { plugins: ['@evopt/plugin-queue'], evaluation: { evaluator: { id: 'queue', options: { url: redis.url, queueName, backoffMs: 50 } } } };
}

/** Every finished evaluation in the journal, keyed; duplicates would show as repeated keys. */
function finishedKeys(runDir: string): string[] {
  return events(runDir).flatMap((e) => (e.type === 'evaluation-finished' ? [evaluationKeyString(e.record)] : []));
}

beforeAll(async () => {
  redis = await startRedis();
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

describe('evopt evolve --queue with evopt worker processes', () => {
  it('ends with the same population and best genome as a local run of the same seed, and never shows the password', async () => {
    const local = project(SMOKE);
    expect((await runCli(['evolve', '--progress', 'plain'], local)).code).toBe(0);

    const remote = project(SMOKE);
    const fleet = workers(remote, 'evopt', 3); // --queue uses the default queue name
    const run = await runCli(['evolve', '--progress', 'plain', '--queue', redis.url], remote);
    const workerResults = await fleet.stop();
    expect(run.code, run.stderr).toBe(0);
    const runDir = onlyRun(remote);
    expect(outcome(runDir)).toEqual(outcome(onlyRun(local)));
    const configJson = readFileSync(join(runDir, 'config.json'), 'utf8');
    expect(configJson).toContain('redis://:***@127.0.0.1');
    for (const text of [configJson, run.stdout, run.stderr, ...workerResults.flatMap((w) => [w.stdout, w.stderr])]) expect(text).not.toContain(PASSWORD);
    const served = workerResults.map((w) => (w.stderr.match(/^job /gm) ?? []).length);
    expect(served.reduce((a, b) => a + b, 0)).toBe(new Set(finishedKeys(runDir)).size);
    expect(workerResults.map((w) => w.stderr).join('\n')).toMatch(/takes jobs from redis:\/\/:\*\*\*@127\.0\.0\.1/);
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
    const cwd = project({ ...SMOKE, plugins: ['./poison.mjs', '@evopt/plugin-queue'], tasks: [{ id: 'poison/lr' }], evaluation: { evaluator: { id: 'queue', options: { url: redis.url, queueName: 'poison', attempts: 2, backoffMs: 50 } } } });
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
    for (const record of failed) expect(log).toMatch(new RegExp(`failed \\(attempt 1\\): .*poisoned genome ${record.hash}`));
    const failedKeys = failed.map((r) => evaluationKeyString(r));
    expect(failedKeys.length).toBe(new Set(failedKeys).size);
  });
});
