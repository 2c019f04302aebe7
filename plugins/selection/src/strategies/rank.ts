import { z } from 'zod';
import { defineSelection, type Scored } from '@evopt/core';
import { assertSelectable, bestFirst } from '../selectable.js';
import { drawWeighted } from '../weighted.js';

const options = z.strictObject({
  pressure: z
    .number()
    .min(1)
    .max(2)
    .default(1.5)
    .describe('Expected parents of the best genome, from 1 (uniform) to 2 (the worst never chosen).'),
});

/**
 * Rank of each genome from 0 (worst) to n − 1 (best); tied genomes share the mean of their ranks,
 * so equal fitness means equal chances.
 */
export function ranks(scored: readonly Scored[]): number[] {
  const order = bestFirst(scored).reverse();
  const result = new Array<number>(scored.length).fill(0);
  for (let start = 0; start < order.length;) {
    let end = start;
    const fitness = scored[order[start] as number]?.fitness;
    while (end + 1 < order.length && scored[order[end + 1] as number]?.fitness === fitness) end++;
    for (let i = start; i <= end; i++) result[order[i] as number] = (start + end) / 2;
    start = end + 1;
  }
  return result;
}

/**
 * Linear ranking selection (Baker): the genome of rank r among n is chosen with probability
 * ((2 − s) + 2(s − 1)·r/(n − 1))/n, where s is the selection pressure. Only the order of the
 * fitness matters, not its scale, so one outlier cannot take over.
 */
export const rank = defineSelection({
  id: 'rank',
  meta: {
    summary: 'Linear ranking: chances grow linearly with rank, with selection pressure s in [1, 2].',
    docs: 'The best genome expects s parents per n draws and the worst 2 − s. Ties share their ranks.',
    options,
  },
  create: ({ pressure }) => ({
    select(scored, count, rng) {
      assertSelectable('rank', scored, count);
      if (count === 0) return [];
      const n = scored.length;
      const weights = ranks(scored).map((r) => (n === 1 ? 1 : 2 - pressure + (2 * (pressure - 1) * r) / (n - 1)));
      return drawWeighted(weights, count, rng);
    },
  }),
});
