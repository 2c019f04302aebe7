import { EvoptError, isEvoptError } from '../errors.js';
import type { EvaluationRequest, EvaluationSink } from '../evaluation.js';
import type { GenomeEntry, ScoredGenome } from '../events.js';
import { aggregateFitness } from '../engine/fitness.js';
import { mean, median } from '../stats/summary.js';
import type { SteadyStateBirth, SteadyStateEngine } from '../engine/steady-state.js';
import type { Evaluator } from '../plugin/contracts.js';
import type { EvolutionDependencies, EvolutionResult, EvolutionSettings } from './evolution.js';
import { diversity, evaluationSink, finishRun, recordsFor, requestsFor, termCounts } from './shared.js';
import type { GenerationSummary } from './summary.js';

export interface SteadyStateRunSettings extends EvolutionSettings {
  /** Genomes evaluated at once: enough to keep every worker busy. */
  readonly inFlight: number;
}

export interface SteadyStateDependencies extends Omit<EvolutionDependencies, 'engine'> {
  readonly engine: SteadyStateEngine;
}

/** Counts over the tells of one "generation", for its generation-finished event. */
interface Tally {
  evaluated: number;
  cached: number;
  diverged: number;
  failed: number;
  /** Of the `evaluated` (fresh, not cached) records, those that failed. */
  freshFailed: number;
}

const emptyTally = (): Tally => ({ evaluated: 0, cached: 0, diverged: 0, failed: 0, freshFailed: 0 });

/**
 * Drives a steady-state run: `inFlight` genomes are evaluated at once, each in its own evaluate
 * call; when one finishes it is told to the engine at once, and a new child takes its place. Tells
 * run one at a time, in the order evaluations finish, each followed by a checkpoint, so a stop
 * loses nothing: the genomes in flight are in the checkpoint and evaluated again on resume (their
 * finished records come from the cache). Every populationSize − elites tells close a "generation"
 * with the usual generation-finished event, so the TUI, reports and summaries read as for a
 * generational run of the same budget.
 */
