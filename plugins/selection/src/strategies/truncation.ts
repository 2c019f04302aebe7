import { z } from 'zod';
import { defineSelection } from '@evopt/core';
import { assertSelectable, bestFirst } from '../selectable.js';

const options = z.strictObject({
  fraction: z
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('Share of the population, best first, that may become parents.'),
});

/**
 * Truncation selection: parents are drawn uniformly from the best round(fraction·n) genomes (at
 * least one). Genomes tied with the last one inside the cut are inside it too, so the result
 * does not depend on the population's order.
 */
export const truncation = defineSelection({
  id: 'truncation',
  meta: {
    summary: 'Truncation: parents are drawn uniformly from the best fraction of the population.',
    docs: 'The cut keeps the best round(fraction·n) genomes (at least one), plus any tied with the last of them.',
    options,
  },
  create: ({ fraction }) => ({
    select(scored, count, rng) {
      assertSelectable('truncation', scored, count);
      if (count === 0) return [];
      const order = bestFirst(scored);
      const kept = Math.max(1, Math.round(fraction * scored.length));
      const threshold = scored[order[kept - 1] as number]?.fitness as number;
      const eligible = order.filter((i) => (scored[i]?.fitness as number) >= threshold);
      return Array.from({ length: count }, () => rng.pick(eligible));
    },
  }),
});
