// A short run as the plain printer sees it: two generations, a new best, two workers, a warning.
import { baselineGenome, type EvoptEvent, type ScoredGenome } from '@evopt/core';

const time = '2025-01-01T00:00:00.000Z';
const best: ScoredGenome = {
  hash: 'a1b2c3d4e5f6',
  genome: { ...baselineGenome('adam'), beta2: 0.9996 },
  fitness: 0.91234,
  formula: '1.00·m/(√v+ε)',
  perTask: { quadratic: 0.91234 },
};
const record = { hash: best.hash, task: 'quadratic', seedIndex: 0, steps: 10, seed: 1, status: 'ok', score: 0.9, metrics: {}, stepsCompleted: 10, durationMs: 5, worker: 'thread-1' } as const;

export const RUN_EVENTS: readonly EvoptEvent[] = [
  { type: 'run-started', time, runId: 'r1', resumed: false, preset: 'smoke', seed: 7, populationSize: 4, generations: 2, tasks: ['quadratic', 'rosenbrock'], seeds: 2, steps: 10, evaluator: 'worker-pool', workers: 2 },
  { type: 'worker-info', time, worker: 'thread-1', backend: 'wasm', devices: ['cpu'], detail: 'kernel patches: wasm:Conv2D' },
  { type: 'worker-info', time, worker: 'thread-2', backend: 'wasm', devices: ['cpu'], detail: 'kernel patches: wasm:Conv2D' },
  { type: 'generation-started', time, generation: 0, population: [], toEvaluate: 3, cached: 1 },
  { type: 'evaluation-finished', time, record },
  { type: 'evaluation-finished', time, record },
  { type: 'evaluation-finished', time, record },
  { type: 'new-best', time, generation: 0, best, previousFitness: null },
  { type: 'generation-finished', time, generation: 0, best, mean: 0.5, median: 0.5, termCounts: {}, diversity: 1, evaluated: 3, cached: 1, diverged: 0, failed: 0 },
  { type: 'warning', time, code: 'PLUGIN_CHANGED', message: 'plugin x changed since the run started' },
  { type: 'run-finished', time, runId: 'r1', generations: 2, best, evaluations: 8, cacheHits: 1, baselines: { adam: 0.8 } },
];
