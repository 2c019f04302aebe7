import { EvoptError, paper, type Scored } from '@evopt/core';

/**
 * Checks what every strategy relies on: a non-negative integer count, something to choose from,
 * and finite fitness. A caller that breaks these has a bug, so the message says which.
 */
export function assertSelectable(strategy: string, scored: readonly Scored[], count: number): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new EvoptError(
      'INTERNAL',
      `Selection "${strategy}" was asked for ${count} parents; the count must be a non-negative integer.`,
      {
        fix: 'Pass the number of parents to choose, e.g. population size minus elites.',
        details: { strategy, count },
      },
    );
  }
  if (count > 0 && scored.length === 0) {
    throw new EvoptError(
      'INTERNAL',
      `Selection "${strategy}" was asked for ${count} parents from an empty population.`,
      {
        fix: 'Score at least one genome before selecting parents.',
        details: { strategy, count },
      },
    );
  }
  const bad = scored.findIndex((s) => typeof s?.fitness !== 'number' || !Number.isFinite(s.fitness));
  if (bad >= 0) {
    throw new EvoptError(
      'INTERNAL',
      `Selection "${strategy}" got fitness ${String(scored[bad]?.fitness)} at index ${bad}; fitness must be a finite number.`,
      {
        fix: `Score a diverged genome ${paper.PAPER_FITNESS.divergedScore} (the paper's convention) instead of NaN or ±Infinity.`,
        details: { strategy, index: bad },
      },
    );
  }
}

/** Indices of `scored`, best first; equal fitness keeps index order, so the result is deterministic. */
export function bestFirst(scored: readonly Scored[]): number[] {
  return [...scored.keys()].sort((a, b) => (scored[b]?.fitness ?? 0) - (scored[a]?.fitness ?? 0) || a - b);
}
