import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { integerOption } from './integer-option.js';

describe('integerOption', () => {
  const seeds = integerOption('--seeds', 1);
  const seed = integerOption('--seed', 0);

  it('takes decimal whole numbers at or above the minimum', () => {
    expect(seeds('1')).toBe(1);
    expect(seeds('250')).toBe(250);
    expect(seed('0')).toBe(0);
    expect(integerOption('--offset', -5)('-3')).toBe(-3);
  });

  it('refuses what Number() would quietly accept, saying what it expected', () => {
    for (const value of ['', ' ', '0x10', '1e3', '2.0', '1.5', ' 7', 'seven', '9007199254740993']) {
      expect(() => seed(value), JSON.stringify(value)).toThrow(InvalidArgumentError);
    }
    expect(() => seeds('0')).toThrow('--seeds must be an integer ≥ 1, got "0".');
  });
});
