import type { Rng } from '@evopt/core';

/**
 * `count` indices drawn with probability proportional to `weights` (all finite and ≥ 0). An entry
 * of weight 0 is never drawn; when every weight is 0 the draw is uniform.
 */
export function drawWeighted(weights: readonly number[], count: number, rng: Rng): number[] {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  if (!(total > 0)) return Array.from({ length: count }, () => rng.int(0, weights.length - 1));
  // The last entry with weight > 0: the answer when rounding puts the draw at the very top.
  const last = weights.findLastIndex((w) => w > 0);
  return Array.from({ length: count }, () => {
    const x = rng.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return (cumulative[lo] as number) > x ? lo : last;
  });
}
