import type { CiRecordSource } from '../checks.js';
import type { CiRecord } from '../record.js';
import type { CiPlan, CiSubject } from '../report.js';

/** Scores per genome hash and task, seed 0 first: a stand-in for TrialResults. */
export type Scores = Record<string, Record<string, number[]>>;

export function source(scores: Scores, durationMs = 250): CiRecordSource {
  return {
    records: (hash, task) =>
      (scores[hash]?.[task] ?? []).map((score) => ({
        score,
        status: score === -1 ? ('diverged' as const) : ('ok' as const),
        durationMs,
      })),
  };
}

export const subject = (label: string, hash = `${label}-hash`): CiSubject => ({ label, reference: label, hash });

/** A plan with adam as the baseline and the given guarded genomes, on one task unless told. */
export function plan(guarded: readonly CiSubject[], overrides: Partial<CiPlan> = {}): CiPlan {
  return {
    guarded,
    baseline: subject('adam'),
    tasks: ['testing/quadratic'],
    taskOptions: { 'testing/quadratic': {} },
    steps: 100,
    seeds: 5,
    seed: 0,
    tolerance: 0.02,
    alpha: 0.05,
    record: { path: 'evopt-ci-record.json', updated: false },
    ...overrides,
  };
}

/** The scores of adam shifted by `delta`, with a little seed-to-seed wobble so the test has spread. */
export const ADAM = [0.9, 0.85, 0.95, 0.88, 0.92];
export const shifted = (delta: number, wobble = [0.004, -0.003, 0.002, -0.004, 0.001]) =>
  ADAM.map((s, i) => s + delta + (wobble[i] ?? 0));

export function record(entries: CiRecord['entries'], overrides: Partial<CiRecord> = {}): CiRecord {
  return {
    schema: 'evopt.ci-record/1',
    updatedAt: '2025-01-01T00:00:00.000Z',
    evoptVersion: '0.1.0',
    tasks: [{ id: 'testing/quadratic', options: {} }],
    steps: 100,
    seeds: 5,
    seed: 0,
    entries,
    ...overrides,
  };
}
