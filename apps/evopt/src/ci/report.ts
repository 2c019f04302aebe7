/**
 * What `evopt ci` decides, as plain data: the input the checks read ({@link CiPlan}) and the
 * verdict they return ({@link CiReport}). Renderers (JUnit, Markdown, JSON, the table) read only this.
 */

/** A genome the checks know by its label and canonical hash. */
export interface CiSubject {
  /** What reports call it: a baseline id, a file's name, a run id (unique within one ci run). */
  readonly label: string;
  /** As written in the config's ci block. */
  readonly reference: string;
  readonly hash: string;
}

/** Everything the checks need besides the scores and the record. */
export interface CiPlan {
  readonly guarded: readonly CiSubject[];
  readonly baseline: CiSubject;
  /** Task ids, in the config's order. */
  readonly tasks: readonly string[];
  /** Each task's options as the config wrote them; the record must have been made with the same. */
  readonly taskOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly steps: number;
  readonly seeds: number;
  /** The config's master seed: ci's seeds derive from it with the salt 'ci'. */
  readonly seed: number;
  /** Fitness units a genome may fall behind the baseline or move from its record. */
  readonly tolerance: number;
  readonly alpha: number;
  /** Where the record file is (as shown to the user), and whether this run rewrote it. */
  readonly record: { readonly path: string; readonly updated: boolean };
}

/** One genome's numbers: fitness is the mean over tasks and seeds, as in search. */
export interface CiGenomeResult extends CiSubject {
  readonly fitness: number;
  /** Mean score per task. */
  readonly perTask: Readonly<Record<string, number>>;
  /** Score per task and seed, seed 0 first (−1 where a seed diverged). */
  readonly scores: Readonly<Record<string, readonly number[]>>;
  /** Seeds that diverged, over all tasks. */
  readonly diverged: number;
  /** Training time of its evaluations, summed. */
  readonly durationMs: number;
}

export type CiCheckStatus = 'pass' | 'regression' | 'unrecorded';

/** "Not worse than the baseline beyond tolerance": a one-sided paired t-test over seeds. */
export interface CiBaselineCheck {
  readonly kind: 'baseline';
  readonly genome: string;
  readonly status: 'pass' | 'regression';
  readonly fitness: number;
  readonly baselineFitness: number;
  /** Mean of genome − baseline over (task, seed) pairs. */
  readonly meanDifference: number;
  /** P(seeing a difference this low | the genome is only `tolerance` behind); regression when < alpha. */
  readonly pValue: number;
  readonly statistic: number;
  readonly df: number;
  /** Pairs compared (tasks × seeds). */
  readonly n: number;
  readonly message: string;
}

/** "Fitness has not moved from the recorded value beyond tolerance": catches framework regressions. */
export interface CiRecordCheck {
  readonly kind: 'record';
  readonly genome: string;
  readonly status: CiCheckStatus;
  readonly fitness: number;
  /** Null when the genome is unrecorded. */
  readonly recorded: number | null;
  /** fitness − recorded; null when unrecorded. */
  readonly drift: number | null;
  readonly message: string;
}

export type CiCheck = CiBaselineCheck | CiRecordCheck;

export const CI_REPORT_SCHEMA = 'evopt.ci-report/1';

export interface CiReport {
  readonly schema: typeof CI_REPORT_SCHEMA;
  /** 'regression' when any check is one; unrecorded genomes do not fail. */
  readonly status: 'pass' | 'regression';
  readonly settings: {
    readonly baseline: string;
    readonly tasks: readonly string[];
    readonly steps: number;
    readonly seeds: number;
    readonly seed: number;
    readonly tolerance: number;
    readonly alpha: number;
  };
  readonly baseline: CiGenomeResult;
  readonly genomes: readonly CiGenomeResult[];
  /** Baseline checks first (in genome order), then record checks. */
  readonly checks: readonly CiCheck[];
  readonly record: {
    readonly path: string;
    /** False when no record file exists yet. */
    readonly found: boolean;
    readonly updated: boolean;
    readonly updatedAt: string | null;
    readonly evoptVersion: string | null;
  };
  readonly counts: {
    readonly checks: number;
    readonly passed: number;
    readonly regressions: number;
    readonly unrecorded: number;
  };
  /** What to do next (e.g. run --update-baseline), one sentence each. */
  readonly hints: readonly string[];
}

/** The kinds of check, in report order, with the heading reports give each. */
export const CHECK_KINDS = ['baseline', 'record'] as const;

export function checkTitle(kind: CiCheck['kind'], baseline: string): string {
  return kind === 'baseline' ? `not worse than ${baseline}` : 'fitness matches the record';
}
