import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, runCli } from './cli.js';

describe('evopt evolve --dry-run', () => {
  it('prints the plan and a calibrated estimate, and creates no run', async () => {
    const cwd = project({ preset: 'smoke' });
    const result = await runCli(['evolve', '--dry-run', '--generations', '4', '--population', '6'], cwd);
    expect(result.code).toBe(0);
    // smoke: elites 2, 2 seeds, 60 steps; 6 + 3 × (6 − 2) = 18 genomes.
    expect(result.stdout).toMatch(/population 6 × 4 generations, 2 elites → at most 18 distinct genomes/);
    expect(result.stdout).toMatch(/evaluations: 36 · training steps: 2,160/);
    expect(result.stdout).toMatch(/testing\/quadratic\s+[\d.]+ ms\/step/);
    expect(result.stdout).toMatch(/Estimated wall time: .+ with \d+ worker/);
    expect(existsSync(join(cwd, '.evopt'))).toBe(false);
  });

  it('gives the plan as JSON, and counts only with --no-calibrate', async () => {
    const result = await runCli(
      ['evolve', '--dry-run', '--no-calibrate', '--preset', 'paper', '--progress', 'json'],
      project({}),
    );
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      counts: { genomes: number; evaluations: number; trainingSteps: number };
      calibrations: unknown[];
      estimatedMs: null;
      batchSize: number;
    };
    expect(plan.counts).toMatchObject({
      genomes: 50 + 49 * 47,
      evaluations: (50 + 49 * 47) * 6,
      trainingSteps: (50 + 49 * 47) * 6 * 500,
    });
    expect(plan.calibrations).toEqual([]);
    expect(plan.estimatedMs).toBeNull();
    expect(plan.batchSize).toBe(8);
  });

  it('says which task could not be calibrated and how to fetch its data, and still prints the counts', async () => {
    const result = await runCli(['evolve', '--dry-run'], project({ preset: 'paper', tasks: [{ id: 'mnist' }] }));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/evaluations: 4,706 · training steps: 2,353,000/);
    expect(result.stdout).toMatch(/mnist\s+not calibrated: .*The mnist dataset is not in/);
    expect(result.stdout).toMatch(/fix: .*evopt data fetch mnist/);
    expect(result.stdout).toMatch(/No time estimate/);
  });
});
