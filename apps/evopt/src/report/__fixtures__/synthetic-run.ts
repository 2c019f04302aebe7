// A small run written by hand: 2 tasks × 2 seeds, population 3, 2 generations, one baseline (adam).
// Scores are chosen so that every expected number in the tests can be worked out on paper.
import type { EvaluationRecord, EvaluationStatus, EvoptEvent, Genome, GenomeEntry, ScoredGenome } from '@evopt/core';
import type { ReportData } from '../data.js';

export const TASKS = ['task-a', 'task-b'] as const;
const TIME = '2026-01-01T00:00:00.000Z';
const STEPS = 10;

export function genome(terms: readonly (readonly [string, number])[], lr = 1e-3): Genome {
  return {
    schema: 'evopt.genome/1',
    terms: terms.map(([primitive, alpha]) => ({ primitive, alpha })),
    lr,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 1e-4,
    useM: true,
    useV: true,
    biasCorrection: true,
    clip: null,
    schedule: { id: 'constant', params: {} },
  };
}

export const GENOMES = {
  adam: { hash: 'h-adam', genome: genome([['adam', 1]]) },
  one: {
    hash: 'h-one',
    genome: genome([
      ['sign', 0.5],
      ['adam', 2],
    ]),
  },
  two: { hash: 'h-two', genome: genome([['momentum', 1]]) },
  three: {
    hash: 'h-three',
    genome: genome([
      ['sign', 0.41],
      ['adam', 3.63],
    ]),
  },
  four: { hash: 'h-four', genome: genome([['momentum', -0.5]]) },
} satisfies Record<string, GenomeEntry>;

/** A score, or a status that scores −1. */
type Outcome = number | 'diverged' | 'failed';

/** Per genome: task-a seed 0, seed 1, task-b seed 0, seed 1. */
export const OUTCOMES: Record<string, readonly [Outcome, Outcome, Outcome, Outcome]> = {
  'h-adam': [0.5, 0.7, 0.6, 0.8], // task-a 0.6, task-b 0.7, fitness 0.65
  'h-one': [0.9, 0.9, 0.8, 1.0], // 0.9, 0.9 → 0.9
  'h-two': ['diverged', 0.6, 0.4, 0.4], // −0.2, 0.4 → 0.1
  'h-three': [0.95, 0.97, 0.93, 0.95], // 0.96, 0.94 → 0.95
  'h-four': ['failed', 'failed', 0.5, 0.5], // −1, 0.5 → −0.25
};

export const FORMULAS: Record<string, string> = {
  'h-one': '0.50·sign(g) + 2.00·m/(√v+ε)',
  'h-three': '0.41·sign(g) + 3.63·m/(√v+ε)',
};

export function records(hash: string, durationMs = 30, worker = 'thread-1'): EvaluationRecord[] {
  const outcomes = OUTCOMES[hash] ?? [];
  return outcomes.map((outcome, i) => {
    const status: EvaluationStatus = typeof outcome === 'number' ? 'ok' : outcome;
    return {
      hash,
      task: TASKS[i >> 1] as string,
      seedIndex: i % 2,
      steps: STEPS,
      seed: 100 + (i % 2),
      status,
      score: typeof outcome === 'number' ? outcome : -1,
      metrics: {},
      stepsCompleted: STEPS,
      durationMs,
      worker,
      ...(status === 'failed' && { error: { name: 'Error', message: 'out of memory' } }),
    };
  });
}

export function scored(entry: GenomeEntry, fitness: number): ScoredGenome {
  return {
    ...entry,
    fitness,
    formula: FORMULAS[entry.hash] ?? entry.genome.terms.map((t) => t.primitive).join('+'),
    perTask: {},
  };
}

const at = <E extends object>(event: E) => ({ ...event, time: TIME }) as unknown as EvoptEvent;

export function runStarted(): EvoptEvent {
  return at({
    type: 'run-started',
    runId: 'synthetic',
    resumed: false,
    preset: 'smoke',
    seed: 7,
    populationSize: 3,
    generations: 2,
    tasks: [...TASKS],
    seeds: 2,
    steps: STEPS,
    evaluator: 'worker-pool',
    workers: 2,
    baselines: ['adam'],
  });
}

/** Generation 0: adam, one, two (all evaluated; thread-1 takes 30 ms each, thread-2 60 ms). */
export function generation0(): EvoptEvent[] {
  const population = [GENOMES.adam, GENOMES.one, GENOMES.two];
  return [
    at({ type: 'generation-started', generation: 0, population, toEvaluate: 12, cached: 0 }),
    ...[...records('h-adam'), ...records('h-one', 60, 'thread-2'), ...records('h-two')].map((record) =>
      at({ type: 'evaluation-finished', record }),
    ),
    at({
      type: 'generation-finished',
      generation: 0,
      best: scored(GENOMES.one, 0.9),
      mean: 0.55,
      median: 0.65,
      termCounts: { adam: 2, momentum: 1, sign: 1 },
      diversity: 1,
      evaluated: 12,
      cached: 0,
      diverged: 1,
      failed: 0,
    }),
    at({ type: 'new-best', generation: 0, best: scored(GENOMES.one, 0.9), previousFitness: null }),
  ];
}

/** Generation 1: one (cached), three, four. */
export function generation1(): EvoptEvent[] {
  const population = [GENOMES.one, GENOMES.three, GENOMES.four];
  return [
    at({ type: 'generation-started', generation: 1, population, toEvaluate: 8, cached: 4 }),
    ...['h-one', 'h-one', 'h-one', 'h-one'].map((hash, i) =>
      at({ type: 'cache-hit', generation: 1, hash, task: TASKS[i >> 1], seedIndex: i % 2, steps: STEPS }),
    ),
    ...[...records('h-three'), ...records('h-four')].map((record) => at({ type: 'evaluation-finished', record })),
    at({
      type: 'generation-finished',
      generation: 1,
      best: scored(GENOMES.three, 0.95),
      mean: 0.5333,
      median: 0.9,
      termCounts: { adam: 2, momentum: 1, sign: 2 },
      diversity: 2 / 3,
      evaluated: 8,
      cached: 4,
      diverged: 0,
      failed: 2,
    }),
    at({ type: 'new-best', generation: 1, best: scored(GENOMES.three, 0.95), previousFitness: 0.9 }),
  ];
}

export function runFinished(): EvoptEvent {
  return at({
    type: 'run-finished',
    runId: 'synthetic',
    generations: 2,
    best: scored(GENOMES.three, 0.95),
    evaluations: 20,
    cacheHits: 4,
    baselines: { adam: 0.65 },
  });
}

export function finishedEvents(): EvoptEvent[] {
  return [runStarted(), ...generation0(), ...generation1(), runFinished()];
}

export function reportData(events: readonly EvoptEvent[], overrides: Partial<ReportData> = {}): ReportData {
  return {
    runId: 'synthetic',
    runDir: '/runs/synthetic',
    status: 'finished',
    config: null,
    events,
    skippedLines: [],
    best: null,
    checkpoint: null,
    problems: [],
    generatedAt: TIME,
    ...overrides,
  };
}

export { at as stamped };
