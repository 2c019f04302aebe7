import { EvoptError } from '../errors.js';
import type { ResolvedConfig } from '../config/schema.js';
import { GeneticEngine, type EngineDependencies, type EngineSettings, type EngineState } from '../engine/engine.js';
import { SteadyStateEngine, type SteadyStateEngineState } from '../engine/steady-state.js';
import type { Evaluator } from '../plugin/contracts.js';
import { runEvolution, type EvolutionDependencies, type EvolutionResult, type EvolutionSettings } from './evolution.js';
import { runSteadyState } from './steady-state.js';

/** The GA of a run, by `ga.mode`. */
export type SearchEngine =
  | { readonly mode: 'generational'; readonly engine: GeneticEngine }
  | { readonly mode: 'steady-state'; readonly engine: SteadyStateEngine };

const SCHEMAS = { generational: 'evopt.engine/1', 'steady-state': 'evopt.steady-state/1' } as const;

/**
 * The engine `config.ga.mode` asks for: fresh from the run's seed, or restored from a checkpoint's
 * state. A checkpoint written in the other mode is refused, since its state means nothing to
 * this engine.
 */
export function createSearchEngine(
  config: ResolvedConfig,
  settings: EngineSettings,
  deps: EngineDependencies,
  restored: EngineState | SteadyStateEngineState | null,
): SearchEngine {
  const mode = config.ga.mode;
  if (restored && restored.schema !== SCHEMAS[mode]) {
    const other = restored.schema === SCHEMAS['steady-state'] ? 'steady-state' : 'generational';
    throw new EvoptError(
      'RUN_CORRUPT',
      `The run's checkpoint holds a ${other} GA, but its config says ga.mode "${mode}".`,
      {
        fix: `Resume it with ga.mode "${other}" (as it was started), or start a new run.`,
        details: { mode, checkpoint: restored.schema },
      },
    );
  }
  if (mode === 'steady-state') {
    const steady = { ...settings, replacement: config.ga.replacement };
    return {
      mode,
      engine: restored
        ? SteadyStateEngine.restore(steady, deps, restored as SteadyStateEngineState)
        : SteadyStateEngine.create(steady, deps, config.seed),
    };
  }
  return {
    mode,
    engine: restored
      ? GeneticEngine.restore(settings, deps, restored as EngineState)
      : GeneticEngine.create(settings, deps, config.seed),
  };
}

/** Genomes a steady-state run evaluates at once: `ga.inFlight`, or for 'auto' the evaluator's workers (half the population if it does not say). */
export function inFlightGenomes(config: ResolvedConfig, evaluator: Pick<Evaluator, 'workers'>): number {
  const setting = config.ga.inFlight;
  if (setting !== 'auto') return setting;
  return evaluator.workers ?? Math.ceil(config.ga.populationSize / 2);
}

/** Runs (or resumes) the search with the loop its engine needs. */
export function runSearch(
  search: SearchEngine,
  settings: EvolutionSettings & { readonly inFlight: number },
  deps: Omit<EvolutionDependencies, 'engine'>,
): Promise<EvolutionResult> {
  return search.mode === 'steady-state'
    ? runSteadyState(settings, { ...deps, engine: search.engine })
    : runEvolution(settings, { ...deps, engine: search.engine });
}
