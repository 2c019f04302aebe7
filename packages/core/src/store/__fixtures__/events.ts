import type { EvoptEvent, GenerationFinishedEvent, RunStartedEvent, ScoredGenome, WarningEvent } from '../../events.js';
import type { Genome } from '../../genome/schema.js';
import { baselineGenome } from '../../genome/baselines.js';

const TIME = '2026-11-29T01:02:03.000Z';

const genome: Genome = { ...baselineGenome('adam'), weightDecay: 0 };

export function scored(fitness: number): ScoredGenome {
  return { hash: 'h-adam', genome, fitness, formula: 'adam', perTask: { mnist: fitness } };
}

export function warning(message: string, time = TIME): WarningEvent {
  return { type: 'warning', time, code: 'TEST', message };
}

export function runStarted(runId: string, overrides: Partial<RunStartedEvent> = {}): RunStartedEvent {
  return {
    type: 'run-started',
    time: TIME,
    runId,
    resumed: false,
    preset: 'paper',
    seed: 1,
    populationSize: 8,
    generations: 10,
    tasks: ['mnist'],
    seeds: 1,
    steps: 100,
    evaluator: 'inline',
    workers: 1,
    ...overrides,
  };
}

export function generationFinished(generation: number, fitness: number): GenerationFinishedEvent {
  return {
    type: 'generation-finished',
    time: TIME,
    generation,
    best: scored(fitness),
    mean: fitness / 2,
    median: fitness / 2,
    termCounts: { adam: 8 },
    diversity: 1,
    evaluated: 8,
    cached: 0,
    diverged: 0,
    failed: 0,
  };
}

export function runFinished(runId: string, fitness: number): EvoptEvent {
  return {
    type: 'run-finished',
    time: TIME,
    runId,
    generations: 10,
    best: scored(fitness),
    evaluations: 80,
    cacheHits: 0,
    baselines: {},
  };
}

export function runFailed(runId: string): EvoptEvent {
  return { type: 'run-failed', time: TIME, runId, error: { name: 'Error', message: 'boom' } };
}

export function runStopped(runId: string, generation: number): EvoptEvent {
  return { type: 'run-stopped', time: TIME, runId, generation, reason: 'SIGINT' };
}
