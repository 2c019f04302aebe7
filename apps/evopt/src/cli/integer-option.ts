import { InvalidArgumentError } from 'commander';

/**
 * Commander's argument parser for a whole-number option such as `--seeds <n>`. Only decimal
 * digits (with a leading minus) count: `Number()` would also take "", " ", "0x10" and "1e3", and
 * an empty `--seed ''` must not become seed 0. Values past 2^53 are refused, not rounded.
 */
export function integerOption(name: string, min: number): (value: string) => number {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${value}".`);
    }
    return n;
  };
}
