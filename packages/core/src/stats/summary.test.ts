import { describe, expect, it } from 'vitest';
import { mean, median, quantile } from './summary.js';

describe('mean', () => {
  it('is the arithmetic mean, NaN with no values or a NaN among them', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([-1, 0.5])).toBe(-0.25);
    expect(mean([])).toBeNaN();
    expect(mean([1, Number.NaN])).toBeNaN();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones, of unsorted values', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics (R type 7, numpy default)', () => {
    const oneToTen = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    // numpy.quantile(range(1, 11), 0.9) == 9.1; numpy.quantile([10, 20, 30, 40], 0.25) == 17.5
    expect(quantile(oneToTen, 0.9)).toBeCloseTo(9.1, 12);
    expect(quantile([40, 10, 30, 20], 0.25)).toBe(17.5);
    expect(quantile(oneToTen, 0)).toBe(1);
    expect(quantile(oneToTen, 1)).toBe(10);
  });

  it('leaves its input in order, handles infinities, and refuses a q outside [0, 1]', () => {
    const values = [3, 1, 2];
    quantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
    expect(quantile([Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1], 0.75)).toBe(Number.POSITIVE_INFINITY);
    expect(quantile([1, Number.NaN], 0.5)).toBeNaN();
    expect(() => quantile([1], 1.5)).toThrow(/between 0 and 1, got 1.5/);
  });
});
