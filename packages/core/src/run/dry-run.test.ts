import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve.js';
import { countRun, estimateRunMs } from './dry-run.js';

const paper = resolveConfig({ preset: 'paper', cwd: '/tmp', baseDir: '/tmp', env: {} });

describe('countRun', () => {
  it('counts the paper run: 50 genomes, then 47 new ones in each of 49 generations, on 3 tasks × 2 seeds × 500 steps', () => {
    const counts = countRun(paper);
    expect(counts.genomes).toBe(50 + 49 * 47);
    expect(counts.tasks.map((t) => t.id)).toEqual(['mnist', 'fashion-mnist', 'cifar10']);
    expect(counts.evaluations).toBe(counts.genomes * 3 * 2);
    expect(counts.trainingSteps).toBe(counts.evaluations * 500);
  });
});

describe('estimateRunMs', () => {
  it("adds each task's evaluations at fixed + steps × step time, shared by the workers", () => {
    const counts = {
      genomes: 2,
      evaluations: 8,
      trainingSteps: 0,
      tasks: [
        { id: 'a', evaluations: 4, trainingSteps: 0 },
        { id: 'b', evaluations: 4, trainingSteps: 0 },
      ],
    };
    const calibrations = [
      { task: 'a', prepareMs: 0, stepMs: 10, fixedMs: 100 },
      { task: 'b', prepareMs: 0, stepMs: 1, fixedMs: 0 },
    ];
    expect(estimateRunMs(counts, calibrations, 50, 2)).toBe((4 * (100 + 500) + 4 * 50) / 2);
  });

  it('gives no estimate when a task could not be calibrated', () => {
    const counts = {
      genomes: 1,
      evaluations: 1,
      trainingSteps: 0,
      tasks: [{ id: 'a', evaluations: 1, trainingSteps: 0 }],
    };
    expect(
      estimateRunMs(counts, [{ task: 'a', prepareMs: 0, stepMs: 0, fixedMs: 0, error: 'dataset missing' }], 10, 1),
    ).toBeNull();
  });
});
