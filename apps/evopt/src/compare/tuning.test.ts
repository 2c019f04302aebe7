import { describe, expect, it } from 'vitest';
import { baselineGenome, genomeHash } from '@evopt/core';
import type { TrialSubject } from '../trials/index.js';
import { results, subject, type SeedOutcome } from './__fixtures__/synthetic.js';
import { selectLearningRates, TUNE_MULTIPLIERS, tuningVariants } from './tuning.js';

const adam: TrialSubject = {
  label: 'adam',
  kind: 'baseline',
  genome: baselineGenome('adam'),
  hash: genomeHash(baselineGenome('adam')),
};
const sgd: TrialSubject = {
  label: 'sgd-momentum',
  kind: 'baseline',
  genome: baselineGenome('sgd-momentum'),
  hash: genomeHash(baselineGenome('sgd-momentum')),
};

describe('tuningVariants', () => {
  it('tries ×0.3, ×1 and ×3 of each default learning rate, exactly (Adam: 3e-4, 1e-3, 3e-3)', () => {
    const variants = tuningVariants([adam, sgd], {});
    expect(TUNE_MULTIPLIERS).toEqual([0.3, 1, 3]);
    expect(variants.filter((v) => v.baseline === 'adam').map((v) => v.subject.genome.lr)).toEqual([3e-4, 1e-3, 3e-3]);
    expect(variants.filter((v) => v.baseline === 'sgd-momentum').map((v) => v.subject.genome.lr)).toEqual([
      3e-3, 1e-2, 3e-2,
    ]);
    expect(variants.map((v) => v.subject.label)).toContain('adam@lr=0.0003');
  });

  it('changes nothing but the learning rate; ×1 is the baseline itself (same hash, so the same work)', () => {
    const variants = tuningVariants([adam], {});
    for (const v of variants) expect({ ...v.subject.genome, lr: 0 }).toEqual({ ...adam.genome, lr: 0 });
    expect(variants.find((v) => v.multiplier === 1)?.subject.hash).toBe(adam.hash);
    expect(new Set(variants.map((v) => v.subject.hash)).size).toBe(3);
  });
});

describe('selectLearningRates', () => {
  const variants = tuningVariants([adam, sgd], {});
  const subjects = variants.map((v) => subject(v.subject.label, { hash: v.subject.hash, genome: v.subject.genome }));
  const byLr = (scores: Record<string, SeedOutcome[][]>) =>
    Object.fromEntries(
      variants.map((v) => [
        v.subject.label,
        { a: scores[v.subject.label]?.[0] ?? [], b: scores[v.subject.label]?.[1] ?? [] },
      ]),
    );

  it('picks the learning rate with the best validation fitness, over tasks and seeds', () => {
    const trial = results(
      { subjects, tasks: ['a', 'b'], seeds: 2, seed: 0, salt: 'tune' },
      byLr({
        'adam@lr=0.0003': [
          [0.6, 0.6],
          [0.6, 0.6],
        ],
        // Best on task a but worst on b: the mean over tasks decides.
        'adam@lr=0.001': [
          [0.95, 0.95],
          [0.3, 0.3],
        ],
        'adam@lr=0.003': [
          [0.8, 0.8],
          [0.7, 0.7],
        ],
        'sgd-momentum@lr=0.003': [
          [0.9, 0.9],
          [0.9, 0.9],
        ],
        'sgd-momentum@lr=0.01': [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
        'sgd-momentum@lr=0.03': [
          [0.5, 0.5],
          [0.5, 0.5],
        ],
      }),
    );
    const chosen = selectLearningRates(trial, variants);
    expect(chosen.get('adam')?.tuning).toMatchObject({ defaultLr: 1e-3, chosenLr: 3e-3, chosenMultiplier: 3 });
    expect(chosen.get('sgd-momentum')?.tuning).toMatchObject({
      defaultLr: 1e-2,
      chosenLr: 3e-3,
      chosenMultiplier: 0.3,
    });
    const grid = chosen.get('adam')?.tuning.grid ?? [];
    expect(grid.map((g) => g.lr)).toEqual([3e-4, 1e-3, 3e-3]);
    expect(grid.map((g) => g.fitness.mean)).toEqual([0.6, 0.625, 0.75]);
  });

  it("hands back the chosen variant under the baseline's own label, ready to score on test", () => {
    const trial = results(
      { subjects, tasks: ['a'], seeds: 1, seed: 0, salt: 'tune' },
      byLr({ 'adam@lr=0.003': [[0.9]], 'adam@lr=0.001': [[0.1]], 'adam@lr=0.0003': [[0.1]] }),
    );
    const choice = selectLearningRates(trial, variants).get('adam');
    const winner = variants.find((v) => v.subject.label === 'adam@lr=0.003');
    expect(choice?.subject).toMatchObject({ label: 'adam', kind: 'baseline', hash: winner?.subject.hash });
    expect(choice?.subject.genome.lr).toBe(3e-3);
  });

  it('counts a diverged seed as −1, so an unstable learning rate loses', () => {
    const trial = results(
      { subjects, tasks: ['a'], seeds: 2, seed: 0, salt: 'tune' },
      byLr({
        'adam@lr=0.0003': [[0.5, 0.5]],
        'adam@lr=0.001': [[0.6, 0.6]],
        'adam@lr=0.003': [[0.99, { status: 'diverged', score: Number.NaN }]],
      }),
    );
    expect(selectLearningRates(trial, variants).get('adam')?.tuning.chosenLr).toBe(1e-3);
  });

  it('keeps the default learning rate on a tie, and never picks a point without records over one with them', () => {
    const flat = results(
      { subjects, tasks: ['a'], seeds: 2, seed: 0, salt: 'tune' },
      byLr({ 'adam@lr=0.0003': [[0.7, 0.7]], 'adam@lr=0.001': [[0.7, 0.7]], 'adam@lr=0.003': [[0.7, 0.7]] }),
    );
    expect(selectLearningRates(flat, variants).get('adam')?.tuning.chosenMultiplier).toBe(1);
    const sparse = results(
      { subjects, tasks: ['a'], seeds: 2, seed: 0, salt: 'tune' },
      byLr({ 'adam@lr=0.003': [[0.2, 0.2]] }),
    );
    expect(selectLearningRates(sparse, variants).get('adam')?.tuning.chosenLr).toBe(3e-3);
  });
});
