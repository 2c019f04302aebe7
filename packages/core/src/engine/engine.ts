import { Rng, type RngState } from '../rng.js';
import { canonicalize, genomeHash, type CanonicalLookups } from '../genome/canonical.js';
import type { Genome } from '../genome/schema.js';
import type { GenomeEntry } from '../events.js';
import type { SelectionStrategy } from '../plugin/contracts.js';
import { EvoptError } from '../errors.js';
import { crossover } from './crossover.js';
import { annealRates, mutate, type MutationRates } from './mutation.js';
import { randomGenome, randomTerm } from './operators.js';
import type { GenomeSpace } from './space.js';

export interface EngineSettings {
  readonly populationSize: number;
  readonly generations: number;
  readonly elites: number;
  readonly crossoverRate: number;
  readonly mutation: MutationRates;
}

export interface EngineDependencies {
  readonly space: GenomeSpace;
  readonly selection: SelectionStrategy;
  readonly lookups: CanonicalLookups;
  /** Genomes seeded into generation 0 before the random ones (the paper's baselines). */
  readonly seeds: readonly Genome[];
}

/** Everything needed to continue exactly where the engine stopped; it goes into the checkpoint. */
export interface EngineState {
  readonly schema: 'evopt.engine/1';
  /** 0-based index of the generation `population` belongs to. */
  readonly generation: number;
  readonly population: readonly GenomeEntry[];
  readonly rng: RngState;
  /** True once the last generation has been told. */
  readonly done: boolean;
}

/** Breeding retries before a duplicate child is accepted (a tiny space can run out of new genomes). */
export const MAX_BREED_ATTEMPTS = 16;

/** The canonical genome and its hash; an empty term list gets a random term. */
export function canonicalEntry(genome: Genome, deps: EngineDependencies, rng: Rng): GenomeEntry {
  let canonical = canonicalize(genome, deps.lookups);
  while (canonical.terms.length === 0)
    canonical = canonicalize({ ...canonical, terms: [randomTerm(deps.space, rng)] }, deps.lookups);
  return { hash: genomeHash(canonical, deps.lookups), genome: canonical };
}

/**
 * One child (not yet canonical): two parents chosen by the selection strategy, crossed over with
 * probability `crossoverRate` (else a copy of the first), then mutated at `rates`.
 */
export function breedChild(
  scored: readonly { readonly entry: GenomeEntry; readonly fitness: number }[],
  deps: EngineDependencies,
  crossoverRate: number,
  rates: MutationRates,
  rng: Rng,
): Genome {
  const [i, j] = deps.selection.select(scored, 2, rng) as [number, number];
  const a = (scored[i] ?? scored[0])!.entry.genome;
  const b = (scored[j] ?? scored[0])!.entry.genome;
  const child = rng.bool(crossoverRate) ? crossover(a, b, deps.space, rng) : structuredClone(a);
  return mutate(child, deps.space, rates, rng);
}

/**
 * The genetic algorithm as ask/tell over explicit state (evosax, Optuna): `ask()` gives the
 * generation's population, `tell(fitness)` breeds the next one with elitism, selection, the
 * paper's crossover and annealed mutation. Genomes are kept canonical and named by hash; the
 * population never holds the same canonical genome twice unless the space is exhausted.
 */
export class GeneticEngine {
  private constructor(
    private readonly settings: EngineSettings,
    private readonly deps: EngineDependencies,
    private current: EngineState,
  ) {}

  /** A fresh run: generation 0 is the seeds, then random genomes, all drawn from `seed`. */
  static create(settings: EngineSettings, deps: EngineDependencies, seed: number): GeneticEngine {
    if (settings.elites >= settings.populationSize) {
      throw new EvoptError(
        'CONFIG_INVALID',
        `ga.elites (${settings.elites}) must be smaller than ga.populationSize (${settings.populationSize}).`,
        { fix: 'Lower ga.elites or raise ga.populationSize.' },
      );
    }
    const rng = Rng.fromSeed(seed);
    const engine = new GeneticEngine(settings, deps, {
      schema: 'evopt.engine/1',
      generation: 0,
      population: [],
      rng: rng.state(),
      done: false,
    });
    const population: GenomeEntry[] = [];
    const seen = new Set<string>();
    for (const genome of deps.seeds.slice(0, settings.populationSize))
      engine.admit(genome, population, seen, rng, true);
    let attempts = 0;
    while (population.length < settings.populationSize) {
      attempts++;
      engine.admit(
        randomGenome(deps.space, rng),
        population,
        seen,
        rng,
        attempts > settings.populationSize * MAX_BREED_ATTEMPTS,
      );
    }
    engine.current = { ...engine.current, population, rng: rng.state() };
    return engine;
  }

  static restore(settings: EngineSettings, deps: EngineDependencies, state: EngineState): GeneticEngine {
    if (state.schema !== 'evopt.engine/1') {
      throw new EvoptError('RUN_CORRUPT', `Unknown engine state schema ${JSON.stringify(state.schema)}.`, {
        fix: 'Resume with the evopt version that wrote the checkpoint.',
      });
    }
    return new GeneticEngine(settings, deps, state);
  }

  get state(): EngineState {
    return this.current;
  }

  get generation(): number {
    return this.current.generation;
  }

  get done(): boolean {
    return this.current.done;
  }

  ask(): readonly GenomeEntry[] {
    return this.current.population;
  }

  private admit(genome: Genome, population: GenomeEntry[], seen: Set<string>, rng: Rng, force: boolean): boolean {
    const entry = canonicalEntry(genome, this.deps, rng);
    if (seen.has(entry.hash) && !force) return false;
    seen.add(entry.hash);
    population.push(entry);
    return true;
  }

  /**
   * Scores for the current population (by hash; a missing score counts as −1), then breeds the
   * next generation, or marks the run done after the last one.
   */
  tell(fitness: ReadonlyMap<string, number>): void {
    if (this.current.done) throw new EvoptError('INTERNAL', 'tell() after the last generation.');
    const { populationSize, generations, elites, crossoverRate } = this.settings;
    const population = this.current.population;
    const scored = population.map((entry, index) => ({ entry, index, fitness: fitness.get(entry.hash) ?? -1 }));
    if (this.current.generation + 1 >= generations) {
      this.current = { ...this.current, done: true };
      return;
    }
    const rng = Rng.fromState(this.current.rng);
    const ranked = [...scored].sort((a, b) => b.fitness - a.fitness || a.index - b.index);
    const next: GenomeEntry[] = [];
    const seen = new Set<string>();
    for (const { entry } of ranked.slice(0, elites)) {
      next.push(entry);
      seen.add(entry.hash);
    }
    const rates = annealRates(this.settings.mutation, this.current.generation, generations);
    while (next.length < populationSize) {
      for (let attempt = 1; ; attempt++) {
        if (
          this.admit(
            breedChild(scored, this.deps, crossoverRate, rates, rng),
            next,
            seen,
            rng,
            attempt >= MAX_BREED_ATTEMPTS,
          )
        )
          break;
      }
    }
    this.current = {
      schema: 'evopt.engine/1',
      generation: this.current.generation + 1,
      population: next,
      rng: rng.state(),
      done: false,
    };
  }
}
