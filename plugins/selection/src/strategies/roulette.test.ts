import { describe, expect, it } from 'vitest';
import { Rng, type Scored } from '@evopt/core';
import { roulette } from './roulette.js';

const scoredOf = (fitness: readonly number[]): Scored[] => fitness.map((f) => ({ fitness: f }));
const shares = (fitness: readonly number[], draws = 40_000) => {
  const picks = roulette.create({}).select(scoredOf(fitness), draws, Rng.fromSeed(13));
  return fitness.map((_, i) => picks.filter((p) => p === i).length / draws);
};

describe('roulette', () => {
  it('still prefers better genomes when fitness is negative or diverged (−1)', () => {
    const observed = shares([-1, -0.5, 0.2, 0.9]);
    // Weights are fitness − min: 0, 0.5, 1.2, 1.9 of a total 3.6.
    // 40k draws: a share's standard error is at most 0.0025, so 0.015 is six of them.
    [0, 0.5 / 3.6, 1.2 / 3.6, 1.9 / 3.6].forEach((p, i) =>
      expect(Math.abs((observed[i] as number) - p)).toBeLessThan(0.015),
    );
  });

  it('is the same for all-negative fitness as for the same gaps above zero', () => {
    expect(shares([-0.9, -0.6, -0.1])).toEqual(shares([0.1, 0.4, 0.9]));
  });

  it('is uniform when every genome has the same fitness, diverged or not', () => {
    for (const fitness of [
      [0.5, 0.5, 0.5, 0.5],
      [-1, -1, -1, -1],
    ]) {
      for (const share of shares(fitness)) expect(share).toBeCloseTo(0.25, 1);
    }
  });

  it('has no options', () => {
    expect(roulette.meta.options).toBeUndefined();
  });
});
