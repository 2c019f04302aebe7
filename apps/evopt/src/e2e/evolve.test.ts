import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicJournal, events, onlyRun, outcome, project, runCli, SMOKE } from './cli.js';

describe('evopt evolve (the built binary, smoke preset)', () => {
  it('runs an evolution and writes the run directory', async () => {
    const cwd = project(SMOKE);
    const result = await runCli(['evolve'], cwd);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/generation 1\/3: 16 evaluations to run, 0 cached/);
    expect(result.stdout).toMatch(/run finished after 3 generations/);
    expect(result.stdout).toMatch(/\n {2}best {3}\d\.\d{4} {2}.+\n/);
    expect(result.stdout).toMatch(/\n {2}adam {3}\d\.\d{4} {2}same budget and seeds \([+-]\d+\.\d% vs adam\)/);
    const dir = onlyRun(cwd);
    for (const file of ['config.json', 'events.jsonl', 'checkpoint.json', 'best.json', 'summary.md'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);
    const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      plugins: { name: string; version: string; entryHash: string }[];
      config: { preset: string };
    };
    expect(saved.config.preset).toBe('smoke');
    expect(saved.plugins.map((p) => p.name)).toEqual([
      '@evopt/plugin-primitives',
      '@evopt/plugin-schedules',
      '@evopt/plugin-selection',
      '@evopt/plugin-quadratic',
    ]);
    expect(saved.plugins.every((p) => /^[0-9a-f]{16}$/.test(p.entryHash))).toBe(true);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## Best genome/);
    expect(summary).toMatch(/\| adam \| 0\.\d{4} \|/);
    // Elites are never re-evaluated: later generations hit the cache for them.
    const generationsStarted = events(dir).filter((e) => e.type === 'generation-started');
    expect(generationsStarted.slice(1).every((e) => e.type === 'generation-started' && e.cached >= 2 * 2)).toBe(true);
    const runs = await runCli(['runs'], cwd);
    expect(runs.stdout).toMatch(new RegExp(`${dir.split('/').at(-1)}\\s+finished\\s+3/3\\s+0\\.\\d{4}\\s+smoke`));
  });

  it('gives identical journals for the same seed (ignoring times and durations)', async () => {
    const [a, b] = [project(SMOKE), project(SMOKE)];
    const [ra, rb] = await Promise.all([
      runCli(['evolve', '--evaluator', 'inline'], a),
      runCli(['evolve', '--evaluator', 'inline'], b),
    ]);
    expect([ra.code, rb.code]).toEqual([0, 0]);
    const journal = deterministicJournal(onlyRun(a));
    expect(journal.length).toBeGreaterThan(50);
    expect(deterministicJournal(onlyRun(b))).toEqual(journal);
    const other = project({ ...SMOKE, seed: 12 });
    await runCli(['evolve', '--evaluator', 'inline'], other);
    expect(deterministicJournal(onlyRun(other))).not.toEqual(journal);
  });

  it('ends with the same population on 2 worker threads as inline', async () => {
    const [a, b] = [project(SMOKE), project(SMOKE)];
    await Promise.all([runCli(['evolve', '--evaluator', 'inline'], a), runCli(['evolve', '--workers', '2'], b)]);
    expect(outcome(onlyRun(b))).toEqual(outcome(onlyRun(a)));
  });

  it('prints one JSON event per line with --progress json', async () => {
    const cwd = project({ ...SMOKE, ga: { generations: 1 } });
    const result = await runCli(['evolve', '--progress', 'json', '--evaluator', 'inline'], cwd);
    const types = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe('run-started');
    expect(types.at(-1)).toBe('run-finished');
    expect(types.filter((t) => t === 'evaluation-finished')).toHaveLength(16);
  });
});
