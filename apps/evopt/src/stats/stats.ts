import ttest from '@stdlib/stats-ttest';
import { mean as meanOf, quantile, Rng } from '@evopt/core';

/** Mean with a 95% (or `level`) percentile-bootstrap interval over seeds. */
export interface Estimate {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  /** Values it was computed from (non-finite ones dropped). */
  readonly n: number;
}

export interface BootstrapOptions {
  /** Seeds the resampling, so the same inputs always give the same interval. */
  readonly seed?: number;
  readonly resamples?: number;
  readonly level?: number;
}

/**
 * The mean and its percentile-bootstrap confidence interval: `resamples` means of samples drawn
 * with replacement, cut at (1 − level)/2 and (1 + level)/2. Deterministic for a given seed. With one
 * value the interval is that value; with none, everything is NaN.
 */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): Estimate {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n };
  const mean = meanOf(finite);
  if (n === 1) return { mean, low: mean, high: mean, n };
  const { seed = 0, resamples = 2000, level = 0.95 } = options;
  const rng = Rng.fromSeed(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += finite[rng.int(0, n - 1)] as number;
    means[r] = sum / n;
  }
  const resampled = Array.from(means);
  return { mean, low: quantile(resampled, (1 - level) / 2), high: quantile(resampled, (1 + level) / 2), n };
}

export type Alternative = 'two-sided' | 'less' | 'greater';

/** A paired t-test's outcome on the differences a − b (seed by seed). */
export interface PairedTest {
  readonly method: 'paired t-test';
  /** Mean of a − b. */
  readonly meanDifference: number;
  readonly statistic: number;
  readonly df: number;
  readonly pValue: number;
  readonly alternative: Alternative;
  /** The null hypothesis's mean difference. */
  readonly mu: number;
  /** Seeds used (pairs where both values are finite). */
  readonly n: number;
}

/**
 * Paired t-test of a against b over seeds (both trained with the same seeds, so the pairs share
 * initialisation and batches), via @stdlib/stats-ttest. H0: mean(a − b) = mu; `alternative`
 * 'greater' asks whether a beats b by more than mu. Differences with zero spread have no t
 * statistic: the p-value is then 0 or 1 according to the side the mean difference falls on (0.5
 * when it equals mu), so identical genomes never count as different. Fewer than two pairs: NaN.
 */
export function pairedTTest(
  a: readonly number[],
  b: readonly number[],
  options: { alternative?: Alternative; mu?: number } = {},
): PairedTest {
  const { alternative = 'two-sided', mu = 0 } = options;
  const diffs: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (Number.isFinite(d)) diffs.push(d);
  }
  const n = diffs.length;
  const base = { method: 'paired t-test' as const, alternative, mu, n };
  if (n < 2)
    return {
      ...base,
      meanDifference: n === 1 ? (diffs[0] as number) : Number.NaN,
      statistic: Number.NaN,
      df: n - 1,
      pValue: Number.NaN,
    };
  const meanDifference = meanOf(diffs);
  const spread = Math.max(...diffs) - Math.min(...diffs);
  // Rounding noise (0.1 + 0.2 − 0.3) is no difference: within this, values count as equal.
  const tolerance = 1e-12 * Math.max(1, Math.abs(meanDifference));
  if (spread <= tolerance) {
    const side = Math.abs(meanDifference - mu) <= tolerance ? 0 : Math.sign(meanDifference - mu);
    const pValue =
      side === 0
        ? alternative === 'two-sided'
          ? 1
          : 0.5
        : alternative === 'two-sided'
          ? 0
          : (alternative === 'greater') === side > 0
            ? 0
            : 1;
    return { ...base, meanDifference, statistic: side * Number.POSITIVE_INFINITY, df: n - 1, pValue };
  }
  const result = ttest(diffs, { alternative, mu });
  return { ...base, meanDifference, statistic: result.statistic, df: result.df, pValue: result.pValue };
}
