import { EvoptError, isEvoptError } from '../errors.js';
import type { EvaluationRecord, EvaluationRequest } from '../evaluation.js';
import { evaluationKeyString } from '../evaluation.js';
import type { EventBus, GenomeEntry, ScoredGenome } from '../events.js';
import type { Genome } from '../genome/schema.js';
import type { GeneticEngine, EngineState } from '../engine/engine.js';
import { aggregateFitness, mean, median } from '../engine/fitness.js';
import type { Evaluator } from '../plugin/contracts.js';
import { deriveSeed } from '../rng.js';
import type { EvaluationCache } from './cache.js';
import { renderSummary, type GenerationSummary } from './summary.js';

/** What the checkpoint holds: the engine, plus the run's memory of its best and its history. */
export interface RunCheckpoint {
  readonly engine: EngineState;
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
 * The seed of one evaluation. It depends on the run seed, the task and the seed index, not on the
 * genome or on scheduling: every genome sees the same initialisations and batches for seed k
 * (common random numbers), so fitness differences come from the optimizers, not from luck.
 */
export function evaluationSeed(runSeed: number, task: string, seedIndex: number): number {
  return deriveSeed(runSeed, task, seedIndex);
}

function requestsFor(population: readonly GenomeEntry[], settings: EvolutionSettings): EvaluationRequest[] {
  const requests: EvaluationRequest[] = [];
  for (const { hash, genome } of population) {
    for (const task of settings.tasks) {
      for (let seedIndex = 0; seedIndex < settings.seeds; seedIndex++) {
        requests.push({ hash, genome, task, seedIndex, steps: settings.steps, seed: evaluationSeed(settings.seed, task, seedIndex) });
      }
    }
  }
  return requests;
}

function termCounts(population: readonly GenomeEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { genome } of population) for (const id of new Set(genome.terms.map((t) => t.primitive))) counts[id] = (counts[id] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Distinct term structures (sets of primitives) over population size. */
function diversity(population: readonly GenomeEntry[]): number {
  const structures = new Set(population.map(({ genome }) => genome.terms.map((t) => t.primitive).sort().join('+')));
  return population.length === 0 ? 0 : structures.size / population.length;
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
  if (!deps.restored && !engine.done) await persistence.saveCheckpoint({ engine: engine.state, best, history, baselines });

  while (!engine.done) {
    const generation = engine.generation;
    const entries = engine.ask();
    const all = requestsFor(entries, settings);
    const missing = all.filter((r) => !cache.has(r));
    const hits = all.filter((r) => cache.has(r));
    bus.emit({ type: 'generation-started', generation, population: entries, toEvaluate: missing.length, cached: hits.length });
    for (const hit of hits) {
      bus.emit({ type: 'cache-hit', generation, hash: hit.hash, task: hit.task, seedIndex: hit.seedIndex, steps: hit.steps });
    }

    const lastProgress = new Map<string, number>();
    try {
      await evaluator.evaluate(missing, {
        started: (r, worker) => bus.emit({ type: 'evaluation-started', hash: r.hash, task: r.task, seedIndex: r.seedIndex, steps: r.steps, worker }),
        progress: (r, worker, p) => {
          const key = evaluationKeyString(r);
          const now = Date.now();
          if (now - (lastProgress.get(key) ?? 0) < progressInterval && p.step < p.totalSteps) return;
          lastProgress.set(key, now);
          bus.emit({ type: 'evaluation-progress', hash: r.hash, task: r.task, seedIndex: r.seedIndex, steps: r.steps, worker, ...p });
        },
        finished: (record) => {
          if (cache.set(record)) bus.emit({ type: 'evaluation-finished', record });
        },
        workerStatus: (worker, status, detail) => bus.emit({ type: 'worker-status', worker, status, ...(detail ? { detail } : {}) }),
        workerInfo: (worker, info) => bus.emit({ type: 'worker-info', worker, ...info }),
      }, deps.signal);
    } catch (error) {
      if (isEvoptError(error, 'ABORTED') || deps.signal?.aborted) {
        bus.emit({ type: 'run-stopped', runId: settings.runId, generation, reason: 'stopped by the user; resume with `evopt resume`' });
        return { status: 'stopped', generation, best, population };
      }
      throw error;
    }

    const fresh = missing.map((r) => cache.get(r)).filter((r): r is EvaluationRecord => r !== undefined);
    if (fresh.length > 0 && fresh.every((r) => r.status === 'failed')) {
      // Nothing a GA can select from: a broken task or plugin, not a bad genome. Stop and say why.
      throw new EvoptError('EVALUATION_FAILED', `Every evaluation of generation ${generation + 1} failed. The first error: ${fresh[0]?.error?.message ?? 'unknown'}`, {
        fix: 'Fix the cause above (a task option, a missing dataset, a plugin bug), then `evopt resume` the run: finished work is kept.',
        details: { generation, failed: fresh.length },
      });
    }
    const generationRecords = all.map((r) => {
      const record = cache.get(r);
      if (!record) throw new EvoptError('INTERNAL', `The evaluator returned without a record for ${evaluationKeyString(r)}.`);
      return record;
    });
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
      baselines = Object.fromEntries(settings.baselineIds.map((id, i) => [id, population.find((p) => p.hash === entries[i]?.hash)?.fitness ?? Number.NaN]));
    }
    bus.emit({ type: 'generation-finished', generation, best: generationBest, mean: summary.mean, median: summary.median, termCounts: termCounts(entries), diversity: diversity(entries), evaluated: summary.evaluated, cached: summary.cached, diverged: summary.diverged, failed: summary.failed });
    if (!best || generationBest.fitness > best.fitness) {
      bus.emit({ type: 'new-best', generation, best: generationBest, previousFitness: best?.fitness ?? null });
      best = generationBest;
      await persistence.writeBest({ runId: settings.runId, generation, ...best });
    }

    engine.tell(new Map(population.map((p) => [p.hash, p.fitness])));
    await persistence.saveCheckpoint({ engine: engine.state, best, history, baselines });
    bus.emit({ type: 'checkpoint-saved', generation, path: 'checkpoint.json' });
  }

  if (best) {
    await persistence.writeSummary(renderSummary({ runId: settings.runId, preset: settings.preset, seed: settings.seed, tasks: settings.tasks, best, history, baselines }));
    bus.emit({ type: 'run-finished', runId: settings.runId, generations: history.length, best, evaluations: cache.size, cacheHits: history.reduce((n, h) => n + h.cached, 0), baselines });
  }
  return { status: 'finished', generation: engine.generation, best, population };
}

