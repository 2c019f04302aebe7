import type { RunStartedEvent } from '@evopt/core';
import type { ReportData } from './data.js';

/** How the run was set up: from its first run-started record, else from config.json. */
export interface RunSettings {
  readonly preset: string | null;
  readonly seed: number | null;
  readonly tasks: readonly string[];
  readonly populationSize: number | null;
  readonly generations: number | null;
  readonly steps: number | null;
  readonly seeds: number | null;
  readonly evaluator: string | null;
  readonly workers: number | null;
  readonly baselineIds: readonly string[];
  /** Evaluation records a genome needs: tasks × seeds. */
  readonly expectedPerGenome: number | null;
  /** How many times the run was resumed. */
  readonly resumes: number;
  readonly startedAt: string | null;
  readonly evoptVersion: string | null;
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
}

const numberOr = (value: unknown, fallback: number | null): number | null =>
  typeof value === 'number' ? value : fallback;

export function runSettings(data: ReportData): RunSettings {
  const starts = data.events.filter((e): e is RunStartedEvent => e.type === 'run-started');
  const started = starts[0];
  // config.json may come from an older evopt; read it field by field.
  const config = data.config?.config;
  const tasks = started?.tasks ?? config?.tasks?.map((t) => t.id) ?? [];
  const seeds = started?.seeds ?? numberOr(config?.evaluation?.seeds, null);
  return {
    preset: started?.preset ?? config?.preset ?? null,
    seed: started?.seed ?? numberOr(config?.seed, null),
    tasks,
    populationSize: started?.populationSize ?? numberOr(config?.ga?.populationSize, null),
    generations: started?.generations ?? numberOr(config?.ga?.generations, null),
    steps: started?.steps ?? numberOr(config?.evaluation?.steps, null),
    seeds,
    evaluator: started?.evaluator ?? config?.evaluation?.evaluator?.id ?? null,
    workers: started?.workers ?? numberOr(config?.evaluation?.evaluator?.options?.['workers'], null),
    baselineIds: started?.baselines ?? config?.ga?.baselines ?? [],
    expectedPerGenome: seeds === null || tasks.length === 0 ? null : seeds * tasks.length,
    resumes: starts.filter((e) => e.resumed).length,
    startedAt: started?.time ?? data.config?.createdAt ?? null,
    evoptVersion: data.config?.evoptVersion ?? null,
    plugins: (data.config?.plugins ?? []).map((p) => ({ name: p.name, version: p.version })),
  };
}
