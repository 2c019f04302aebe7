import type { Container } from 'inversify';
import {
  serializeError,
  createSearchEngine,
  inFlightGenomes,
  renderFormula,
  runSearch,
  type EvaluationCache,
  type EvolutionResult,
  type RunCheckpoint,
  type RunStore,
  type EvoptEvent,
  type EventInput,
} from '@evopt/core';
import { TOKENS } from './composition/tokens.js';

export interface SessionOptions {
  readonly container: Container;
  readonly store: RunStore;
  /** From the checkpoint, when resuming. */
  readonly checkpoint: RunCheckpoint | null;
  readonly cache: EvaluationCache;
  readonly resumed: boolean;
  /** Printers (plain, json) and later the TUI. */
  readonly listeners: readonly ((event: EvoptEvent) => void)[];
  /** Events to emit once the journal listens (warnings found while opening the run). */
  readonly pending?: readonly EventInput[];
  readonly signal: AbortSignal;
  /** Called once the evaluator exists, with what a UI may do to the running session. */
  readonly onControls?: (controls: SessionControls) => void;
}

/** What the TUI can do to a running session besides stopping it (stop = abort the signal). */
export interface SessionControls {
  /** False when the evaluator cannot hold back work (it has no setPaused). */
  readonly canPause: boolean;
  /** Stops (true) or restarts (false) handing out evaluations; running ones finish. Journaled. */
  setPaused(paused: boolean): void;
}

/** Events written with fsync: losing one would mean redoing an evaluation. */
const DURABLE = new Set<EvoptEvent['type']>([
  'evaluation-finished',
  'generation-finished',
  'run-finished',
  'run-failed',
  'run-stopped',
]);

/**
 * Runs (or resumes) an evolution: wires the journal and printers to the bus, restores the engine,
 * and drives runEvolution until it finishes, is stopped, or fails — journaling each outcome.
 */
export async function runSession(options: SessionOptions): Promise<EvolutionResult> {
  const { container, store } = options;
  const loaded = container.get(TOKENS.Config);
  const { config } = loaded;
  const { registries } = container.get(TOKENS.Registries);
  const bus = container.get(TOKENS.Bus);
  const offJournal = bus.on((event) => store.journal.append(event, { durable: DURABLE.has(event.type) }));
  const offListeners = options.listeners.map((listener) => bus.on(listener));
  for (const event of options.pending ?? []) bus.emit(event);
  const stale = store.lock.stale;
  if (stale) {
    bus.emit({
      type: 'warning',
      code: 'STALE_LOCK',
      message: `took over a stale run.lock (pid ${stale.pid} on ${stale.hostname}, ${stale.reason === 'owner-dead' ? 'no longer running' : 'unreadable'})`,
    });
  }

  const settings = container.get(TOKENS.EngineSettings);
  const deps = container.get(TOKENS.EngineDependencies);
  const search = createSearchEngine(config, settings, deps, options.checkpoint?.engine ?? null);
  const evaluator = container.get(TOKENS.Evaluator);
  let paused = false;
  options.onControls?.({
    canPause: typeof evaluator.setPaused === 'function',
    setPaused: (value) => {
      if (!evaluator.setPaused || value === paused) return;
      paused = value;
      evaluator.setPaused(value);
      bus.emit({ type: 'dispatch-paused', paused: value });
    },
  });
  bus.emit({
    type: 'run-started',
    runId: store.runId,
    resumed: options.resumed,
    preset: config.preset,
    seed: config.seed,
    populationSize: config.ga.populationSize,
    generations: config.ga.generations,
    tasks: config.tasks.map((t) => t.id),
    seeds: config.evaluation.seeds,
    steps: config.evaluation.steps,
    evaluator: evaluator.id,
    ...(evaluator.workers !== undefined && { workers: evaluator.workers }),
    baselines: config.ga.baselines,
    mode: search.mode,
  });
  try {
    return await runSearch(
      search,
      {
        runId: store.runId,
        seed: config.seed,
        preset: config.preset,
        tasks: config.tasks.map((t) => t.id),
        seeds: config.evaluation.seeds,
        steps: config.evaluation.steps,
        baselineIds: config.ga.baselines,
        inFlight: inFlightGenomes(config, evaluator),
      },
      {
        evaluator,
        cache: options.cache,
        persistence: store,
        bus,
        formula: (genome) => renderFormula(genome, registries),
        ...(options.checkpoint ? { restored: options.checkpoint } : {}),
        signal: options.signal,
      },
    );
  } catch (error) {
    bus.emit({ type: 'run-failed', runId: store.runId, error: serializeError(error) });
    throw error;
  } finally {
    await evaluator.close();
    offJournal();
    for (const off of offListeners) off();
  }
}
