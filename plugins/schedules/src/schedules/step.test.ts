import { describe, expect, it } from 'vitest';
import { stepDecay } from './step.js';

describe('step', () => {
  it('multiplies by gamma every stepSize steps', () => {
    const m = (t: number) => stepDecay.multiplier(t, 1000, { stepSize: 100, gamma: 0.5 });
    expect([0, 99, 100, 199, 200, 250, 999].map(m)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25, 0.5 ** 9]);
  });

  it('declares stepSize as an integer and gamma within (0, 1]', () => {
    expect(stepDecay.meta.params['stepSize']?.integer).toBe(true);
    expect(stepDecay.meta.params['gamma']).toMatchObject({ max: 1 });
    expect(stepDecay.meta.params['gamma']?.min).toBeGreaterThan(0);
  });
});
