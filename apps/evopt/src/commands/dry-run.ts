import { availableParallelism } from 'node:os';
import {
  baselineGenome,
  calibrateTasks,
  countRun,
  estimateRunMs,
  loadConfig,
  TaskHost,
  type EvoptConfigInput,
  type RunCounts,
  type TaskCalibration,
} from '@evopt/core';
import { createRunContainer } from '../composition/container.js';
import { TOKENS } from '../composition/tokens.js';
import { formatDuration } from '../format/duration.js';

export interface DryRunOptions {
  readonly cwd: string;
  readonly configFile?: string;
  readonly preset?: string;
  readonly overrides: EvoptConfigInput;
  readonly log: (message: string) => void;
  /** Skip the calibration (counts only). */
  readonly calibrate: boolean;
}

/** What `evopt evolve --dry-run` found: printed as text, or as JSON with `--progress json`. */
export interface DryRunPlan {
  readonly preset: string | null;
  readonly populationSize: number;
  readonly generations: number;
  readonly elites: number;
  readonly seeds: number;
  readonly steps: number;
  readonly counts: RunCounts;
  readonly evaluator: string;
  readonly workers: number;
  readonly batchSize: number;
  readonly backend: string | null;
  readonly calibrations: readonly TaskCalibration[];
  /** Estimated wall time of the run, or null without a full calibration. */
  readonly estimatedMs: number | null;
}

/**
 * `evopt evolve --dry-run`: resolves the config exactly as a run would (plugins, tasks, options),
 * counts the work, and times each task on this thread's backend with a short calibration
 * (Adam, a few steps). Nothing is written; no run directory is created.
 */
export async function dryRun(options: DryRunOptions): Promise<DryRunPlan> {
  const loaded = await loadConfig({
    cwd: options.cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.preset ? { preset: options.preset } : {}),
    overrides: options.overrides,
  });
  const { config } = loaded;
  const container = await createRunContainer(loaded, options.log);
  container.get(TOKENS.EngineDependencies);
  const plan = container.get(TOKENS.Plan);
  const { registries } = container.get(TOKENS.Registries);
  const evaluatorOptions = plan.evaluatorOptions as { workers?: number | 'auto'; batchSize?: number };
  const workers =
    config.evaluation.evaluator.id === 'inline'
      ? 1
      : typeof evaluatorOptions.workers === 'number'
        ? evaluatorOptions.workers
        : availableParallelism();
  const counts = countRun(config);
  let backend: string | null = null;
  let calibrations: TaskCalibration[] = [];
  if (options.calibrate) {
    const host = new TaskHost({
      registries,
      taskOptions: plan.taskOptions,
      dataDir: config.dataDir,
      backend: config.backend,
      log: options.log,
      report: (info) => (backend = info.backend ?? backend),
    });
    try {
      // Adam: the optimizer every run is compared with, and a typical genome's cost.
      calibrations = await calibrateTasks({ host, config, registries, genome: baselineGenome('adam') });
    } finally {
      await host.dispose();
    }
  }
  return {
    preset: config.preset,
    populationSize: config.ga.populationSize,
    generations: config.ga.generations,
    elites: config.ga.elites,
    seeds: config.evaluation.seeds,
    steps: config.evaluation.steps,
    counts,
    evaluator: config.evaluation.evaluator.id,
    workers,
    batchSize: evaluatorOptions.batchSize ?? 1,
    backend,
    calibrations,
    estimatedMs: options.calibrate ? estimateRunMs(counts, calibrations, config.evaluation.steps, workers) : null,
  };
}

const number = (n: number): string => n.toLocaleString('en-US');

/** The plan as the lines `evopt evolve --dry-run` prints. */
export function formatDryRun(plan: DryRunPlan): string {
  const { counts } = plan;
  const lines = [
    `Plan${plan.preset ? ` (preset ${plan.preset})` : ''}: dry run, nothing is trained or written`,
    `  population ${plan.populationSize} × ${plan.generations} generations, ${plan.elites} elites → at most ${number(counts.genomes)} distinct genomes`,
    `  tasks: ${counts.tasks.map((t) => t.id).join(', ')} · ${plan.seeds} seed(s) · ${number(plan.steps)} steps each`,
    `  evaluations: ${number(counts.evaluations)} · training steps: ${number(counts.trainingSteps)}`,
    `  evaluator: ${plan.evaluator}, ${plan.workers} worker(s)${plan.batchSize > 1 ? `, batches of ${plan.batchSize}` : ''}`,
  ];
  if (plan.calibrations.length > 0) {
    lines.push(`Calibration on this machine${plan.backend ? ` (backend ${plan.backend})` : ''}, one genome at a time:`);
    const width = Math.max(...plan.calibrations.map((c) => c.task.length));
    for (const c of plan.calibrations) {
      lines.push(
        c.error !== undefined
          ? `  ${c.task.padEnd(width)}  not calibrated: ${c.error
              .split('\n')
              .map((line) => line.trim())
              .join(`\n  ${' '.repeat(width)}    `)}`
          : `  ${c.task.padEnd(width)}  ${c.stepMs.toFixed(1)} ms/step + ${(c.fixedMs / 1000).toFixed(2)} s per evaluation (init, scoring) → ${formatDuration(c.fixedMs + plan.steps * c.stepMs)} per evaluation; prepared in ${formatDuration(c.prepareMs)}`,
      );
    }
  }
  if (plan.estimatedMs !== null) {
    lines.push(
      `Estimated wall time: ${formatDuration(plan.estimatedMs)} with ${plan.workers} worker(s) (from a short calibration; genomes differ in cost, so expect ±30%)`,
    );
  } else if (plan.calibrations.some((c) => c.error !== undefined)) {
    lines.push('No time estimate: a task could not be calibrated (see above).');
  }
  return lines.join('\n');
}
