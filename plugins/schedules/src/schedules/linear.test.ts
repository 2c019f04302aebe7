import { describe, expect, it } from 'vitest';
import { linear } from './linear.js';

describe('linear', () => {
  it('decays linearly from 1 towards endFactor over the run', () => {
    const m = (t: number) => linear.multiplier(t, 100, { endFactor: 0.2 });
    expect(m(0)).toBe(1);
    expect(m(50)).toBeCloseTo(0.6, 15);
    expect(m(75)).toBeCloseTo(0.4, 15);
    expect(m(100)).toBeCloseTo(0.2, 15);
  });

  it('decays to zero by default', () => {
    expect(linear.multiplier(50, 100, {})).toBe(0.5);
  });
});
