import { describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationKeyString } from '@evopt/core';
import { events, onlyRun, outcome, project, runCli, startCli, until } from './cli.js';

/** Slow enough to kill mid-generation: 40 ms per evaluation, 4 generations of 16 evaluations. */
const SLOW = {
  preset: 'smoke',
  seed: 21,
  ga: { generations: 4 },
  tasks: [{ id: 'testing/quadratic', options: { delayMs: 40 } }],
};

/** Starts a run and SIGKILLs it once generation `generation` has some, but not all, evaluations. */
async function killMidGeneration(cwd: string, generation: number): Promise<string> {
  const { child, done } = startCli(['evolve', '--workers', '2'], cwd);
  let dir = '';
  await until(() => {
    try {
      dir = onlyRun(cwd);
      const list = events(dir);
      const started = list.findIndex((e) => e.type === 'generation-started' && e.generation === generation);
      return started >= 0 && list.slice(started).filter((e) => e.type === 'evaluation-finished').length >= 3;
    } catch {
      return false;
    }
  });
  child.kill('SIGKILL');
  expect((await done).signal).toBe('SIGKILL');
  expect(events(dir).some((e) => e.type === 'generation-finished' && e.generation === generation)).toBe(false);
  return dir;
}

function finishedKeys(dir: string): string[] {
  return events(dir).flatMap((e) => (e.type === 'evaluation-finished' ? [evaluationKeyString(e.record)] : []));
}

describe('evopt resume', () => {
  it('after SIGKILL mid-generation, ends exactly like an uninterrupted run, redoing no evaluation', async () => {
    const reference = project(SLOW);
    const interrupted = project(SLOW);
    const [, dir] = await Promise.all([
      runCli(['evolve', '--workers', '2'], reference),
      killMidGeneration(interrupted, 1),
    ]);
    const beforeResume = finishedKeys(dir).length;
    const resumed = await runCli(['resume', dir], interrupted);
    expect(resumed.stderr).toMatch(/took over a stale run.lock/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/evopt resuming/);
    expect(outcome(dir)).toEqual(outcome(onlyRun(reference)));
    const keys = finishedKeys(dir);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(finishedKeys(onlyRun(reference)).length);
    expect(keys.length).toBeGreaterThan(beforeResume);
  });

  it('survives a corrupt checkpoint and a torn journal line: warns, keeps the files, same result', async () => {
    const reference = project(SLOW);
    const interrupted = project(SLOW);
    const [, dir] = await Promise.all([
      runCli(['evolve', '--workers', '2'], reference),
      killMidGeneration(interrupted, 2),
    ]);
    writeFileSync(join(dir, 'checkpoint.json'), '{"schema":"evopt.checkpoint/1","sha2');
    appendFileSync(join(dir, 'events.jsonl'), '{"type":"evaluation-fini');
    const resumed = await runCli(['resume', dir], interrupted);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/warning: checkpoint.json was corrupt .*kept as .*checkpoint\.json\.corrupt-/);
    expect(resumed.stderr).toMatch(/warning: .*events\.jsonl:\d+ was skipped/);
    expect(readdirSync(dir).some((f) => f.startsWith('checkpoint.json.corrupt-'))).toBe(true);
    expect(outcome(dir)).toEqual(outcome(onlyRun(reference)));
  });

  it('Ctrl-C stops gracefully (exit 130, lock released), and resume finishes the same run', async () => {
    const reference = project(SLOW);
    const interrupted = project(SLOW);
    const referenceRun = runCli(['evolve', '--workers', '2'], reference);
    const { child, done } = startCli(['evolve', '--workers', '2'], interrupted);
    await until(() => {
      try {
        return events(onlyRun(interrupted)).some((e) => e.type === 'generation-finished');
      } catch {
        return false;
      }
    });
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/run stopped in generation \d/);
    expect(stopped.stderr).toMatch(/continue with: evopt resume/);
    const dir = onlyRun(interrupted);
    const resumed = await runCli(['resume', dir], interrupted);
    expect(resumed.stderr).not.toMatch(/stale/);
    expect(resumed.code).toBe(0);
    await referenceRun;
    expect(outcome(dir)).toEqual(outcome(onlyRun(reference)));
  });

  it('has a checkpoint from the first moment: Ctrl-C in generation 0 leaves one to resume from', async () => {
    const cwd = project(SLOW);
    const { child, done } = startCli(['evolve', '--workers', '2'], cwd);
    await until(() => {
      try {
        return events(onlyRun(cwd)).some((e) => e.type === 'evaluation-finished');
      } catch {
        return false;
      }
    });
    child.kill('SIGINT');
    expect((await done).code).toBe(130);
    const dir = onlyRun(cwd);
    expect(events(dir).some((e) => e.type === 'generation-finished')).toBe(false);
    const checkpoint = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as {
      state: { engine: { generation: number; population: unknown[] } };
    };
    expect(checkpoint.state.engine.generation).toBe(0);
    expect(checkpoint.state.engine.population).toHaveLength(8);
  });

  it('says so when the run already finished', async () => {
    const cwd = project({ preset: 'smoke', ga: { generations: 1 } });
    await runCli(['evolve', '--evaluator', 'inline'], cwd);
    const again = await runCli(['resume', onlyRun(cwd)], cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already finished/);
  });
});
