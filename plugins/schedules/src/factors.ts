import { paper, type ScheduleParam } from '@evopt/core';

/**
 * The factors the schedules are built from, kept apart so that `warmup-cosine` is, by
 * construction, the product of `warmup` and `cosine` (the paper's semantics).
 */

/** Fraction of the run done at 0-based `step`, clamped to [0, 1] so steps past the end hold the final value. */
export function progress(step: number, totalSteps: number): number {
  if (totalSteps <= 0) return 1;
  return Math.min(1, Math.max(0, step / totalSteps));
}

/** The paper's warmup: (t+1)/W while t < W, then 1. */
export function warmupFactor(step: number, warmupSteps: number): number {
  return step < warmupSteps ? (step + 1) / warmupSteps : 1;
}

/** The paper's cosine decay, counted from step 0: 0.5·(1 + cos(π·t/T)). */
export function cosineFactor(step: number, totalSteps: number): number {
  return 0.5 * (1 + Math.cos(Math.PI * progress(step, totalSteps)));
}

/** The warmup length W, shared by `warmup` and `warmup-cosine`. */
export const WARMUP_STEPS_PARAM: ScheduleParam = {
  min: 1,
  max: 1000,
  // The paper's evolved genome warms up for 100 steps.
  default: paper.PAPER_EVOLVED.warmupSteps,
  integer: true,
  summary: 'Steps over which η rises linearly from lr/W to lr.',
};

/** Reads a param the registry filled in, falling back to its declared default. */
export function param(params: Readonly<Record<string, number>>, name: string, spec: ScheduleParam): number {
  return params[name] ?? spec.default;
}
