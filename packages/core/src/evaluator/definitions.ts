import { z } from 'zod';
import type { EvaluatorDefinition } from '../plugin/contracts.js';
import { InlineEvaluator } from './inline.js';
import { WorkerPoolEvaluator } from './worker-pool.js';

const inlineOptions = z.strictObject({});

const workerPoolOptions = z.strictObject({
  workers: z.union([z.literal('auto'), z.int().min(1)]).default('auto'),
  batchSize: z.int().min(1).default(1),
});

/** Options of the 'worker-pool' evaluator, defaults filled in. */
export type WorkerPoolEvaluatorOptions = z.output<typeof workerPoolOptions>;

/** 'inline': evaluates on the calling thread, one request at a time. */
export const inlineEvaluatorDefinition: EvaluatorDefinition<z.output<typeof inlineOptions>> = {
  id: 'inline',
  meta: {
    summary: 'Evaluates genomes one at a time on the main thread; for tests and debugging.',
    docs: "Training blocks the thread, so the TUI freezes while a genome trains. A task's error keeps its full stack.",
    options: inlineOptions,
  },
  create: (_options, context) => new InlineEvaluator(context),
};

/** 'worker-pool': the default; evaluates in worker threads that load the plugins themselves. */
export const workerPoolEvaluatorDefinition: EvaluatorDefinition<WorkerPoolEvaluatorOptions> = {
  id: 'worker-pool',
  meta: {
    summary: 'Evaluates genomes in a pool of worker threads, one task instance per worker (the default).',
    docs: [
      '- `workers`: threads to start, or `"auto"` for one per available core.',
      '- `batchSize`: requests of the same task sent to a worker at once; raise it for tasks that train several genomes together (GPU).',
      'A worker that dies mid-evaluation fails its genomes with WORKER_CRASHED and is replaced.',
    ].join('\n'),
    options: workerPoolOptions,
  },
  create: (options, context) => new WorkerPoolEvaluator(options, context),
};

/** The evaluators built into the core, for the composition root to register. */
export const evaluatorDefinitions = [inlineEvaluatorDefinition, workerPoolEvaluatorDefinition] as const;
