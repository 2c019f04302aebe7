import { z } from 'zod';
import { defineSelection, paper } from '@evopt/core';
import { assertSelectable } from '../selectable.js';

const options = z.strictObject({
  k: z
    .number()
    .int()
    .min(2)
    .default(paper.PAPER_GA.tournamentSize)
    .describe('Candidates per tournament (the paper uses 4).'),
});

/**
 * Tournament selection, the paper's strategy: each parent is the fittest of k candidates drawn
 * without replacement (all of them when k ≥ population size), so k = population size always
 * picks the best. Ties go to whichever tied candidate was drawn first.
 */
export const tournament = defineSelection({
  id: 'tournament',
  meta: {
    summary: 'Tournament: each parent is the fittest of k candidates drawn at random (paper: k = 4).',
    docs: 'Candidates are drawn without replacement. Larger k means stronger selection pressure.',
    options,
  },
  create: ({ k }) => ({
    select(scored, count, rng) {
      assertSelectable('tournament', scored, count);
      const size = Math.min(k, scored.length);
      // A partial Fisher–Yates shuffle of this pool draws each tournament; any order of the pool
      // is as good a starting point as the identity, so it is not reset between tournaments.
      const pool = [...scored.keys()];
      return Array.from({ length: count }, () => {
        let winner = -1;
        for (let i = 0; i < size; i++) {
          const j = rng.int(i, pool.length - 1);
          const candidate = pool[j] as number;
          pool[j] = pool[i] as number;
          pool[i] = candidate;
          if (winner < 0 || (scored[candidate]?.fitness as number) > (scored[winner]?.fitness as number))
            winner = candidate;
        }
        return winner;
      });
    },
  }),
});
