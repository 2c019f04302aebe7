import { baselineGenome, mean, WorkerPoolEvaluator, type LoadedRegistries } from '@evopt/core';
import type { Report } from '../report.js';
import { evaluatorContext } from './context.js';
import { collectingSink, requestsFor } from './requests.js';

const STEPS = 300;
const SEEDS = 3;
/** PyTorch's validation accuracy for these genomes at 300 steps (recorded in the issue). */
const TORCH_VAL_ACC = { 'paper-evolved': 0.9815, adam: 0.9785 } as const;

/**
 * The paper's direction: its evolved genome against Adam on mnist-lite with SmallCNN, 300 steps,
 * 3 seeds, on the validation split. A large gap from PyTorch's numbers for the same genome is a bug.
 */
export async function replicationSection(report: Report, loaded: LoadedRegistries): Promise<void> {
  report.heading(`Replication: paper-evolved vs adam, mnist-lite SmallCNN, ${STEPS} steps × ${SEEDS} seeds`);
  const pool = new WorkerPoolEvaluator({ workers: 2 }, evaluatorContext(loaded, { 'mnist-lite': { model: 'cnn' } }));
  try {
    for (const id of ['paper-evolved', 'adam'] as const) {
      const sink = collectingSink();
      await pool.evaluate(requestsFor(baselineGenome(id), loaded.registries, 'mnist-lite', STEPS, SEEDS), sink);
      const fitness = mean(sink.records.map((r) => (r.status === 'ok' ? r.score : -1)));
      const accuracy = mean(sink.records.map((r) => r.metrics['valAccuracy'] ?? Number.NaN));
      report.add(
        `replication.${id}`,
        { fitness, valAccuracy: accuracy, torchValAccuracy: TORCH_VAL_ACC[id] },
        `${id}`,
        `fitness ${fitness.toFixed(4)} · val acc ${accuracy.toFixed(4)} (PyTorch ${TORCH_VAL_ACC[id]})`,
      );
    }
  } finally {
    await pool.close();
  }
}
