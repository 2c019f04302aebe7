import { describe, expect, it } from 'vitest';
import { Rng, type Scored } from '@evopt/core';
import { rank, ranks } from './rank.js';

const scoredOf = (fitness: readonly number[]): Scored[] => fitness.map((f) => ({ fitness: f }));
const shares = (pressure: number, fitness: readonly number[], draws = 40_000) => {
  const picks = rank.create({ pressure }).select(scoredOf(fitness), draws, Rng.fromSeed(11));
  return fitness.map((_, i) => picks.filter((p) => p === i).length / draws);
};

describe('rank', () => {
  it('ranks from 0 (worst) to n − 1 (best), ties sharing their mean rank', () => {
    expect(ranks(scoredOf([0.3, -1, 0.9, 0.3]))).toEqual([1.5, 0, 3, 1.5]);
  });

  it('chooses rank r of n with probability ((2 − s) + 2(s − 1)·r/(n − 1))/n', () => {
    // s = 1.5, n = 4: (0.5 + r/3)/4 → 0.125, 0.2083, 0.2917, 0.375 for ranks 0..3.
    const observed = shares(1.5, [0.2, -1, 1.0, 0.5]);
    // 40k draws: a share's standard error is at most 0.0025, so 0.015 is six of them.
    [5 / 24, 3 / 24, 9 / 24, 7 / 24].forEach((p, i) =>
      expect(Math.abs((observed[i] as number) - p)).toBeLessThan(0.015),
    );
  });

  it('depends only on the order of fitness, not its scale', () => {
    expect(shares(1.5, [0.1, 0.2, 0.3])).toEqual(shares(1.5, [-1, 0.5, 1000]));
  });

  it('never chooses the worst at pressure 2, and is uniform at pressure 1', () => {
    expect(shares(2, [0.1, 0.5, 0.9])[0]).toBe(0);
    for (const share of shares(1, [0.1, 0.5, 0.9])) expect(share).toBeCloseTo(1 / 3, 1);
  });

  it('gives tied genomes equal chances', () => {
    const [a, b] = shares(2, [0.4, 0.4, 0.1, 0.9]);
    expect(Math.abs((a as number) - (b as number))).toBeLessThan(0.02);
  });
});
