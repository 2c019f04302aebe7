import { Rng, type RngState } from '../rng.js';
import type { Genome } from '../genome/schema.js';
import type { GenomeEntry } from '../events.js';
import type { Replacement } from '../config/schema.js';
import { EvoptError } from '../errors.js';
import { annealRates } from './mutation.js';
import { randomGenome } from './operators.js';
import {
  breedChild,
  canonicalEntry,
  MAX_BREED_ATTEMPTS,
  type EngineDependencies,
  type EngineSettings,
} from './engine.js';

export interface SteadyStateSettings extends EngineSettings {
  /** Which member a child displaces once the population is full. */
  readonly replacement: Replacement;
}

/** A scored member of a steady-state population. */
export interface SteadyStateMember extends GenomeEntry {
  readonly fitness: number;
  /** Birth order (0-based): the initial genomes first, then every child in the order it was bred. */
  readonly born: number;
}

/** A genome handed out for evaluation and not yet told. */
export interface SteadyStateBirth extends GenomeEntry {
  readonly born: number;
}

/** Everything needed to continue exactly where the engine stopped; it goes into the checkpoint. */
export interface SteadyStateEngineState {
  readonly schema: 'evopt.steady-state/1';
  /** Scored members, at most populationSize. */
  readonly population: readonly SteadyStateMember[];
  /** Hashes of generation 0 in order (its first genomes are the baselines). */
  readonly initialHashes: readonly string[];
  /** Generation-0 genomes not yet handed out. */
  readonly initial: readonly GenomeEntry[];
  /** Handed out, not yet told: a resumed run evaluates these again (finished ones come from the cache). */
  readonly pending: readonly SteadyStateBirth[];
  /** Genomes handed out so far. */
  readonly births: number;
  /** Genomes told so far. */
  readonly told: number;
  readonly rng: RngState;
  /** True once the whole budget has been told. */
  readonly done: boolean;
}

/** What to evaluate next, or why there is nothing. */
export type SteadyStateNext =
  | { readonly kind: 'genome'; readonly entry: SteadyStateBirth }
  /** Nothing can be bred until more genomes are told (too few scored, or the budget is handed out). */
  | { readonly kind: 'wait' }
  | { readonly kind: 'done' };

export interface SteadyStateTold {
  /** Whether the genome joined the population (a 'worst' replacement rejects a child worse than every member). */
  readonly admitted: boolean;
  /** The member it displaced, if any. */
  readonly replaced: string | null;
}

/**
 * The asynchronous (steady-state) GA as next/tell: `next()` hands out one genome whenever a
 * worker is free, `tell(hash, fitness)` puts it into the population as soon as it is scored. No
 * generation waits for its slowest evaluation. The budget is the generational run's: generation
 * 0's genomes plus (generations − 1) × (populationSize − elites) children, so both modes score the
 * same number of genomes, and every (populationSize − elites) tells count as one "generation" for
 * reports (`epochEnd`).
 *
 * Breeding starts once half of generation 0 is scored, so the first children are not bred from
 * whichever genomes happened to finish first (diverging ones finish fastest). Parents come from the
 * selection strategy over the current members; children get the mutation rates of the generation
 * they count towards. 'worst' replacement displaces the worst member if the child beats it (so it
 * is elitist); 'oldest' displaces the oldest member outside the top `elites` (aging evolution,
 * which forgets lucky scores under noisy fitness).
 *
 * Given the same order of tells the engine is deterministic; that order is the evaluators', so
 * unlike generational runs, steady-state runs with several workers need not repeat exactly.
 */
export class SteadyStateEngine {
  private constructor(
    private readonly settings: SteadyStateSettings,
    private readonly deps: EngineDependencies,
    private current: SteadyStateEngineState,
  ) {}

  /** A fresh run: generation 0 is the seeds, then random genomes, all drawn from `seed` (as in {@link GeneticEngine}). */
  static create(settings: SteadyStateSettings, deps: EngineDependencies, seed: number): SteadyStateEngine {
    assertSettings(settings);
    const rng = Rng.fromSeed(seed);
    const initial: GenomeEntry[] = [];
    const seen = new Set<string>();
    const admit = (genome: Genome, force: boolean): void => {
      const entry = canonicalEntry(genome, deps, rng);
      if (seen.has(entry.hash) && !force) return;
      seen.add(entry.hash);
      initial.push(entry);
    };
    for (const genome of deps.seeds.slice(0, settings.populationSize)) admit(genome, true);
    let attempts = 0;
    while (initial.length < settings.populationSize) {
      attempts++;
      admit(randomGenome(deps.space, rng), attempts > settings.populationSize * MAX_BREED_ATTEMPTS);
    }
    return new SteadyStateEngine(settings, deps, {
      schema: 'evopt.steady-state/1',
      population: [],
      initialHashes: initial.map((e) => e.hash),
      initial,
      pending: [],
      births: 0,
      told: 0,
      rng: rng.state(),
      done: false,
    });
  }

  static restore(
    settings: SteadyStateSettings,
    deps: EngineDependencies,
    state: SteadyStateEngineState,
  ): SteadyStateEngine {
    assertSettings(settings);
    if (state.schema !== 'evopt.steady-state/1') {
      throw new EvoptError('RUN_CORRUPT', `Unknown steady-state engine schema ${JSON.stringify(state.schema)}.`, {
        fix: 'Resume with the evopt version that wrote the checkpoint.',
      });
    }
    return new SteadyStateEngine(settings, deps, state);
  }

  /** Genomes scored over the whole run: generation 0, then the children. */
  static budget(settings: EngineSettings): number {
    return settings.populationSize + (settings.generations - 1) * (settings.populationSize - settings.elites);
  }