export async function runSteadyState(
  settings: SteadyStateRunSettings,
  deps: SteadyStateDependencies,
): Promise<EvolutionResult> {
  const { engine, cache, persistence, bus } = deps;
  let best = deps.restored?.best ?? null;
  const history = [...(deps.restored?.history ?? [])];
  let baselines = { ...(deps.restored?.baselines ?? {}) };
  let population: ScoredGenome[] = [];
  const sink = evaluationSink(bus, cache, deps.progressIntervalMs ?? 500);
  const evaluate = concurrentEvaluate(deps.evaluator);
  const checkpoint = () => persistence.saveCheckpoint({ engine: engine.state, best, history, baselines });
  if (!deps.restored && !engine.done) await checkpoint();

  const scoreOf = (entry: GenomeEntry): ScoredGenome => {
    const records = requestsFor([entry], settings).flatMap((r) => cache.get(r) ?? []);
    const { fitness, perTask } = aggregateFitness(records);
    return { hash: entry.hash, genome: entry.genome, fitness, perTask, formula: deps.formula(entry.genome) };
  };
  const startGeneration = (generation: number): void => {
    const { population: members, initial } = engine.state;
    const entries = generation === 0 ? [...members, ...engine.pending, ...initial] : members;
    bus.emit({
      type: 'generation-started',
      generation,
      population: entries.map(({ hash, genome }) => ({ hash, genome })),
      toEvaluate: engine.tellsIn(generation) * settings.tasks.length * settings.seeds,
      cached: 0,
    });
  };

  let tally = emptyTally();
  /** Closes a "generation": its summary and events, and the stop rule for a broken task. */
  const finishGeneration = (generation: number): void => {
    if (tally.evaluated > 0 && tally.freshFailed === tally.evaluated) {
      throw new EvoptError('EVALUATION_FAILED', `Every evaluation of generation ${generation + 1} failed.`, {
        fix: 'Fix the cause (see the failed records: a task option, a missing dataset, a plugin bug), then `evopt resume` the run: finished work is kept.',
        details: { generation, failed: tally.freshFailed },
      });
    }
    population = engine.state.population.map(scoreOf).sort((a, b) => b.fitness - a.fitness);
    const top = population[0] as ScoredGenome;
    const fitnesses = population.map((p) => p.fitness);
    const summary: GenerationSummary = {
      generation,
      best: top.fitness,
      mean: mean(fitnesses),
      median: median(fitnesses),
      bestHash: top.hash,
      evaluated: tally.evaluated,
      cached: tally.cached,
      diverged: tally.diverged,
      failed: tally.failed,
    };
    history.push(summary);
    const members = engine.state.population;
    bus.emit({
      type: 'generation-finished',
      generation,
      best: top,
      mean: summary.mean,
      median: summary.median,
      termCounts: termCounts(members),
      diversity: diversity(members),
      evaluated: tally.evaluated,
      cached: tally.cached,
      diverged: tally.diverged,
      failed: tally.failed,
    });
    tally = emptyTally();
  };
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  let failure: unknown = null;
  let running = 0;
  const active = new Set<Promise<void>>();
  /** Tells run one at a time, each with its checkpoint. */
  let tells: Promise<void> = Promise.resolve();

  const tell = async (
    entry: SteadyStateBirth,
    requests: readonly EvaluationRequest[],
    fresh: readonly EvaluationRequest[],
  ): Promise<void> => {
    const records = recordsFor(requests, cache);
    const scored = scoreOf(entry);
    // Generation 0's first genomes are the baselines: their fitness is the run's reference.
    const baseline = settings.baselineIds[engine.state.initialHashes.indexOf(entry.hash)];
    if (baseline !== undefined && entry.born < engine.state.initialHashes.length) {
      const known: Record<string, number> = { ...baselines, [baseline]: scored.fitness };
      baselines = Object.fromEntries(
        settings.baselineIds.filter((id) => id in known).map((id) => [id, known[id] as number]),
      );
    }
    const generation = engine.generation;
    const result = engine.tell(entry.hash, scored.fitness);
    tally.evaluated += fresh.length;
    tally.cached += requests.length - fresh.length;
    tally.diverged += records.filter((r) => r.status === 'diverged').length;
    tally.failed += records.filter((r) => r.status === 'failed').length;
    tally.freshFailed += fresh.filter((r) => cache.get(r)?.status === 'failed').length;
    bus.emit({
      type: 'genome-told',
      generation,
      told: engine.state.told,
      hash: entry.hash,
      genome: entry.genome,
      fitness: scored.fitness,
      admitted: result.admitted,
      replaced: result.replaced,
    });
    if (!best || scored.fitness > best.fitness) {
      bus.emit({ type: 'new-best', generation, best: scored, previousFitness: best?.fitness ?? null });
      best = scored;
      await persistence.writeBest({ runId: settings.runId, generation, ...best });
    }
    const ended = engine.atGenerationEnd;
    if (ended) finishGeneration(generation);
    await checkpoint();
    if (ended) {
      bus.emit({ type: 'checkpoint-saved', generation, path: 'checkpoint.json' });
      if (!engine.done) startGeneration(generation + 1);
    }
  };

  const launch = (entry: SteadyStateBirth): void => {
    running++;
    const requests = requestsFor([entry], settings);
    const fresh = requests.filter((r) => !cache.has(r));
    for (const hit of requests.filter((r) => cache.has(r))) {
      bus.emit({
        type: 'cache-hit',
        generation: engine.generation,
        hash: hit.hash,
        task: hit.task,
        seedIndex: hit.seedIndex,
        steps: hit.steps,
      });
    }
    const task = evaluate(fresh, sink, stop.signal)
      .then(() => {
        running--;
        tells = tells.then(() => tell(entry, requests, fresh));
        return tells;
      })
      .then(fill)
      .catch((error: unknown) => {
        failure ??= error;
        stop.abort();
      });
    active.add(task);
    void task.finally(() => active.delete(task));
  };
  function fill(): void {
    while (failure === null && !stop.signal.aborted && running < settings.inFlight) {
      const next = engine.next();
      if (next.kind !== 'genome') return;
      launch(next.entry);
    }
  }

  if (!engine.done) startGeneration(engine.generation);
  // A resumed run first evaluates the genomes that were in flight when it stopped.
  for (const entry of engine.pending) launch(entry);
  fill();
  while (active.size > 0) await Promise.race(active);
  deps.signal?.removeEventListener('abort', onAbort);

  if (deps.signal?.aborted || isEvoptError(failure, 'ABORTED')) {
    bus.emit({
      type: 'run-stopped',
      runId: settings.runId,
      generation: engine.generation,
      reason: 'stopped by the user; resume with `evopt resume`',
    });
    return { status: 'stopped', generation: engine.generation, best, population };
  }
  if (failure !== null) throw failure;
  if (!engine.done)
    throw new EvoptError(
      'INTERNAL',
      `The steady-state run stalled after ${engine.state.told} tells with nothing in flight.`,
    );
  await finishRun(settings, deps, best, history, baselines);
  return { status: 'finished', generation: engine.generation, best, population };
}

/** The evaluator's evaluate, called one at a time when it cannot overlap calls (the barrier then comes back). */
function concurrentEvaluate(
  evaluator: Evaluator,
): (requests: readonly EvaluationRequest[], sink: EvaluationSink, signal: AbortSignal) => Promise<void> {
  if (evaluator.concurrent) return (requests, sink, signal) => evaluator.evaluate(requests, sink, signal);
  let queue: Promise<unknown> = Promise.resolve();
  return (requests, sink, signal) => {
    const run = queue.then(() => evaluator.evaluate(requests, sink, signal));
    queue = run.catch(() => undefined);
    return run;
  };
}
