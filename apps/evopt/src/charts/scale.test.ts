import { describe, expect, it } from 'vitest';
import { formatTick, niceScale } from './scale.js';

const RANGES: readonly [number, number][] = [
  [0, 1],
  [0.7513, 0.9977],
  [-1, 0.95],
  [3, 3],
  [0, 0],
  [-0.004, 0.0031],
  [1e-7, 3e-7],
  [12, 4870],
  [-250, -3],
  [0.999, 1.0001],
  [0, 49],
];

describe('niceScale', () => {
  it.each(RANGES)('covers [%d, %d] with evenly spaced 1-2-5 ticks inside its domain', (low, high) => {
    const scale = niceScale([low, high]);
    expect(scale.min).toBeLessThanOrEqual(low);
    expect(scale.max).toBeGreaterThanOrEqual(high);
    expect(scale.max).toBeGreaterThan(scale.min);
    expect(scale.ticks[0]).toBeCloseTo(scale.min, 12);
    expect(scale.ticks.at(-1)).toBeCloseTo(scale.max, 12);
    expect(scale.ticks.length).toBeGreaterThanOrEqual(2);
    expect(scale.ticks.length).toBeLessThanOrEqual(12);
    for (const [i, tick] of scale.ticks.entries()) {
      expect(tick).toBeGreaterThanOrEqual(scale.min);
      expect(tick).toBeLessThanOrEqual(scale.max);
      if (i > 0) expect(tick - (scale.ticks[i - 1] as number)).toBeCloseTo(scale.step, 9);
    }
    const mantissa = scale.step / 10 ** Math.floor(Math.log10(scale.step));
    expect([1, 2, 5]).toContain(Math.round(mantissa));
  });

  it('ignores NaN, ±Infinity and null', () => {
    expect(niceScale([Number.NaN, 0.5, Number.POSITIVE_INFINITY, null, Number.NEGATIVE_INFINITY, 0.7])).toEqual(
      niceScale([0.5, 0.7]),
    );
    const empty = niceScale([Number.NaN, null]);
    expect([empty.min, empty.max]).toEqual([0, 1]);
  });

  it('keeps ticks on whole numbers when asked', () => {
    for (const high of [1, 2, 3, 7, 49]) {
      const scale = niceScale([0, high], { integer: true });
      expect(scale.ticks.every(Number.isInteger)).toBe(true);
      expect(scale.max).toBeGreaterThanOrEqual(high);
    }
  });
});

describe('formatTick', () => {
  it('shows as many decimals as the step needs and never "-0"', () => {
    expect(formatTick(0.75, 0.05)).toBe('0.75');
    expect(formatTick(0.8, 0.05)).toBe('0.80');
    expect(formatTick(20, 10)).toBe('20');
    expect(formatTick(-0, 0.1)).toBe('0');
    expect(Number(formatTick(3e-7, 1e-7))).toBeCloseTo(3e-7, 12);
  });
});
