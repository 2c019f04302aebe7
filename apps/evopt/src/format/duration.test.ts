import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.js';

describe('formatDuration', () => {
  it('reads as milliseconds, seconds, minutes, hours or days', () => {
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(850.4)).toBe('850ms');
    expect(formatDuration(4_400)).toBe('4.4s');
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(75_000)).toBe('1m15s');
    expect(formatDuration(3_725_000)).toBe('1h02m');
    expect(formatDuration(50 * 3_600_000 + 5 * 60_000)).toBe('2d02h');
  });

  it('moves to the next unit where rounding would print a 60 or a 1000', () => {
    expect(formatDuration(999.7)).toBe('1.0s');
    expect(formatDuration(9_960)).toBe('10s');
    expect(formatDuration(59_600)).toBe('1m00s');
    // 1 h 59 min 59 s is still under two hours.
    expect(formatDuration(7_199_000)).toBe('1h59m');
  });

  it('is at most six columns up to 99 days, 0 below zero, and a dash when unknown', () => {
    const longest = [999, 9_949, 59_499, 3_599_000, 47 * 3_600_000 + 3_599_000, 99 * 86_400_000];
    for (const ms of longest) expect(formatDuration(ms).length).toBeLessThanOrEqual(6);
    expect(formatDuration(-5)).toBe('0ms');
    expect(formatDuration(Number.NaN)).toBe('—');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('—');
  });
});
