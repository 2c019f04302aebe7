import { describe, expect, it } from 'vitest';
import type { EvaluationRecord } from '../evaluation.js';
import type { EvoptEvent } from '../events.js';
import { EvaluationCache } from './cache.js';

const record = (hash: string, status: EvaluationRecord['status'], score: number): EvaluationRecord => ({
  hash,
  task: 't',
  seedIndex: 0,
  steps: 10,
  seed: 1,
  status,
  score,
  metrics: {},
  stepsCompleted: status === 'failed' ? 0 : 10,
  durationMs: 1,
  worker: 'inline',
});
const finished = (r: EvaluationRecord): EvoptEvent => ({
  type: 'evaluation-finished',
  record: r,
  time: '2026-01-01T00:00:00.000Z',
});

describe('EvaluationCache.fromEvents', () => {
  it('keeps ok and diverged records but not failed ones, so a resume retries what failed', () => {
    const cache = EvaluationCache.fromEvents([
      finished(record('a', 'ok', 0.9)),
      finished(record('b', 'diverged', -1)),
      finished(record('c', 'failed', -1)),
    ]);
    expect(cache.get({ hash: 'a', task: 't', seedIndex: 0, steps: 10 })?.score).toBe(0.9);
    expect(cache.has({ hash: 'b', task: 't', seedIndex: 0, steps: 10 })).toBe(true);
    expect(cache.has({ hash: 'c', task: 't', seedIndex: 0, steps: 10 })).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('takes the retry that followed a failure in the journal', () => {
    const cache = EvaluationCache.fromEvents([finished(record('c', 'failed', -1)), finished(record('c', 'ok', 0.7))]);
    expect(cache.get({ hash: 'c', task: 't', seedIndex: 0, steps: 10 })?.status).toBe('ok');
  });
});
