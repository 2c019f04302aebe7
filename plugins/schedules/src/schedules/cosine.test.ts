import { describe, expect, it } from 'vitest';
import { cosine } from './cosine.js';

describe('cosine', () => {
  it('starts at 1, halves at mid-run and falls towards 0 at the end', () => {
    expect(cosine.multiplier(0, 500, {})).toBe(1);
    expect(cosine.multiplier(250, 500, {})).toBeCloseTo(0.5, 15);
    expect(cosine.multiplier(499, 500, {})).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * 499) / 500)), 15);
    expect(cosine.multiplier(499, 500, {})).toBeLessThan(1e-4);
  });

  it('never rises during a run', () => {
    const values = Array.from({ length: 300 }, (_, t) => cosine.multiplier(t, 300, {}));
    expect(values.every((v, t) => t === 0 || v <= (values[t - 1] as number))).toBe(true);
  });

  it('holds its final value past the end instead of rising again', () => {
    expect(cosine.multiplier(1000, 500, {})).toBe(0);
  });
});
