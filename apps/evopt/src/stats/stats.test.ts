import { describe, expect, it } from 'vitest';
import { bootstrapMean, pairedTTest } from './stats.js';

describe('bootstrapMean', () => {
  it('brackets the mean, and the interval narrows as seeds agree', () => {
    const spread = bootstrapMean([0.9, 0.95, 0.97, 0.99, 0.93], { seed: 1 });
    const tight = bootstrapMean([0.95, 0.951, 0.949, 0.95, 0.95], { seed: 1 });
    expect(spread.mean).toBeCloseTo(0.948, 10);
    expect(spread.low).toBeLessThan(spread.mean);
    expect(spread.high).toBeGreaterThan(spread.mean);
    expect(spread.low).toBeGreaterThanOrEqual(0.9);
    expect(spread.high).toBeLessThanOrEqual(0.99);
    expect(tight.high - tight.low).toBeLessThan((spread.high - spread.low) / 10);
  });

  it('is reproducible for a seed and drops non-finite values', () => {
    const values = [1, 2, 3, Number.NaN, 4];
    expect(bootstrapMean(values, { seed: 7 })).toEqual(bootstrapMean(values, { seed: 7 }));
    expect(bootstrapMean(values, { seed: 7 }).n).toBe(4);
    expect(bootstrapMean([], {}).mean).toBeNaN();
    expect(bootstrapMean([0.5])).toEqual({ mean: 0.5, low: 0.5, high: 0.5, n: 1 });
  });
});

describe('pairedTTest', () => {
  it("gives the published result for Student's sleep data (R: t.test(extra ~ group, data = sleep, paired = TRUE))", () => {
    // Extra hours of sleep under two drugs, ten patients (Cushny & Peebles 1905, analysed in
    // Student 1908; R's datasets::sleep). R prints t = -4.0621, df = 9, p-value = 0.002833.
    const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const result = pairedTTest(drug1, drug2);
    expect(result.statistic).toBeCloseTo(-4.0621, 4);
    expect(result.df).toBe(9);
    expect(result.pValue).toBeCloseTo(0.002833, 6);
    expect(result.meanDifference).toBeCloseTo(-1.58, 12);
    // One-sided, half of it on the side the difference falls.
    expect(pairedTTest(drug1, drug2, { alternative: 'less' }).pValue).toBeCloseTo(0.002833 / 2, 6);
  });

  it('finds a consistent improvement significant one-sided, and not the other way', () => {
    const a = [0.91, 0.93, 0.95, 0.92, 0.94];
    const b = [0.9, 0.915, 0.94, 0.905, 0.93];
    const greater = pairedTTest(a, b, { alternative: 'greater' });
    expect(greater.pValue).toBeLessThan(0.01);
    expect(greater.meanDifference).toBeCloseTo(0.012, 10);
    expect(pairedTTest(a, b, { alternative: 'less' }).pValue).toBeGreaterThan(0.99);
    expect(pairedTTest(a, b).pValue).toBeCloseTo(2 * greater.pValue, 10);
  });

  it('pairs by seed: a shared seed effect does not hide a small steady gain', () => {
    const seedEffect = [0.1, -0.2, 0.3, -0.1, 0.0];
    const a = seedEffect.map((s) => 0.8 + s + 0.01);
    const b = seedEffect.map((s) => 0.8 + s);
    const noise = [0.001, -0.001, 0.0005, 0, -0.0005];
    expect(
      pairedTTest(
        a.map((x, i) => x + (noise[i] as number)),
        b,
        { alternative: 'greater' },
      ).pValue,
    ).toBeLessThan(0.001);
  });

  it('handles equal values and zero spread without NaN, and too few pairs with NaN', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).pValue).toBe(1);
    expect(pairedTTest([1, 2, 3], [0.5, 1.5, 2.5], { alternative: 'greater' }).pValue).toBe(0);
    expect(pairedTTest([1, 2, 3], [0.5, 1.5, 2.5], { alternative: 'less' }).pValue).toBe(1);
    expect(pairedTTest([1], [0]).pValue).toBeNaN();
  });

  it('does not call rounding noise a difference', () => {
    // 0.1 + 0.2 is 5.6e-17 above 0.3: the same score reached by another sum.
    const sum = 0.1 + 0.2;
    expect(pairedTTest([sum, sum, sum], [0.3, 0.3, 0.3]).pValue).toBe(1);
    expect(pairedTTest([sum, sum, sum], [0.3, 0.3, 0.3], { alternative: 'greater' }).pValue).toBe(0.5);
  });

  it('tests against a margin: mu shifts the null', () => {
    const a = [0.95, 0.951, 0.949, 0.952, 0.948];
    const b = [0.96, 0.959, 0.961, 0.958, 0.962];
    // a is 0.01 worse: a regression at margin 0.001, not at margin 0.05.
    expect(pairedTTest(a, b, { alternative: 'less', mu: -0.001 }).pValue).toBeLessThan(0.01);
    expect(pairedTTest(a, b, { alternative: 'less', mu: -0.05 }).pValue).toBeGreaterThan(0.99);
  });
});