  /** The number of tells after which "generation" `epoch` (0-based) is complete. */
  static epochEnd(settings: EngineSettings, epoch: number): number {
    return settings.populationSize + epoch * (settings.populationSize - settings.elites);
  }

  /** The "generation" the `told`-th tell (0-based) counts towards. */
  static epochOf(settings: EngineSettings, told: number): number {
    if (told < settings.populationSize) return 0;
    return Math.min(
      settings.generations - 1,
      1 + Math.floor((told - settings.populationSize) / (settings.populationSize - settings.elites)),
    );
  }

  /** The "generation" the next tell counts towards (every populationSize − elites tells after generation 0). */
  get generation(): number {
    return SteadyStateEngine.epochOf(this.settings, this.current.told);
  }

  /** Tells that make up "generation" `generation`: populationSize for the first, populationSize − elites after. */
  tellsIn(generation: number): number {
    return generation === 0 ? this.settings.populationSize : this.settings.populationSize - this.settings.elites;
  }

  /** True when the tells so far just completed a generation. */
  get atGenerationEnd(): boolean {
    const { told } = this.current;
    return (
      told > 0 && told === SteadyStateEngine.epochEnd(this.settings, SteadyStateEngine.epochOf(this.settings, told - 1))
    );
  }

  get state(): SteadyStateEngineState {
    return this.current;
  }

  get done(): boolean {
    return this.current.done;
  }

  /** The genomes handed out and not yet told (a resumed run evaluates them first). */
  get pending(): readonly SteadyStateBirth[] {
    return this.current.pending;
  }

  /** The next genome to evaluate: generation 0's first, then children of the current members. */
  next(): SteadyStateNext {
    const state = this.current;
    if (state.done) return { kind: 'done' };
    const budget = SteadyStateEngine.budget(this.settings);
    if (state.births >= budget) return { kind: 'wait' };
    const [first, ...rest] = state.initial;
    if (first) {
      const entry = { ...first, born: state.births };
      this.current = { ...state, initial: rest, pending: [...state.pending, entry], births: state.births + 1 };
      return { kind: 'genome', entry };
    }
    if (state.population.length < Math.ceil(this.settings.populationSize / 2)) return { kind: 'wait' };

    const rng = Rng.fromState(state.rng);
    const scored = state.population.map((member) => ({ entry: member, fitness: member.fitness }));
    const childIndex = state.births - this.settings.populationSize;
    const generation = 1 + Math.floor(childIndex / (this.settings.populationSize - this.settings.elites));
    const rates = annealRates(
      this.settings.mutation,
      Math.min(generation, this.settings.generations - 1) - 1,
      this.settings.generations,
    );
    const taken = new Set([...state.population.map((m) => m.hash), ...state.pending.map((p) => p.hash)]);
    let child = canonicalEntry(breedChild(scored, this.deps, this.settings.crossoverRate, rates, rng), this.deps, rng);
    for (let attempt = 2; taken.has(child.hash) && attempt <= MAX_BREED_ATTEMPTS; attempt++) {
      child = canonicalEntry(breedChild(scored, this.deps, this.settings.crossoverRate, rates, rng), this.deps, rng);
    }
    const entry = { ...child, born: state.births };
    this.current = { ...state, pending: [...state.pending, entry], births: state.births + 1, rng: rng.state() };
    return { kind: 'genome', entry };
  }

  /** Puts a handed-out genome into the population with its fitness. */
  tell(hash: string, fitness: number): SteadyStateTold {
    const state = this.current;
    const index = state.pending.findIndex((p) => p.hash === hash);
    const birth = state.pending[index];
    if (!birth)
      throw new EvoptError(
        'INTERNAL',
        `tell(${hash.slice(0, 12)}) for a genome that was not handed out (or was told already).`,
      );
    const pending = state.pending.filter((_, i) => i !== index);
    const member: SteadyStateMember = { hash: birth.hash, genome: birth.genome, born: birth.born, fitness };
    const told = state.told + 1;
    const done = told >= SteadyStateEngine.budget(this.settings);
    let population = state.population;
    let result: SteadyStateTold;
    if (population.length < this.settings.populationSize) {
      population = [...population, member];
      result = { admitted: true, replaced: null };
    } else {
      const victim = this.victim(population, member);
      if (victim === null) result = { admitted: false, replaced: null };
      else {
        result = { admitted: true, replaced: victim.hash };
        population = [...population.filter((m) => m !== victim), member];
      }
    }
    this.current = { ...state, population, pending, told, done };
    return result;
  }

  /** The member `child` displaces, or null when it does not get in. */
  private victim(population: readonly SteadyStateMember[], child: SteadyStateMember): SteadyStateMember | null {
    if (this.settings.replacement === 'worst') {
      // Lowest fitness; among equals the oldest. A child must beat it to get in.
      const worst = population.reduce((a, b) =>
        b.fitness < a.fitness || (b.fitness === a.fitness && b.born < a.born) ? b : a,
      );
      return child.fitness > worst.fitness ? worst : null;
    }
    // Aging: the oldest member, sparing the `elites` best.
    const spared = new Set(
      [...population].sort((a, b) => b.fitness - a.fitness || a.born - b.born).slice(0, this.settings.elites),
    );
    const candidates = population.filter((m) => !spared.has(m));
    return candidates.reduce((a, b) => (b.born < a.born ? b : a), candidates[0] ?? population[0]!);
  }
}

function assertSettings(settings: SteadyStateSettings): void {
  if (settings.elites >= settings.populationSize) {
    throw new EvoptError(
      'CONFIG_INVALID',
      `ga.elites (${settings.elites}) must be smaller than ga.populationSize (${settings.populationSize}).`,
      { fix: 'Lower ga.elites or raise ga.populationSize.' },
    );
  }
}
