import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '@evopt/core';
import { drawWeighted } from './weighted.js';

describe('drawWeighted', () => {
  it('never draws an entry of weight 0', () => {
    const weights = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(weights, fc.integer(), (w, seed) => {
        const picks = drawWeighted(w, 50, Rng.fromSeed(seed));
        expect(picks).toHaveLength(50);
        if (w.some((x) => x > 0)) expect(picks.every((i) => (w[i] as number) > 0)).toBe(true);
        else expect(picks.every((i) => Number.isInteger(i) && i >= 0 && i < w.length)).toBe(true);
      }),
    );
  });

  it('draws in proportion to the weights', () => {
    const picks = drawWeighted([1, 3], 40_000, Rng.fromSeed(17));
    expect(Math.abs(picks.filter((i) => i === 1).length / picks.length - 0.75)).toBeLessThan(0.015);
  });
});
