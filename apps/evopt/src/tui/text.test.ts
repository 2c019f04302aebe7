import { describe, expect, it } from 'vitest';
import { bar, duration, fit, pack, percentVs, sparkline } from './text.js';

describe('text helpers for the TUI', () => {
  it('fit cuts to the width with …, counting code points (√, ε, · are one column each)', () => {
    expect(fit('0.73·sign(g) + 3.64·m/(√v+ε)', 12)).toBe('0.73·sign(g…');
    expect(fit('short', 12)).toBe('short');
    expect(fit('anything', 0)).toBe('');
  });

  it('pack joins segments into lines that fit, never splitting one', () => {
    expect(pack(['preset smoke', 'seed 11', 'backend wasm', 'elapsed 3s'], 30)).toEqual(['preset smoke · seed 11', 'backend wasm · elapsed 3s']);
    expect(pack(['a-very-long-segment-indeed'], 10)).toEqual(['a-very-lo…']);
  });

  it('duration reads as seconds, minutes or hours', () => {
    expect(duration(4_400)).toBe('4s');
    expect(duration(75_000)).toBe('1m15s');
    expect(duration(3_725_000)).toBe('1h02m');
  });

  it('bar and sparkline scale to their range; a non-finite value is a gap', () => {
    expect(bar(0.5, 8)).toBe('████░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(sparkline([0, 0.5, 1, Number.NaN], 0, 1)).toBe('▁▅█ ');
    expect(sparkline([3, 3], 3, 3)).toBe('██');
  });

  it('percentVs is the change against a positive reference, else null', () => {
    expect(percentVs(0.9, 0.8)).toBe('+12.5%');
    expect(percentVs(0.7, 0.8)).toBe('-12.5%');
    expect(percentVs(0.7, null)).toBeNull();
    expect(percentVs(0.7, -1)).toBeNull();
  });
});
