import { EvoptError, isEvoptError } from '../errors.js';
import type { EvaluationRecord } from '../evaluation.js';
import type { EventBus, ScoredGenome } from '../events.js';
import type { Genome } from '../genome/schema.js';
import type { GeneticEngine, EngineState } from '../engine/engine.js';
import type { SteadyStateEngineState } from '../engine/steady-state.js';
import { aggregateFitness } from '../engine/fitness.js';
import { mean, median } from '../stats/summary.js';
import type { Evaluator } from '../plugin/contracts.js';
import type { EvaluationCache } from './cache.js';
import { diversity, evaluationSink, finishRun, recordsFor, requestsFor, termCounts } from './shared.js';
import type { GenerationSummary } from './summary.js';

export { evaluationSeed } from './shared.js';

/** What the checkpoint holds: the engine, plus the run's memory of its best and its history. */
export interface RunCheckpoint {
  /** The generational engine's state, or the steady-state engine's (`ga.mode`). */
  readonly engine: EngineState | SteadyStateEngineState;
  readonly best: ScoredGenome | null;
  readonly history: readonly GenerationSummary[];
  readonly baselines: Readonly<Record<string, number>>;
}

/** Where a run persists (the run store implements it). */
export interface RunPersistence {
  saveCheckpoint(state: RunCheckpoint): Promise<unknown> | unknown;
  writeBest(best: unknown): Promise<unknown> | unknown;
  writeSummary(markdown: string): Promise<unknown> | unknown;
}

export interface EvolutionSettings {
  readonly runId: string;
  readonly seed: number;
  readonly preset: string | null;
  readonly tasks: readonly string[];
  readonly seeds: number;
  readonly steps: number;
  /** Baseline ids in the order they were seeded into generation 0 (for the summary). */
  readonly baselineIds: readonly string[];
}

export interface EvolutionDependencies {
  readonly engine: GeneticEngine;
  readonly evaluator: Evaluator;
  readonly cache: EvaluationCache;
  readonly persistence: RunPersistence;
  readonly bus: EventBus;
  readonly formula: (genome: Genome) => string;
  /** Restored from the checkpoint on resume. */
  readonly restored?: Pick<RunCheckpoint, 'best' | 'history' | 'baselines'>;
  /** Aborting stops the run gracefully: finished evaluations are journaled, the checkpoint stays. */
  readonly signal?: AbortSignal;
  /** Minimum ms between progress events for one evaluation. */
  readonly progressIntervalMs?: number;
}

export interface EvolutionResult {
  readonly status: 'finished' | 'stopped';
  readonly generation: number;
  readonly best: ScoredGenome | null;
  /** The last evaluated population with its fitness, best first. */
  readonly population: readonly ScoredGenome[];
}

/**
 * Drives a run: ask → evaluate what the cache lacks → tell, journaling every step through the bus
 * and checkpointing after each generation. Resuming is the same loop over a restored engine and a
 * cache replayed from the journal.
 */
export async function runEvolution(settings: EvolutionSettings, deps: EvolutionDependencies): Promise<EvolutionResult> {
  const { engine, evaluator, cache, persistence, bus } = deps;
  let best = deps.restored?.best ?? null;
  const history = [...(deps.restored?.history ?? [])];
  let baselines = { ...(deps.restored?.baselines ?? {}) };
  let population: ScoredGenome[] = [];
  const progressInterval = deps.progressIntervalMs ?? 500;
  // A checkpoint from the first moment: a run stopped in generation 0 resumes from it like any other.
  if (!deps.restored && !engine.done)
    await persistence.saveCheckpoint({ engine: engine.state, best, history, baselines });

  while (!engine.done) {
    const generation = engine.generation;
    const entries = engine.ask();
    const all = requestsFor(entries, settings);
    const missing = all.filter((r) => !cache.has(r));
    const hits = all.filter((r) => cache.has(r));
    bus.emit({
      type: 'generation-started',
      generation,
      population: entries,
      toEvaluate: missing.length,
      cached: hits.length,
    });
    for (const hit of hits) {
      bus.emit({
        type: 'cache-hit',
        generation,
        hash: hit.hash,
        task: hit.task,
        seedIndex: hit.seedIndex,
        steps: hit.steps,
      });
    }

    try {
      await evaluator.evaluate(missing, evaluationSink(bus, cache, progressInterval), deps.signal);
    } catch (error) {
      if (isEvoptError(error, 'ABORTED') || deps.signal?.aborted) {
        bus.emit({
          type: 'run-stopped',
          runId: settings.runId,
          generation,
          reason: 'stopped by the user; resume with `evopt resume`',
        });
        return { status: 'stopped', generation, best, population };
      }
      throw error;
    }

    const fresh = missing.map((r) => cache.get(r)).filter((r): r is EvaluationRecord => r !== undefined);
    if (fresh.length > 0 && fresh.every((r) => r.status === 'failed')) {
      // Nothing a GA can select from: a broken task or plugin, not a bad genome. Stop and say why.
      throw new EvoptError(
        'EVALUATION_FAILED',
        `Every evaluation of generation ${generation + 1} failed. The first error: ${fresh[0]?.error?.message ?? 'unknown'}`,
        {
          fix: 'Fix the cause above (a task option, a missing dataset, a plugin bug), then `evopt resume` the run: finished work is kept.',
          details: { generation, failed: fresh.length },
        },
      );
    }
    const generationRecords = recordsFor(all, cache);
    const byHash = new Map<string, EvaluationRecord[]>();
    for (const record of generationRecords) byHash.set(record.hash, [...(byHash.get(record.hash) ?? []), record]);
    population = entries
      .map((entry) => {
        const f = aggregateFitness(byHash.get(entry.hash) ?? []);
        return { ...entry, fitness: f.fitness, perTask: f.perTask, formula: deps.formula(entry.genome) };
      })
      .sort((a, b) => b.fitness - a.fitness);
    const generationBest = population[0] as ScoredGenome;
    const fitnesses = population.map((p) => p.fitness);
    const summary: GenerationSummary = {
      generation,
      best: generationBest.fitness,
      mean: mean(fitnesses),
      median: median(fitnesses),
      bestHash: generationBest.hash,
      evaluated: missing.length,
      cached: hits.length,
      diverged: generationRecords.filter((r) => r.status === 'diverged').length,
      failed: generationRecords.filter((r) => r.status === 'failed').length,
    };
    history.push(summary);
    if (generation === 0) {
      baselines = Object.fromEntries(
        settings.baselineIds.map((id, i) => [
          id,
          population.find((p) => p.hash === entries[i]?.hash)?.fitness ?? Number.NaN,
        ]),
      );
    }
    bus.emit({
      type: 'generation-finished',
      generation,
      best: generationBest,
      mean: summary.mean,
      median: summary.median,
      termCounts: termCounts(entries),
      diversity: diversity(entries),
      evaluated: summary.evaluated,
      cached: summary.cached,
      diverged: summary.diverged,
      failed: summary.failed,
    });
    if (!best || generationBest.fitness > best.fitness) {
      bus.emit({ type: 'new-best', generation, best: generationBest, previousFitness: best?.fitness ?? null });
      best = generationBest;
      await persistence.writeBest({ runId: settings.runId, generation, ...best });
    }

    engine.tell(new Map(population.map((p) => [p.hash, p.fitness])));
    await persistence.saveCheckpoint({ engine: engine.state, best, history, baselines });
    bus.emit({ type: 'checkpoint-saved', generation, path: 'checkpoint.json' });
  }

  await finishRun(settings, deps, best, history, baselines);
  return { status: 'finished', generation: engine.generation, best, population };
}
