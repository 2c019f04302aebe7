import { describe, expect, it } from 'vitest';
import { formatChange, percentVs, relativeChange } from './change.js';

describe('relativeChange', () => {
  it('is the change in percent of the reference, against its magnitude', () => {
    expect(relativeChange(1.02, 1)).toBeCloseTo(2, 10);
    expect(relativeChange(0.9, 1)).toBeCloseTo(-10, 10);
    // Above a diverged baseline (−1) is a rise, not a fall.
    expect(relativeChange(-0.5, -1)).toBeCloseTo(50, 10);
  });

  it('is NaN against 0 or with a value that is not finite', () => {
    expect(relativeChange(1, 0)).toBeNaN();
    expect(relativeChange(Number.NaN, 1)).toBeNaN();
    expect(relativeChange(1, Number.POSITIVE_INFINITY)).toBeNaN();
  });
});

describe('formatChange and percentVs', () => {
  it('always sign the change, taking the sign from the exact value', () => {
    expect(formatChange(12.5)).toBe('+12.5%');
    expect(formatChange(-12.5)).toBe('-12.5%');
    expect(formatChange(0)).toBe('+0.0%');
    expect(formatChange(-0.04)).toBe('-0.0%');
    expect(formatChange(2.346, 2)).toBe('+2.35%');
    expect(formatChange(Number.NaN)).toBeNull();
    expect(formatChange(null)).toBeNull();
  });

  it('percentVs compares against a reference, null where there is none', () => {
    expect(percentVs(0.9, 0.8)).toBe('+12.5%');
    expect(percentVs(0.7, 0.8)).toBe('-12.5%');
    expect(percentVs(0.5, -1)).toBe('+150.0%');
    expect(percentVs(0.7, null)).toBeNull();
    expect(percentVs(0.7, 0)).toBeNull();
  });
});
