// A scripted run for the TUI tests: real genomes, hashes and formulas, and the events a run of two
// tasks × two seeds emits, with the fitness aggregated exactly as the run loop does it.
import {
  aggregateFitness,
  baselineGenome,
  createRegistries,
  genomeHash,
  mean,
  median,
  parseGenome,
  registerPlugin,
  renderFormula,
  type EvaluationRecord,
  type EvoptEvent,
  type EventInput,
  type Genome,
  type GenomeEntry,
  type ScoredGenome,
} from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';

export const registries = createRegistries();
registerPlugin(registries, primitives);
registerPlugin(registries, schedules);

export const TASKS = ['quadratic', 'rosenbrock'] as const;
export const SEEDS = 2;
export const STEPS = 60;

const custom = (changes: Partial<Genome>): Genome => parseGenome({ ...baselineGenome('adam'), ...changes });

export const GENOMES = {
  sgd: baselineGenome('sgd-momentum'),
  adam: baselineGenome('adam'),
  evolved: baselineGenome('paper-evolved'),
  wild: custom({
    terms: [
      { primitive: 'sign', alpha: 0.4 },
      { primitive: 'nesterov', alpha: 1.3 },
    ],
    lr: 0.02,
    clip: 0.5,
  }),
  fresh: custom({
    terms: [
      { primitive: 'grad', alpha: 0.5 },
      { primitive: 'rms', alpha: 0.2 },
    ],
    lr: 0.05,
  }),
} as const;

export type GenomeName = keyof typeof GENOMES;

export const entry = (name: GenomeName): GenomeEntry => ({
  hash: genomeHash(GENOMES[name], registries),
  genome: GENOMES[name],
});
export const hashOf = (name: GenomeName): string => entry(name).hash;
export const formulaOf = (name: GenomeName): string => renderFormula(GENOMES[name], registries);

/** Each genome's score on every task and seed; `wild` diverges on rosenbrock seed 1. */
const SCORES: Record<GenomeName, number> = { sgd: 0.8, adam: 0.85, evolved: 0.9, wild: 0.7, fresh: 0.95 };

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** Builds an event list with times one second apart, as the bus stamps them. */
export class Script {
  readonly events: EvoptEvent[] = [];
  readonly records = new Map<string, EvaluationRecord[]>();
  private clock = 0;

  emit(input: EventInput): this {
    this.events.push({ ...input, time: new Date(T0 + 1000 * this.clock++).toISOString() } as EvoptEvent);
    return this;
  }

  start(resumed = false, generations = 10): this {
    return this.emit({
      type: 'run-started',
      runId: 'tui-run',
      resumed,
      preset: 'smoke',
      seed: 11,
      populationSize: 4,
      generations,
      tasks: [...TASKS],
      seeds: SEEDS,
      steps: STEPS,
      evaluator: 'worker-pool',
      workers: 2,
      baselines: ['sgd-momentum', 'adam'],
    });
  }

  evaluate(name: GenomeName, task: string, seedIndex: number, worker = 'thread-1'): this {
    const { hash } = entry(name);
    const diverged = name === 'wild' && task === 'rosenbrock' && seedIndex === 1;
    const record: EvaluationRecord = {
      hash,
      task,
      seedIndex,
      steps: STEPS,
      seed: 1000 + seedIndex,
      status: diverged ? 'diverged' : 'ok',
      score: diverged ? -1 : SCORES[name] + seedIndex * 0.01,
      metrics: { finalLoss: 0.1 },
      stepsCompleted: diverged ? 12 : STEPS,
      durationMs: 900,
      worker,
    };
    this.records.set(hash, [...(this.records.get(hash) ?? []), record]);
    this.emit({ type: 'evaluation-started', hash, task, seedIndex, steps: STEPS, worker });
    return this.emit({ type: 'evaluation-finished', record });
  }

  /** A generation: started, every missing evaluation, finished, and a new best when it improves. */
  generation(
    generation: number,
    names: readonly GenomeName[],
    options: { finish?: boolean; leave?: number } = {},
  ): this {
    const population = names.map(entry);
    const missing = names
      .flatMap((name) => TASKS.flatMap((task) => [0, 1].map((seedIndex) => ({ name, task, seedIndex }))))
      .filter(
        ({ name, task, seedIndex }) =>
          !this.records.get(hashOf(name))?.some((r) => r.task === task && r.seedIndex === seedIndex),
      );
    const total = names.length * TASKS.length * SEEDS;
    this.emit({
      type: 'generation-started',
      generation,
      population,
      toEvaluate: missing.length,
      cached: total - missing.length,
    });
    missing
      .slice(0, missing.length - (options.leave ?? 0))
      .forEach(({ name, task, seedIndex }, i) => this.evaluate(name, task, seedIndex, i % 2 ? 'thread-2' : 'thread-1'));
    if (options.finish === false) return this;
    const scored = this.scored(names);
    const previous = this.events.filter((e) => e.type === 'new-best').at(-1);
    const best = scored[0] as ScoredGenome;
    const records = names.flatMap((name) => this.records.get(hashOf(name)) ?? []);
    this.emit({
      type: 'generation-finished',
      generation,
      best,
      mean: mean(scored.map((s) => s.fitness)),
      median: median(scored.map((s) => s.fitness)),
      termCounts: termCounts(population),
      diversity: 1,
      evaluated: missing.length,
      cached: total - missing.length,
      diverged: records.filter((r) => r.status === 'diverged').length,
      failed: 0,
    });
    const before = previous?.type === 'new-best' ? previous.best.fitness : null;
    if (before === null || best.fitness > before)
      this.emit({ type: 'new-best', generation, best, previousFitness: before });
    return this.emit({ type: 'checkpoint-saved', generation, path: 'checkpoint.json' });
  }

  scored(names: readonly GenomeName[]): ScoredGenome[] {
    return names
      .map((name) => {
        const f = aggregateFitness(this.records.get(hashOf(name)) ?? []);
        return { ...entry(name), fitness: f.fitness, perTask: f.perTask, formula: formulaOf(name) };
      })
      .sort((a, b) => b.fitness - a.fitness);
  }

  fitnessOf(name: GenomeName): number {
    return aggregateFitness(this.records.get(hashOf(name)) ?? []).fitness;
  }
}

function termCounts(population: readonly GenomeEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { genome } of population)
    for (const id of new Set(genome.terms.map((t) => t.primitive))) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

/**
 * Generation 1 of 10 finished; generation 2 (4 evaluations, the rest cached) with 3 done and
 * thread-2 at step 30 of `fresh` on rosenbrock seed 1.
 */
export function midRun(): Script {
  const script = new Script().start();
  script.emit({ type: 'worker-info', worker: 'thread-1', backend: 'wasm', devices: ['cpu'] });
  script.generation(0, ['sgd', 'adam', 'evolved', 'wild']);
  script.generation(1, ['evolved', 'adam', 'fresh', 'sgd'], { finish: false, leave: 1 });
  const fresh = hashOf('fresh');
  script.emit({
    type: 'evaluation-started',
    hash: fresh,
    task: 'rosenbrock',
    seedIndex: 1,
    steps: STEPS,
    worker: 'thread-2',
  });
  return script.emit({
    type: 'evaluation-progress',
    hash: fresh,
    task: 'rosenbrock',
    seedIndex: 1,
    steps: STEPS,
    worker: 'thread-2',
    step: 30,
    totalSteps: STEPS,
    stepsPerSecond: 120,
  });
}
