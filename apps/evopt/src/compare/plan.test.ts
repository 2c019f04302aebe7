import { describe, expect, it } from 'vitest';
import { baselineGenome, BASELINE_IDS, isEvoptError } from '@evopt/core';
import type { TrialSubject } from '../trials/index.js';
import { assembleSubjects, compareFingerprint, parseBaselines, type CompareFingerprint } from './plan.js';
import { trialProgress } from './progress.js';

const base: CompareFingerprint = {
  subjects: ['abc123abc123'],
  baselines: ['adam'],
  tasks: ['mnist-lite'],
  seeds: 5,
  steps: 200,
  seed: 0,
  tune: false,
};

describe('compareFingerprint', () => {
  it('is 12 hex digits and the same for the same command', () => {
    expect(compareFingerprint(base)).toMatch(/^[0-9a-f]{12}$/);
    expect(compareFingerprint({ ...base, tasks: [...base.tasks] })).toBe(compareFingerprint(base));
  });

  it.each<[string, Partial<CompareFingerprint>]>([
    ['another genome', { subjects: ['def456def456'] }],
    ['other baselines', { baselines: ['adam', 'rmsprop'] }],
    ['other tasks', { tasks: ['mnist-lite', 'testing/quadratic'] }],
    ['more seeds', { seeds: 6 }],
    ['more steps', { steps: 201 }],
    ['another seed', { seed: 1 }],
    ['tuned baselines', { tune: true }],
  ])('changes with %s', (_, change) => {
    expect(compareFingerprint({ ...base, ...change })).not.toBe(compareFingerprint(base));
  });
});

describe('parseBaselines', () => {
  it('reads a comma-separated list, and "none" as no baselines', () => {
    expect(parseBaselines('adam, rmsprop,adam')).toEqual(['adam', 'rmsprop']);
    expect(parseBaselines('none')).toEqual([]);
  });

  it('refuses an unknown id, listing the known ones', () => {
    let error: unknown;
    try {
      parseBaselines('adam,lion');
    } catch (e) {
      error = e;
    }
    expect(isEvoptError(error, 'REGISTRY_UNKNOWN')).toBe(true);
    expect((error as Error).message).toMatch(/"lion" is not a baseline id/);
    for (const id of BASELINE_IDS) expect((error as Error).message).toContain(id);
  });
});

describe('assembleSubjects', () => {
  const s = (label: string, kind: TrialSubject['kind'], hash = label): TrialSubject => ({
    label,
    kind,
    genome: baselineGenome('adam'),
    hash,
  });

  it('lists the arguments first as candidates, then the baselines', () => {
    const out = assembleSubjects([s('mine', 'file')], [s('adam', 'baseline'), s('rmsprop', 'baseline')]);
    expect(out.map((o) => [o.subject.label, o.role])).toEqual([
      ['mine', 'candidate'],
      ['adam', 'baseline'],
      ['rmsprop', 'baseline'],
    ]);
  });

  it('compares a baseline given as an argument once, and keeps baseline labels for the baselines', () => {
    const out = assembleSubjects(
      [s('adam', 'baseline'), s('adam', 'file', 'x'), s('g', 'file', 'g1'), s('g', 'file', 'g2')],
      [s('adam', 'baseline')],
    );
    expect(out.map((o) => [o.subject.label, o.role, o.subject.hash])).toEqual([
      ['adam#2', 'candidate', 'x'],
      ['g', 'candidate', 'g1'],
      ['g#2', 'candidate', 'g2'],
      ['adam', 'baseline', 'adam'],
    ]);
  });
});

describe('trialProgress', () => {
  it('says how much the journal already holds, then logs at most one line per interval, and always the last', () => {
    const lines: string[] = [];
    let time = 0;
    const progress = trialProgress(
      'test',
      (l) => lines.push(l),
      () => time,
      2000,
    );
    progress.onStart(0, 6);
    expect(lines).toEqual([]);
    progress.onStart(2, 6);
    for (const [at, done] of [
      [0, 3],
      [500, 4],
      [2100, 5],
      [2200, 6],
    ] as const) {
      time = at;
      progress.onRecord(null, done, 6);
    }
    expect(lines).toEqual([
      'test: resuming: 2 of 6 evaluations already done',
      'test: 3/6 evaluations…',
      'test: 5/6 evaluations…',
      'test: 6/6 evaluations, done',
    ]);
  });
});
