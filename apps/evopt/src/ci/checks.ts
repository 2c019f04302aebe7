import { EvoptError, mean, type EvaluationRecord } from '@evopt/core';
import { pairedTTest } from '../stats/index.js';
import { assertRecordMatches, type CiRecord } from './record.js';
import {
  CI_REPORT_SCHEMA,
  type CiBaselineCheck,
  type CiCheck,
  type CiGenomeResult,
  type CiPlan,
  type CiRecordCheck,
  type CiReport,
  type CiSubject,
} from './report.js';

/** Where the checks read evaluation records: TrialResults, or synthetic data in tests. */
export interface CiRecordSource {
  /** Records of one genome on one task, seed 0 first. */
  records(hash: string, task: string): readonly Pick<EvaluationRecord, 'score' | 'status' | 'durationMs'>[];
}

/** Signed, fixed to 4 places: "+0.0123". */
export const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;

/** A p-value for people: "< 0.001", "0.042". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** "p < 0.001", "p = 0.042". */
const pClause = (p: number) => {
  const text = formatP(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
};

function genomeResult(subject: CiSubject, source: CiRecordSource, plan: CiPlan): CiGenomeResult {
  const scores: Record<string, number[]> = {};
  const perTask: Record<string, number> = {};
  let diverged = 0;
  let durationMs = 0;
  for (const task of plan.tasks) {
    const records = source.records(subject.hash, task);
    if (records.length !== plan.seeds) {
      throw new EvoptError(
        'EVALUATION_FAILED',
        `${subject.label} has ${records.length} of ${plan.seeds} evaluations on ${task}; the checks need every seed.`,
        {
          fix: 'Rerun `evopt ci`: the evaluations that finished are kept and only the missing ones run.',
          details: { genome: subject.label, task, found: records.length, expected: plan.seeds },
        },
      );
    }
    scores[task] = records.map((r) => r.score);
    perTask[task] = mean(scores[task]);
    for (const r of records) {
      if (r.status === 'diverged') diverged++;
      durationMs += r.durationMs;
    }
  }
  // Every task has `seeds` scores, so the mean of task means is the mean over tasks and seeds.
  const fitness = mean(plan.tasks.map((t) => perTask[t] as number));
  return { ...subject, fitness, perTask, scores, diverged, durationMs };
}

/** Scores over (task, seed) in a fixed order, so two genomes' lists pair up. */
function pairedScores(result: CiGenomeResult, tasks: readonly string[]): number[] {
  return tasks.flatMap((t) => result.scores[t] ?? []);
}

function baselineCheck(genome: CiGenomeResult, baseline: CiGenomeResult, plan: CiPlan): CiBaselineCheck {
  const test = pairedTTest(pairedScores(genome, plan.tasks), pairedScores(baseline, plan.tasks), {
    alternative: 'less',
    mu: -plan.tolerance,
  });
  const regression = test.pValue < plan.alpha;
  const numbers = `fitness ${genome.fitness.toFixed(4)} vs ${baseline.fitness.toFixed(4)} (mean difference ${signed(test.meanDifference)} over ${test.n} task×seed pairs), one-sided paired t-test against a shortfall of ${plan.tolerance}: t = ${test.statistic.toFixed(3)}, df = ${test.df}, ${pClause(test.pValue)}, alpha = ${plan.alpha}`;
  const message = regression
    ? `${genome.label} is worse than ${baseline.label} by more than the tolerance ${plan.tolerance}: ${numbers}`
    : `${genome.label} is not worse than ${baseline.label} beyond the tolerance ${plan.tolerance}: ${numbers}`;
  return {
    kind: 'baseline',
    genome: genome.label,
    status: regression ? 'regression' : 'pass',
    fitness: genome.fitness,
    baselineFitness: baseline.fitness,
    meanDifference: test.meanDifference,
    pValue: test.pValue,
    statistic: test.statistic,
    df: test.df,
    n: test.n,
    message,
  };
}

function recordCheck(genome: CiGenomeResult, record: CiRecord | null, plan: CiPlan): CiRecordCheck {
  const entry = record && Object.hasOwn(record.entries, genome.label) ? record.entries[genome.label] : undefined;
  const base = { kind: 'record' as const, genome: genome.label, fitness: genome.fitness };
  if (!entry) {
    const why = record
      ? `${plan.record.path} has no entry for it`
      : `there is no record file at ${plan.record.path} yet`;
    return {
      ...base,
      status: 'unrecorded',
      recorded: null,
      drift: null,
      message: `${genome.label} is unrecorded: ${why}; fitness now ${genome.fitness.toFixed(4)}.`,
    };
  }
  if (entry.hash !== genome.hash) {
    return {
      ...base,
      status: 'unrecorded',
      recorded: null,
      drift: null,
      message: `${genome.label} is unrecorded: the genome changed since it was recorded (hash ${entry.hash.slice(0, 12)} then, ${genome.hash.slice(0, 12)} now); fitness now ${genome.fitness.toFixed(4)}.`,
    };
  }
  const drift = genome.fitness - entry.fitness;
  const regression = Math.abs(drift) > plan.tolerance;
  const numbers = `fitness ${genome.fitness.toFixed(4)}, recorded ${entry.fitness.toFixed(4)} (drift ${signed(drift)}, tolerance ${plan.tolerance})`;
  return {
    ...base,
    status: regression ? 'regression' : 'pass',
    recorded: entry.fitness,
    drift,
    message: regression
      ? `${genome.label} moved from its recorded fitness beyond the tolerance: ${numbers}`
      : `${genome.label} matches its record: ${numbers}`,
  };
}

/**
 * The verdict of a ci run, from its evaluation records. Each guarded genome gets two checks:
 * not worse than the baseline beyond `tolerance` (regression when a one-sided paired t-test over
 * task×seed pairs rejects "at most `tolerance` behind" at `alpha`), and fitness within `tolerance`
 * of the record (a genome the record lacks is 'unrecorded', which does not fail).
 *
 * @throws EvoptError CONFIG_INVALID when the record was made for other tasks, steps, seeds or
 * seed; EVALUATION_FAILED when a genome lacks some of its evaluations.
 */
export function evaluateChecks(source: CiRecordSource, plan: CiPlan, record: CiRecord | null): CiReport {
  if (record) assertRecordMatches(record, plan);
  const baseline = genomeResult(plan.baseline, source, plan);
  const genomes = plan.guarded.map((subject) => genomeResult(subject, source, plan));
  const checks: CiCheck[] = [
    ...genomes.map((g) => baselineCheck(g, baseline, plan)),
    ...genomes.map((g) => recordCheck(g, record, plan)),
  ];
  const regressions = checks.filter((c) => c.status === 'regression').length;
  const unrecorded = checks.filter((c) => c.status === 'unrecorded').length;
  const hints: string[] = [];
  if (unrecorded > 0) {
    hints.push(
      `${unrecorded} genome${unrecorded === 1 ? ' is' : 's are'} unrecorded: run \`evopt ci --update-baseline\` and commit ${plan.record.path} to guard ${unrecorded === 1 ? 'its' : 'their'} fitness too.`,
    );
  }
  if (checks.some((c) => c.kind === 'record' && c.status === 'regression')) {
    hints.push(
      `A fitness moved from its record: if the change is intended (a new evopt version, a deliberate fix), run \`evopt ci --update-baseline\` and commit ${plan.record.path}.`,
    );
  }
  return {
    schema: CI_REPORT_SCHEMA,
    status: regressions > 0 ? 'regression' : 'pass',
    settings: {
      baseline: plan.baseline.label,
      tasks: [...plan.tasks],
      steps: plan.steps,
      seeds: plan.seeds,
      seed: plan.seed,
      tolerance: plan.tolerance,
      alpha: plan.alpha,
    },
    baseline,
    genomes,
    checks,
    record: {
      path: plan.record.path,
      found: record !== null,
      updated: plan.record.updated,
      updatedAt: record?.updatedAt ?? null,
      evoptVersion: record?.evoptVersion ?? null,
    },
    counts: {
      checks: checks.length,
      passed: checks.filter((c) => c.status === 'pass').length,
      regressions,
      unrecorded,
    },
    hints,
  };
}
