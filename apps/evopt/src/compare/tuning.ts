import { genomeHash, type CanonicalLookups } from '@evopt/core';
import type { TrialResults, TrialSubject } from '../trials/index.js';
import { estimateOf, fitnessPerSeed } from './analysis.js';
import type { TuningReport } from './report.js';

/**
 * The learning-rate grid --tune-baselines tries for each baseline, as multiples of its default
 * (Adam: 3e-4, 1e-3, 3e-3). Small on purpose: it costs one validation trial per point.
 */
export const TUNE_MULTIPLIERS: readonly number[] = [0.3, 1, 3];

/** Names the tuning seed stream: neither search nor the test trials draw from it. */
export const TUNE_SALT = 'tune';

/** One point of a baseline's grid. */
export interface TuningVariant {
  /** The baseline's label (adam, sgd-momentum…). */
  readonly baseline: string;
  readonly defaultLr: number;
  readonly multiplier: number;
  /** The baseline with this learning rate, labelled `adam@lr=3e-4`. */
  readonly subject: TrialSubject;
}

/** A learning rate without the float noise of the multiplication (0.3 × 1e-3 → 3e-4). */
function scaledLr(lr: number, multiplier: number): number {
  return Number((lr * multiplier).toPrecision(6));
}

/** Every baseline at every multiple of its default learning rate. */
export function tuningVariants(
  baselines: readonly TrialSubject[],
  lookups: CanonicalLookups,
  multipliers: readonly number[] = TUNE_MULTIPLIERS,
): TuningVariant[] {
  return baselines.flatMap((baseline) =>
    multipliers.map((multiplier) => {
      const lr = scaledLr(baseline.genome.lr, multiplier);
      const genome = { ...baseline.genome, lr };
      return {
        baseline: baseline.label,
        defaultLr: baseline.genome.lr,
        multiplier,
        subject: {
          label: `${baseline.label}@lr=${lr}`,
          kind: baseline.kind,
          genome,
          hash: genomeHash(genome, lookups),
        },
      };
    }),
  );
}

/** Ties within this go to the grid point nearest the default (then the smaller learning rate). */
const TIE = 1e-12;

/**
 * Per baseline, the grid point with the best mean validation fitness (mean over tasks and seeds,
 * −1 for a diverged seed). Ties go to the multiplier nearest ×1, so a flat grid keeps the default.
 * A point without records can only win when no point has any.
 */
export function selectLearningRates(
  results: TrialResults,
  variants: readonly TuningVariant[],
): Map<string, { subject: TrialSubject; tuning: TuningReport }> {
  const byBaseline = new Map<string, TuningVariant[]>();
  for (const v of variants) byBaseline.set(v.baseline, [...(byBaseline.get(v.baseline) ?? []), v]);
  const chosen = new Map<string, { subject: TrialSubject; tuning: TuningReport }>();
  for (const [baseline, points] of byBaseline) {
    const grid = points.map((v) => ({
      multiplier: v.multiplier,
      lr: v.subject.genome.lr,
      hash: v.subject.hash,
      fitness: estimateOf(fitnessPerSeed(results, v.subject.hash), results.plan.seed),
    }));
    const score = (i: number) => grid[i]?.fitness.mean ?? Number.NEGATIVE_INFINITY;
    const distance = (i: number) => Math.abs(Math.log(points[i]?.multiplier ?? 1));
    let best = 0;
    for (let i = 1; i < points.length; i++) {
      const better = score(i) > score(best) + TIE;
      const tied = Math.abs(score(i) - score(best)) <= TIE || score(i) === score(best);
      const nearer =
        distance(i) < distance(best) || (distance(i) === distance(best) && (grid[i]?.lr ?? 0) < (grid[best]?.lr ?? 0));
      if (better || (tied && nearer)) best = i;
    }
    const winner = points[best] as TuningVariant;
    chosen.set(baseline, {
      subject: { ...winner.subject, label: baseline },
      tuning: {
        defaultLr: winner.defaultLr,
        chosenLr: winner.subject.genome.lr,
        chosenMultiplier: winner.multiplier,
        grid,
      },
    });
  }
  return chosen;
}
