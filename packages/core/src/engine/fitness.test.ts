import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../evaluation.js';
import { aggregateFitness, isDivergedLoss, paperScore } from './fitness.js';

const record = (
  task: string,
  seedIndex: number,
  status: EvaluationRecord['status'],
  score: number,
): EvaluationRecord => ({
  hash: 'h',
  task,
  seedIndex,
  steps: 10,
  seed: 1,
  status,
  score,
  metrics: {},
  stepsCompleted: 10,
  durationMs: 1,
  worker: 'inline',
});

describe('fitness', () => {
  it('is the mean over tasks and seeds, with −1 for diverged and failed runs', () => {
    const f = aggregateFitness([
      record('a', 0, 'ok', 0.9),
      record('a', 1, 'diverged', 0.95),
      record('b', 0, 'ok', 0.7),
      record('b', 1, 'failed', 0.8),
    ]);
    expect(f.fitness).toBeCloseTo((0.9 - 1 + 0.7 - 1) / 4);
    expect(f.perTask).toEqual({ a: (0.9 - 1) / 2, b: (0.7 - 1) / 2 });
    expect([f.diverged, f.failed]).toEqual([1, 1]);
  });

  it('treats a non-finite score as a failure and no records as −1', () => {
    expect(aggregateFitness([record('a', 0, 'ok', Number.NaN)]).fitness).toBe(-1);
    expect(aggregateFitness([]).fitness).toBe(-1);
  });

  it('scores like the paper: val_acc + 0.05·max(0, 1 − mean of the last 50 losses)', () => {
    const losses = [...Array.from({ length: 100 }, () => 9), ...Array.from({ length: 50 }, () => 0.4)];
    expect(paperScore(0.9, losses)).toBeCloseTo(0.9 + 0.05 * 0.6);
    expect(
      paperScore(
        0.9,
        Array.from({ length: 50 }, () => 1.5),
      ),
    ).toBe(0.9);
  });

  it('calls NaN, Inf and losses above 50 divergence', () => {
    expect([Number.NaN, Infinity, 50.1, 50, 3].map(isDivergedLoss)).toEqual([true, true, true, false, false]);
  });
});
