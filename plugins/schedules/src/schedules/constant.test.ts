import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';

describe('constant', () => {
  it('is 1 at every step, whatever the run length', () => {
    expect([0, 1, 499, 5000].map((t) => constant.multiplier(t, 500, {}))).toEqual([1, 1, 1, 1]);
    expect(Object.keys(constant.meta.params)).toEqual([]);
  });
});
