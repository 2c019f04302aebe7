import { ReferenceOptimizer, Rng, paper } from '@evopt/core';
import type { EvaluationItem, EvaluationOutcome, EvaluationProgress, ReadonlyRegistries } from '@evopt/core';

/** The settings of the noisy quadratic (the task's options, defaults filled in). */
export interface QuadraticSettings {
  readonly dims: number;
  /** Ratio of the largest curvature to the smallest. */
  readonly condition: number;
  /** Standard deviation of the Gaussian noise added to every gradient coordinate. */
  readonly noise: number;
  readonly delayMs: number;
  readonly delayPer: 'evaluation' | 'step';
}

/** How many final losses the score averages. Ours; the paper's tail (50) suits real training. */
export const QUADRATIC_LOSS_TAIL = 10;

/** How often progress is reported, at most. */
export const QUADRATIC_PROGRESS_MS = 100;

/** Curvatures λᵢ spaced geometrically from 1 to `condition`. */
export function curvatures(dims: number, condition: number): number[] {
  return Array.from({ length: dims }, (_, i) => (dims === 1 ? 1 : condition ** (i / (dims - 1))));
}

/** f(w) = ½ Σ λᵢ wᵢ². */
export function quadraticLoss(w: readonly number[], lambda: readonly number[]): number {
  return 0.5 * w.reduce((sum, x, i) => sum + (lambda[i] ?? 0) * x * x, 0);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Trains one genome on the noisy quadratic with the reference optimizer. Deterministic: the
 * start point and the gradient noise come from an Rng seeded with `item.seed`. The start is
 * scaled so every coordinate contributes equally and the initial loss is about ½, far below
 * the divergence threshold. Score: 1 / (1 + mean of the last {@link QUADRATIC_LOSS_TAIL} losses).
 */
export async function trainQuadratic(
  item: EvaluationItem,
  settings: QuadraticSettings,
  registries: Pick<ReadonlyRegistries, 'primitives' | 'schedules'>,
  onProgress: (progress: EvaluationProgress) => void,
): Promise<EvaluationOutcome> {
  const { divergenceLoss, divergedScore } = paper.PAPER_FITNESS;
  const lambda = curvatures(settings.dims, settings.condition);
  const rng = Rng.fromSeed(item.seed);
  let w = lambda.map((l) => rng.normal() / Math.sqrt(l * settings.dims));
  const initialLoss = quadraticLoss(w, lambda);
  const optimizer = new ReferenceOptimizer(item.genome, registries, item.steps);
  const tail: number[] = [];
  const began = performance.now();
  let reported = began;
  let loss = initialLoss;

  if (settings.delayPer === 'evaluation' && settings.delayMs > 0) await sleep(settings.delayMs);
  for (let step = 0; step < item.steps; step++) {
    const gradient = w.map((x, i) => (lambda[i] ?? 0) * x + settings.noise * rng.normal());
    w = optimizer.update(w, gradient);
    loss = quadraticLoss(w, lambda);
    if (!Number.isFinite(loss) || loss > divergenceLoss) {
      return {
        status: 'diverged',
        score: divergedScore,
        metrics: { initialLoss, divergedAtStep: step },
        stepsCompleted: step + 1,
      };
    }
    tail.push(loss);
    if (tail.length > QUADRATIC_LOSS_TAIL) tail.shift();
    const now = performance.now();
    if (now - reported >= QUADRATIC_PROGRESS_MS) {
      reported = now;
      onProgress({ step: step + 1, totalSteps: item.steps, loss, stepsPerSecond: ((step + 1) * 1000) / (now - began) });
    }
    if (settings.delayPer === 'step' && settings.delayMs > 0) await sleep(settings.delayMs);
  }
  const elapsed = Math.max(performance.now() - began, 1e-3);
  onProgress({ step: item.steps, totalSteps: item.steps, loss, stepsPerSecond: (item.steps * 1000) / elapsed });
  const lossTailMean = tail.length > 0 ? tail.reduce((a, b) => a + b, 0) / tail.length : initialLoss;
  return {
    status: 'ok',
    score: 1 / (1 + lossTailMean),
    metrics: { finalLoss: loss, lossTailMean, initialLoss },
    stepsCompleted: item.steps,
  };
}
