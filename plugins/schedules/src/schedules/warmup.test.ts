import { describe, expect, it } from 'vitest';
import { warmup } from './warmup.js';

describe('warmup', () => {
  it('rises as (t+1)/W while t < W, then stays at 1', () => {
    const m = (t: number) => warmup.multiplier(t, 1000, { warmupSteps: 4 });
    expect([0, 1, 2, 3, 4, 5, 999].map(m)).toEqual([0.25, 0.5, 0.75, 1, 1, 1, 1]);
  });

  it('ignores the run length', () => {
    expect(warmup.multiplier(9, 10, { warmupSteps: 100 })).toBe(0.1);
    expect(warmup.multiplier(9, 1e6, { warmupSteps: 100 })).toBe(0.1);
  });

  it('uses the default warmup of 100 steps when params lack it', () => {
    expect(warmup.meta.params['warmupSteps']).toMatchObject({ min: 1, max: 1000, default: 100, integer: true });
    expect(warmup.multiplier(49, 500, {})).toBe(0.5);
  });
});
