import { deriveSeed, EvoptError } from '@evopt/core';
import type { EvaluationItem, EvaluationOutcome } from '@evopt/core';
import { PopulationGenomeOptimizer, StackedModel, trainPopulation } from '@evopt/tfjs';
import type { BackendInfo } from '@evopt/tfjs';
import { evaluateItem, scoredOutcome, type ItemContext } from './evaluate-item.js';

/** What a population evaluation needs: an item's context, with progress per member. */
export interface PopulationContext extends Omit<ItemContext, 'onProgress'> {
  readonly onProgress: (member: number, progress: Parameters<ItemContext['onProgress']>[0]) => void;
}

/**
 * How many genomes a worker trains together for the task option `population`: 'auto' stacks
 * every same-seed genome of a batch when the backend is tensorflow on a GPU, where one small
 * model leaves the device idle, and trains one at a time elsewhere (wasm and cpu gain nothing).
 */
export function populationSize(option: 'auto' | number, backend: BackendInfo): number {
  if (option !== 'auto') return option;
  return backend.name === 'tensorflow' && backend.devices.some((device) => /GPU/i.test(device))
    ? Number.POSITIVE_INFINITY
    : 1;
}

/**
 * Groups of item indices that can train as one population: consecutive items with the same seed
 * and steps (they share the model init and the batches), at most `size` per group.
 */
export function populationGroups(items: readonly EvaluationItem[], size: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  items.forEach((item, index) => {
    const first = current[0] === undefined ? undefined : items[current[0]];
    if (first && (first.seed !== item.seed || first.steps !== item.steps || current.length >= size)) {
      groups.push(current);
      current = [];
    }
    current.push(index);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The outcome with metric `populationSize`: how many genomes were trained together with it (journaled). */
function withPopulationSize(outcome: EvaluationOutcome, size: number): EvaluationOutcome {
  return { ...outcome, metrics: { ...outcome.metrics, populationSize: size } };
}

/**
 * Trains the genomes of `items` (all of one seed and one step count) together as one population
 * model, and scores each member as {@link evaluateItem} scores a genome trained alone; the
 * results equal one-by-one training up to float rounding (plugins/vision/src/population.test.ts).
 */
export async function evaluatePopulation(
  items: readonly EvaluationItem[],
  context: PopulationContext,
): Promise<EvaluationOutcome[]> {
  const first = items[0];
  if (!first) return [];
  if (items.some((item) => item.seed !== first.seed || item.steps !== first.steps)) {
    throw new EvoptError('INTERNAL', 'A population must share one seed and one step count.', {
      fix: 'Group items with populationGroups before calling evaluatePopulation.',
    });
  }
  if (items.length === 1)
    return [
      withPopulationSize(
        await evaluateItem(first, { ...context, onProgress: (progress) => context.onProgress(0, progress) }),
        1,
      ),
    ];
  const template = context.createModel(first.seed);
  let model: StackedModel | undefined;
  let optimizer: PopulationGenomeOptimizer | undefined;
  try {
    model = new StackedModel(template, items.length);
    optimizer = new PopulationGenomeOptimizer(
      items.map((item) => item.genome),
      { totalSteps: first.steps, registries: context.registries },
    );
    const results = await trainPopulation({
      model,
      optimizer,
      steps: first.steps,
      nextBatch: context.createBatches(deriveSeed('batches', first.seed)),
      onProgress: context.onProgress,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    const finite = model.membersFinite();
    const stacked = model;
    return results.map((result, member) =>
      withPopulationSize(
        scoredOutcome(
          result,
          finite[member] ?? false,
          () => context.score(stacked.member(member)),
          context.accuracyMetric,
        ),
        items.length,
      ),
    );
  } finally {
    template.dispose();
    model?.dispose();
    optimizer?.dispose();
  }
}
