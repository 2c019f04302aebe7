import {
  evaluationKeyString,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
} from '../evaluation.js';
import type { EventBus, GenomeEntry, ScoredGenome } from '../events.js';
import { EvoptError } from '../errors.js';
import { deriveSeed } from '../rng.js';
import type { EvaluationCache } from './cache.js';
import type { EvolutionDependencies, EvolutionSettings } from './evolution.js';
import { renderSummary, type GenerationSummary } from './summary.js';

// What the generational and the steady-state loops share.

/**
 * The seed of one evaluation. It depends on the run seed, the task and the seed index, not on the
 * genome or on scheduling: every genome sees the same initialisations and batches for seed k
 * (common random numbers), so fitness differences come from the optimizers, not from luck.
 */
export function evaluationSeed(runSeed: number, task: string, seedIndex: number): number {
  return deriveSeed(runSeed, task, seedIndex);
}

export function requestsFor(population: readonly GenomeEntry[], settings: EvolutionSettings): EvaluationRequest[] {
  const requests: EvaluationRequest[] = [];
  for (const { hash, genome } of population) {
    for (const task of settings.tasks) {
      for (let seedIndex = 0; seedIndex < settings.seeds; seedIndex++) {
        requests.push({
          hash,
          genome,
          task,
          seedIndex,
          steps: settings.steps,
          seed: evaluationSeed(settings.seed, task, seedIndex),
        });
      }
    }
  }
  return requests;
}

export function termCounts(population: readonly GenomeEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { genome } of population)
    for (const id of new Set(genome.terms.map((t) => t.primitive))) counts[id] = (counts[id] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Distinct term structures (sets of primitives) over population size. */
export function diversity(population: readonly GenomeEntry[]): number {
  const structures = new Set(
    population.map(({ genome }) =>
      genome.terms
        .map((t) => t.primitive)
        .sort()
        .join('+'),
    ),
  );
  return population.length === 0 ? 0 : structures.size / population.length;
}

/** Every record of a finished genome; a missing one is evopt's bug (the evaluator skipped a request). */
export function recordsFor(requests: readonly EvaluationRequest[], cache: EvaluationCache): EvaluationRecord[] {
  return requests.map((r) => {
    const record = cache.get(r);
    if (!record)
      throw new EvoptError('INTERNAL', `The evaluator returned without a record for ${evaluationKeyString(r)}.`);
    return record;
  });
}

/** The sink every evaluate call gets: records go to the cache and, when new, the journal; progress is throttled. */
export function evaluationSink(bus: EventBus, cache: EvaluationCache, progressIntervalMs: number): EvaluationSink {
  const lastProgress = new Map<string, number>();
  return {
    started: (r, worker) =>
      bus.emit({
        type: 'evaluation-started',
        hash: r.hash,
        task: r.task,
        seedIndex: r.seedIndex,
        steps: r.steps,
        worker,
      }),
    progress: (r, worker, p) => {
      const key = evaluationKeyString(r);
      const now = Date.now();
      if (now - (lastProgress.get(key) ?? 0) < progressIntervalMs && p.step < p.totalSteps) return;
      lastProgress.set(key, now);
      bus.emit({
        type: 'evaluation-progress',
        hash: r.hash,
        task: r.task,
        seedIndex: r.seedIndex,
        steps: r.steps,
        worker,
        ...p,
      });
    },
    finished: (record) => {
      lastProgress.delete(evaluationKeyString(record));
      if (cache.set(record)) bus.emit({ type: 'evaluation-finished', record });
    },
    workerStatus: (worker, status, detail) =>
      bus.emit({ type: 'worker-status', worker, status, ...(detail ? { detail } : {}) }),
    workerInfo: (worker, info) => bus.emit({ type: 'worker-info', worker, ...info }),
  };
}

/** After the last generation: summary.md, then run-finished. */
export async function finishRun(
  settings: EvolutionSettings,
  deps: Pick<EvolutionDependencies, 'persistence' | 'bus' | 'cache'>,
  best: ScoredGenome | null,
  history: readonly GenerationSummary[],
  baselines: Readonly<Record<string, number>>,
): Promise<void> {
  if (!best) return;
  await deps.persistence.writeSummary(
    renderSummary({
      runId: settings.runId,
      preset: settings.preset,
      seed: settings.seed,
      tasks: settings.tasks,
      best,
      history,
      baselines,
    }),
  );
  deps.bus.emit({
    type: 'run-finished',
    runId: settings.runId,
    generations: history.length,
    best,
    evaluations: deps.cache.size,
    cacheHits: history.reduce((n, h) => n + h.cached, 0),
    baselines,
  });
}
