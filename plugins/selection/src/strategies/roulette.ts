import { defineSelection } from '@evopt/core';
import { assertSelectable } from '../selectable.js';
import { drawWeighted } from '../weighted.js';

/**
 * Fitness-proportional (roulette-wheel) selection. Fitness can be negative (diverged genomes score
 * −1), so it is shifted by the population's minimum first: the chance of a genome is proportional
 * to how far it is above the worst, and the worst is not chosen unless everyone ties, in which
 * case the draw is uniform.
 */
export const roulette = defineSelection({
  id: 'roulette',
  meta: {
    summary: "Roulette wheel: chances proportional to fitness above the population's worst.",
    docs: 'Weights are fitness − min(fitness), so negative and diverged (−1) fitness work; if all fitness is equal, every genome is equally likely.',
  },
  create: () => ({
    select(scored, count, rng) {
      assertSelectable('roulette', scored, count);
      if (count === 0) return [];
      const worst = scored.reduce((min, s) => Math.min(min, s.fitness), Infinity);
      return drawWeighted(
        scored.map((s) => s.fitness - worst),
        count,
        rng,
      );
    },
  }),
});
