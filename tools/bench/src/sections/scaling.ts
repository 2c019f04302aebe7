import { monitorEventLoopDelay } from 'node:perf_hooks';
import { baselineGenome, paper, WorkerPoolEvaluator, type EvaluationRequest, type LoadedRegistries } from '@evopt/core';
import { timeAsync, type Report } from '../report.js';
import { evaluatorContext } from './context.js';
import { collectingSink, requestsFor } from './requests.js';

/** The quick preset's evaluation: mnist-lite, MLP, 150 steps. */
const QUICK = { task: 'mnist-lite', options: { model: 'mlp' }, steps: 200 } as const;

/**
 * Genome evaluations per minute with 1 and 2 worker threads on the quick preset's evaluation,
 * and the main thread's event-loop delay while the workers train (the TUI draws on that thread).
 */
export async function scalingSection(report: Report, loaded: LoadedRegistries): Promise<void> {
  report.heading('Worker scaling on the quick preset (mnist-lite MLP, 200 steps)');
  const requests: EvaluationRequest[] = paper.PAPER_BASELINE_IDS.flatMap((id) =>
    requestsFor(baselineGenome(id), loaded.registries, QUICK.task, QUICK.steps, 2),
  );
  const rates: number[] = [];
  for (const workers of [1, 2]) {
    const pool = new WorkerPoolEvaluator({ workers }, evaluatorContext(loaded, { [QUICK.task]: QUICK.options }));
    try {
      await pool.evaluate(requests.slice(0, workers), collectingSink()); // start the workers, load data
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const run = await timeAsync(() => pool.evaluate(requests, collectingSink()));
      delay.disable();
      const perMinute = (requests.length / run.seconds) * 60;
      rates.push(perMinute);
      report.add(
        `evaluationsPerMinute${workers}Workers`,
        perMinute,
        `${workers} worker${workers > 1 ? 's' : ''}`,
        `${perMinute.toFixed(1)} evaluations/min`,
      );
      if (workers === 2) {
        const p99 = delay.percentile(99) / 1e6;
        report.add(
          'eventLoopDelayP99Ms',
          p99,
          'main-thread event-loop delay p99 while 2 workers train',
          `${p99.toFixed(1)} ms (goal < 50 ms)`,
        );
      }
    } finally {
      await pool.close();
    }
  }
  report.add(
    'workerScaling',
    (rates[1] ?? 0) / (rates[0] ?? 1),
    'scaling 2 workers / 1 worker',
    `${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)}× (ideal 2×)`,
  );
}
