import { describe, expect, it } from 'vitest';
import { bar, pack, sparkline } from './text.js';

describe('text helpers for the TUI', () => {
  it('pack joins segments into lines that fit, never splitting one', () => {
    expect(pack(['preset smoke', 'seed 11', 'backend wasm', 'elapsed 3s'], 30)).toEqual([
      'preset smoke · seed 11',
      'backend wasm · elapsed 3s',
    ]);
    expect(pack(['a-very-long-segment-indeed'], 10)).toEqual(['a-very-lo…']);
  });

  it('pack counts a wide glyph as two columns', () => {
    // "梯度 0.5" is 8 columns (7 code points), "seed 1" 6: with " · " that is 17.
    expect(pack(['梯度 0.5', 'seed 1'], 16)).toEqual(['梯度 0.5', 'seed 1']);
    expect(pack(['梯度 0.5', 'seed 1'], 17)).toEqual(['梯度 0.5 · seed 1']);
  });

  it('bar and sparkline scale to their range; a non-finite value is a gap', () => {
    expect(bar(0.5, 8)).toBe('████░░░░');
    expect(bar(2, 4)).toBe('████');
    expect(sparkline([0, 0.5, 1, Number.NaN], 0, 1)).toBe('▁▅█ ');
    expect(sparkline([3, 3], 3, 3)).toBe('██');
  });
});
