import type { TrialSplit } from '../trials/index.js';

/** The schema id `compare.json` carries; bump it when a field changes meaning. */
export const COMPARE_SCHEMA_ID = 'evopt.compare/1';

/** A mean with its percentile-bootstrap interval over seeds. JSON has no NaN: undefined is null. */
export interface Interval {
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Seeds it was computed from (those with a finite value). */
  readonly n: number;
}

/** One subject against the reference (Adam) on the same seeds. */
export interface Versus {
  /** (mean − reference mean) / |reference mean|, in %. */
  readonly relative: number | null;
  /** Two-sided paired t-test over the seeds both have; null for the reference itself or under 2 pairs. */
  readonly pValue: number | null;
  /** Mean of the per-seed differences (subject − reference). */
  readonly meanDifference: number | null;
  /** Seeds paired. */
  readonly pairs: number;
}

export type CompareRole = 'candidate' | 'baseline';

/** How a baseline's learning rate was chosen with --tune-baselines. */
export interface TuningReport {
  readonly defaultLr: number;
  readonly chosenLr: number;
  readonly chosenMultiplier: number;
  /** Every learning rate tried, with its fitness on the validation split (mean over tasks and seeds). */
  readonly grid: readonly {
    readonly multiplier: number;
    readonly lr: number;
    readonly hash: string;
    readonly fitness: Interval;
  }[];
}

export interface ReportSubject {
  readonly label: string;
  /** Candidates are the genomes given as arguments; baselines come from --baselines. */
  readonly role: CompareRole;
  readonly kind: 'baseline' | 'file' | 'run';
  /** Canonical hash of the genome that was scored (after tuning, the chosen learning rate's). */
  readonly hash: string;
  readonly formula: string;
  readonly hyperparameters: string;
  readonly lr: number;
  readonly run: { readonly runId: string; readonly dir: string; readonly tasks: readonly string[] } | null;
  readonly tuning: TuningReport | null;
}

export interface ReportTask {
  readonly id: string;
  /** The split it was scored on: 'test', or 'task default' for a task without a split option. */
  readonly split: TrialSplit | 'task default';
  /** True when no compared run searched on it; null when no subject comes from a run. */
  readonly heldOut: boolean | null;
  /** Run ids whose search used this task. */
  readonly searchedBy: readonly string[];
  /** Whether its records carry testAccuracy. */
  readonly hasTestAccuracy: boolean;
  /** The seed each seed index trained with (salt 'compare'). */
  readonly seeds: readonly number[];
}

/** One subject's numbers on one task, or over a group of tasks. */
export interface ResultCell {
  readonly subject: string;
  /** Fitness contribution per seed index (−1 for a diverged or failed seed); null where none was recorded. Overall: the mean over the group's tasks. */
  readonly scores: readonly (number | null)[];
  readonly fitness: Interval;
  /** Per seed, where the task reports it (diverged seeds have none). */
  readonly testAccuracies: readonly (number | null)[] | null;
  readonly testAccuracy: Interval | null;
  /** Against Adam; null when Adam is not compared. */
  readonly vsReference: { readonly fitness: Versus; readonly testAccuracy: Versus | null } | null;
  readonly diverged: number;
  readonly failed: number;
}

export interface TaskResult extends ResultCell {
  readonly task: string;
}

export type TaskGroup = 'all' | 'search' | 'held-out';

/** Overall numbers for a group of tasks: per seed, the mean over the group's tasks. */
export interface OverallSection {
  readonly group: TaskGroup;
  readonly tasks: readonly string[];
  readonly results: readonly ResultCell[];
}

export interface ComparisonSettings {
  readonly split: 'test';
  readonly seed: number;
  readonly salt: string;
  readonly seeds: number;
  readonly steps: number;
  /** Confidence level of the bootstrap intervals. */
  readonly level: number;
  readonly resamples: number;
  /** p-values below this are marked significant. */
  readonly alpha: number;
  /** The label every relative change and p-value is against ('adam'), or null. */
  readonly reference: string | null;
  readonly baselinesTuned: boolean;
  readonly tuning: {
    readonly split: 'validation';
    readonly salt: string;
    readonly multipliers: readonly number[];
  } | null;
  readonly heldOutKnown: boolean;
}

/** What `compare.json` holds (schema evopt.compare/1). */
export interface ComparisonReport {
  readonly schema: typeof COMPARE_SCHEMA_ID;
  readonly evoptVersion: string;
  readonly settings: ComparisonSettings;
  readonly subjects: readonly ReportSubject[];
  readonly tasks: readonly ReportTask[];
  readonly results: readonly TaskResult[];
  readonly overall: readonly OverallSection[];
  /** Sentences a reader must see: untuned baselines, unknown held-out status, missing splits, failures. */
  readonly notes: readonly string[];
}
