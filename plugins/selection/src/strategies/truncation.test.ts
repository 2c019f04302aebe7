import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, type Scored } from '@evopt/core';
import { truncation } from './truncation.js';

const scoredOf = (fitness: readonly number[]): Scored[] => fitness.map((f) => ({ fitness: f }));
const create = (fraction: number) => truncation.create({ fraction });

describe('truncation', () => {
  it('never picks below the cut', () => {
    const fitness = fc.array(fc.oneof(fc.constant(-1), fc.double({ min: -1, max: 1.05, noNaN: true })), {
      minLength: 1,
      maxLength: 60,
    });
    fc.assert(
      fc.property(fitness, fc.double({ min: 0.01, max: 1, noNaN: true }), fc.integer(), (values, fraction, seed) => {
        const kept = Math.max(1, Math.round(fraction * values.length));
        const cut = [...values].sort((a, b) => b - a)[kept - 1] as number;
        const picks = create(fraction).select(scoredOf(values), 40, Rng.fromSeed(seed));
        expect(picks.every((i) => (values[i] as number) >= cut)).toBe(true);
      }),
    );
  });

  it('draws every genome above the cut, about equally often', () => {
    const picks = create(0.5).select(scoredOf([0.9, 0.1, 0.8, 0.2, 0.7, 0.3]), 30_000, Rng.fromSeed(3));
    const share = (i: number) => picks.filter((p) => p === i).length / picks.length;
    for (const i of [0, 2, 4]) expect(share(i)).toBeCloseTo(1 / 3, 1);
    for (const i of [1, 3, 5]) expect(share(i)).toBe(0);
  });

  it('keeps genomes tied with the last one inside the cut, whatever their position', () => {
    const picks = create(0.25).select(scoredOf([0.5, 0.9, 0.5, 0.9]), 2000, Rng.fromSeed(5));
    expect(new Set(picks)).toEqual(new Set([1, 3]));
  });

  it('defaults to the top half', () => {
    expect(truncation.meta.options?.parse({})).toEqual({ fraction: 0.5 });
    expect(() => truncation.meta.options?.parse({ fraction: 0 })).toThrow();
  });
});
