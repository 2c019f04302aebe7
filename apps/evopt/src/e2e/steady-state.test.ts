import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluationKeyString } from '@evopt/core';
import { deterministicJournal, events, onlyRun, project, runCli, startCli, until } from './cli.js';

/** smoke: population 8, 3 generations, 2 elites, so 8 + 2 × 6 = 20 genomes; 20 ms per evaluation. */
const STEADY = {
  preset: 'smoke',
  seed: 5,
  ga: { mode: 'steady-state' },
  tasks: [{ id: 'testing/quadratic', options: { delayMs: 20 } }],
};
const BUDGET = 20;

function finishedKeys(dir: string): string[] {
  return events(dir).flatMap((e) => (e.type === 'evaluation-finished' ? [evaluationKeyString(e.record)] : []));
}

function told(dir: string): number {
  return events(dir).filter((e) => e.type === 'genome-told').length;
}

describe('evopt evolve --mode steady-state', () => {
  it('scores the generational budget on 2 workers, with the usual run directory and reports', async () => {
    const cwd = project({ ...STEADY, ga: {} });
    const result = await runCli(['evolve', '--mode', 'steady-state', '--workers', '2'], cwd);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/8 genomes × 3 generations \(steady-state\)/);
    expect(result.stdout).toMatch(/run finished after 3 generations/);
    const dir = onlyRun(cwd);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { config: { ga: { mode: string } } };
    expect(config.config.ga.mode).toBe('steady-state');
    for (const file of ['checkpoint.json', 'best.json', 'summary.md'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(told(dir)).toBe(BUDGET);
    expect(
      events(dir)
        .filter((e) => e.type === 'generation-finished')
        .map((e) => (e.type === 'generation-finished' ? e.generation : -1)),
    ).toEqual([0, 1, 2]);
    const keys = finishedKeys(dir);
    expect(new Set(keys).size).toBe(keys.length);
    // Both worker threads served it (core/run/steady-state.test.ts checks that children start before generation 0 is scored).
    const workers = new Set(events(dir).flatMap((e) => (e.type === 'evaluation-finished' ? [e.record.worker] : [])));
    expect(workers.size).toBe(2);
    const report = await runCli(['report', dir], cwd);
    expect(report.code).toBe(0);
  });

  it('is deterministic for a seed with one evaluation in flight (inline)', async () => {
    const [a, b] = [project(STEADY), project(STEADY)];
    const [ra, rb] = await Promise.all([
      runCli(['evolve', '--evaluator', 'inline'], a),
      runCli(['evolve', '--evaluator', 'inline'], b),
    ]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    expect(deterministicJournal(onlyRun(a))).toEqual(deterministicJournal(onlyRun(b)));
  });

  it('after SIGKILL, resume finishes the budget without redoing a journaled evaluation', async () => {
    const cwd = project(STEADY);
    const { child, done } = startCli(['evolve', '--workers', '2'], cwd);
    let dir = '';
    await until(() => {
      try {
        dir = onlyRun(cwd);
        return told(dir) >= 10;
      } catch {
        return false;
      }
    });
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    const before = finishedKeys(dir);
    expect(told(dir)).toBeLessThan(BUDGET);
    const resumed = await runCli(['resume', dir], cwd);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/run finished after 3 generations/);
    const keys = finishedKeys(dir);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(before.length);
    // Every genome of the budget was told once after the resume's own tells are added to those before the kill.
    const checkpoint = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as {
      state: { engine: { told: number; done: boolean } };
    };
    expect(checkpoint.state.engine).toMatchObject({ told: BUDGET, done: true });
  });
});
