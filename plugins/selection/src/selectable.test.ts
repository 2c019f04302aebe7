import { describe, expect, it } from 'vitest';
import { EvoptError, Rng } from '@evopt/core';
import { tournament } from './strategies/tournament.js';

const select = (fitness: number[], count: number) =>
  tournament.create({ k: 4 }).select(
    fitness.map((f) => ({ fitness: f })),
    count,
    Rng.fromSeed(1),
  );

describe('assertSelectable', () => {
  it('refuses NaN fitness, saying to score a diverged genome −1', () => {
    expect(() => select([0.5, Number.NaN], 2)).toThrow(EvoptError);
    expect(() => select([0.5, Number.NaN], 2)).toThrow(/fitness NaN at index 1[\s\S]*fix: Score a diverged genome -1/);
  });

  it('refuses to choose parents from an empty population, but allows choosing none', () => {
    expect(() => select([], 3)).toThrow(/empty population/);
    expect(select([], 0)).toEqual([]);
  });

  it('refuses a count that is not a non-negative integer', () => {
    expect(() => select([0.5], 1.5)).toThrow(/non-negative integer/);
  });
});
