import { defineTask } from '@evopt/core';
import type { EvaluationOutcome, TaskInstance } from '@evopt/core';
import { z } from 'zod';
import { trainQuadratic } from './quadratic-problem.js';

const lrSwitch = z.number().positive().nullable().default(null);

/** Options of `testing/quadratic`; every field has a default. */
export const quadraticOptions = z.strictObject({
  dims: z.int().min(1).max(10_000).default(8),
  condition: z.number().min(1).default(10),
  noise: z.number().min(0).default(0.1),
  /** A sleep, so tests can stop a run mid-generation. */
  delayMs: z.number().min(0).default(0),
  /** Sleep `delayMs` once per evaluation, or after every step. */
  delayPer: z.enum(['evaluation', 'step']).default('evaluation'),
  /** Throw when a genome's lr equals this: a poison genome. */
  crashOnLr: lrSwitch,
  /** Call process.exit(1) when a genome's lr equals this: a worker crash. Never use it inline. */
  exitOnLr: lrSwitch,
});

export type QuadraticOptions = z.output<typeof quadraticOptions>;

/**
 * A deterministic stand-in for a real training task: it minimises a noisy, ill-conditioned
 * quadratic with the genome's reference optimizer, in milliseconds and without tensors. The same
 * genome and seed always give the same score, so tests of the engine, the evaluators, the run
 * store and the TUI can assert exact numbers.
 */
export const quadraticTask = defineTask<QuadraticOptions>({
  id: 'testing/quadratic',
  meta: {
    summary: 'Minimises a noisy, ill-conditioned quadratic with the reference optimizer (a test double).',
    docs: [
      'Loss ½ Σ λᵢ wᵢ², curvatures from 1 to `condition`, Gaussian gradient noise `noise`.',
      "Score 1 / (1 + mean of the last 10 losses); a loss that is not finite or exceeds the paper's divergence threshold scores −1 as diverged.",
      '`crashOnLr` and `exitOnLr` make one genome throw or kill its worker, for failure tests.',
    ].join('\n'),
    options: quadraticOptions,
  },
  create(options, context): TaskInstance {
    return {
      async evaluate(items, { onProgress }) {
        const outcomes: EvaluationOutcome[] = [];
        for (const [index, item] of items.entries()) {
          if (item.genome.lr === options.exitOnLr) process.exit(1);
          if (item.genome.lr === options.crashOnLr) {
            throw new Error(
              `genome ${item.hash} has lr ${item.genome.lr}, which this task was told to crash on (crashOnLr)`,
            );
          }
          outcomes.push(
            await trainQuadratic(item, options, context.registries, (progress) => onProgress(index, progress)),
          );
        }
        return outcomes;
      },
    };
  },
});
