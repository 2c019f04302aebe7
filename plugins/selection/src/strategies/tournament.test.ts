import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, type Scored } from '@evopt/core';
import { tournament } from './tournament.js';

const scoredOf = (fitness: readonly number[]): Scored[] => fitness.map((f) => ({ fitness: f }));
const fitnessList = fc.array(fc.double({ min: -1, max: 1.05, noNaN: true }), { minLength: 1, maxLength: 60 });
const create = (options: object) => tournament.create(tournament.meta.options?.parse(options) ?? { k: 4 });

describe('tournament', () => {
  it("defaults to the paper's k = 4", () => {
    expect(tournament.meta.options?.parse({})).toEqual({ k: 4 });
    expect(() => tournament.meta.options?.parse({ k: 1 })).toThrow();
  });

  it('always picks the best when k is the population size (or larger)', () => {
    fc.assert(
      fc.property(fitnessList, fc.integer(), fc.integer({ min: 0, max: 3 }), (fitness, seed, extra) => {
        const best = Math.max(...fitness);
        const picks = create({ k: Math.max(2, fitness.length + extra) }).select(
          scoredOf(fitness),
          20,
          Rng.fromSeed(seed),
        );
        expect(picks.every((i) => fitness[i] === best)).toBe(true);
      }),
    );
  });

  it('never picks one of the k − 1 worst', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), {
          minLength: 4,
          maxLength: 30,
        }),
        fc.integer(),
        (fitness, seed) => {
          const sorted = [...fitness].sort((a, b) => a - b);
          const picks = create({ k: 4 }).select(scoredOf(fitness), 50, Rng.fromSeed(seed));
          expect(picks.every((i) => (fitness[i] as number) >= (sorted[3] as number))).toBe(true);
        },
      ),
    );
  });

  it('gives the best of n its expected share: 1 − C(n−1, k)/C(n, k) = k/n', () => {
    const picks = create({ k: 4 }).select(
      scoredOf([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]),
      20_000,
      Rng.fromSeed(7),
    );
    expect(picks.filter((i) => i === 9).length / 20_000).toBeCloseTo(0.4, 1);
  });
});
