import { describe, expect, it } from 'vitest';
import { baselineGenome } from './baselines.js';
import { formatNumber, renderHyperparameters } from './formula.js';

describe('formatNumber', () => {
  it('keeps three significant digits, switching to e-notation for small and large values', () => {
    expect(formatNumber(0.855)).toBe('0.855');
    expect(formatNumber(0.936)).toBe('0.936');
    expect(formatNumber(0.0012)).toBe('1.2e-3');
    expect(formatNumber(5.4e-9)).toBe('5.4e-9');
    expect(formatNumber(12345)).toBe('1.2e4');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(1)).toBe('1');
  });

  it('near 1 shows the digits that tell the value from 1 (β2 0.9996 is not "1")', () => {
    expect(formatNumber(0.9996)).toBe('0.9996');
    expect(formatNumber(0.999)).toBe('0.999');
    expect(formatNumber(0.9999)).toBe('0.9999');
    expect(formatNumber(0.99987)).toBe('0.99987');
    expect(formatNumber(0.96)).toBe('0.96');
    expect(formatNumber(1.0004)).toBe('1.0004');
    expect(formatNumber(-0.9996)).toBe('-0.9996');
    expect(formatNumber(1 - 1e-9)).toBe('0.999999999');
    // The largest double below 1 still reads as less than 1.
    expect(formatNumber(1 - 2 ** -53)).toBe('0.9999999999999999');
  });
});

describe('renderHyperparameters', () => {
  it('prints a β2 just below 1 with its digits', () => {
    const genome = { ...baselineGenome('adam'), beta2: 0.9996 };
    expect(renderHyperparameters(genome)).toContain('β2 0.9996 ·');
  });
});
