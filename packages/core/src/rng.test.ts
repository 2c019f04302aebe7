import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from './rng.js';

describe('Rng', () => {
  it('replays exactly from a saved state', () => {
    const a = Rng.fromSeed(42);
    a.float();
    const b = Rng.fromState(JSON.parse(JSON.stringify(a.state())));
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(Array.from({ length: 5 }, () => a.normal()));
  });

  it('gives well-mixed draws even from small seeds', () => {
    let sumSquares = 0;
    for (let seed = 0; seed < 2000; seed++) sumSquares += Rng.fromSeed(seed).normal() ** 2;
    expect(sumSquares / 2000).toBeGreaterThan(0.85);
    expect(sumSquares / 2000).toBeLessThan(1.15);
  });

  it('draws integers within inclusive bounds and picks every item', () => {
    const rng = Rng.fromSeed(1);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('derives the same seed from the same parts, and different ones otherwise', () => {
    expect(deriveSeed(1, 'mnist', 0)).toBe(deriveSeed(1, 'mnist', 0));
    expect(deriveSeed(1, 'mnist', 0)).not.toBe(deriveSeed(1, 'mnist', 1));
    expect(deriveSeed(1, 'mnist', 0)).toBeLessThan(2 ** 31);
  });
});
