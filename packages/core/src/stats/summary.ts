/**
 * Summary statistics over plain numbers, shared by the engine (generation mean and median), the
 * app (bootstrap intervals) and the benchmarks (overhead percentiles), so that "median" means one
 * thing everywhere. No values: NaN, never 0, so an empty list cannot pass for a real score. A NaN
 * among the values makes the result NaN, as the arithmetic mean does.
 */

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/**
 * The q-quantile (0 ≤ q ≤ 1), interpolated linearly between the two nearest order statistics:
 * R's type 7 and numpy's default, so q = 0.5 is the usual median. `values` need not be sorted.
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be between 0 and 1, got ${q}`);
  if (values.length === 0 || values.some(Number.isNaN)) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.ceil(position)] as number;
  // Equal neighbours (±Infinity included) need no interpolation, which would give NaN for ∞ − ∞.
  return low === high ? low : low + (high - low) * (position - below);
}

/** The middle value, or the mean of the two middle values; NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}
