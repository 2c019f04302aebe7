import { aggregateFitness, type EvaluationRecord, type GenomeEntry } from '@evopt/core';
import type { RankedGenome, TuiState } from './state.js';

/** The population scored from its records, best first: the paper's aggregation, as the run does it. */
export function rank(population: readonly GenomeEntry[], s: TuiState): RankedGenome[] {
  return population
    .map((entry) => {
      const fitness = aggregateFitness(runRecords(s, s.records.get(entry.hash) ?? []));
      return {
        hash: entry.hash,
        genome: entry.genome,
        fitness: fitness.fitness,
        perTask: fitness.perTask,
        formula: s.formulas.get(entry.hash) ?? null,
      };
    })
    .sort((a, b) => b.fitness - a.fitness)
    .map((entry, index) => ({ rank: index + 1, ...entry }));
}

/** A genome's records that count for this run's fitness: its tasks, seeds and step budget. */
export function runRecords(s: Pick<TuiState, 'run'>, records: readonly EvaluationRecord[]): EvaluationRecord[] {
  const run = s.run;
  if (!run) return [...records];
  return records.filter((r) => r.steps === run.steps && run.tasks.includes(r.task) && r.seedIndex < run.seeds);
}

/** The fitness once every task and seed has a record, else null. */
export function completeFitness(s: TuiState, records: readonly EvaluationRecord[]): number | null {
  const run = s.run;
  const counted = runRecords(s, records);
  if (!run || counted.length < run.tasks.length * run.seeds) return null;
  return aggregateFitness(counted).fitness;
}
