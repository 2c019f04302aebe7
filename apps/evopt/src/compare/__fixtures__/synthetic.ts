// Synthetic trial results for the compare tests: records with chosen scores, no training.
import { baselineGenome, evaluationKeyString, type EvaluationRecord, type Genome } from '@evopt/core';
import { TrialResults, trialSeed, type SubjectRun, type TrialPlan } from '../../trials/index.js';
import type { ComparedSubject } from '../analysis.js';
import type { CompareRole } from '../report.js';

export const STEPS = 10;

export function subject(
  label: string,
  options: {
    role?: CompareRole;
    kind?: ComparedSubject['kind'];
    hash?: string;
    genome?: Genome;
    run?: SubjectRun;
  } = {},
): ComparedSubject {
  const kind = options.kind ?? (options.run ? 'run' : 'baseline');
  return {
    label,
    kind,
    role: options.role ?? (kind === 'baseline' ? 'baseline' : 'candidate'),
    genome: options.genome ?? baselineGenome('adam'),
    hash: options.hash ?? `hash-${label}`,
    formula: `formula of ${label}`,
    hyperparameters: 'lr 1e-3',
    tuning: null,
    ...(options.run && { run: options.run }),
  };
}

/** What one seed of one subject on one task recorded: a score, or a full record override. */
export type SeedOutcome = number | Partial<EvaluationRecord>;

/**
 * TrialResults for `subjects` on `tasks`: outcomes[label][task][seedIndex]; an undefined entry is a
 * seed without a record. Records are inserted in reverse order, so nothing can rely on insertion order.
 */
export function results(
  plan: Omit<TrialPlan, 'steps' | 'salt'> & { salt?: string },
  outcomes: Record<string, Record<string, (SeedOutcome | undefined)[]>>,
): TrialResults {
  const full: TrialPlan = { steps: STEPS, salt: 'compare', ...plan };
  const records: [string, EvaluationRecord][] = [];
  for (const s of plan.subjects) {
    for (const task of plan.tasks) {
      (outcomes[s.label]?.[task] ?? []).forEach((outcome, seedIndex) => {
        if (outcome === undefined) return;
        const base: EvaluationRecord = {
          hash: s.hash,
          task,
          seedIndex,
          steps: STEPS,
          seed: trialSeed(full, task, seedIndex),
          status: 'ok',
          score: 0,
          metrics: {},
          stepsCompleted: STEPS,
          durationMs: 1,
          worker: 'inline',
        };
        const record = typeof outcome === 'number' ? { ...base, score: outcome } : { ...base, ...outcome };
        records.push([evaluationKeyString(record), record]);
      });
    }
  }
  return new TrialResults(full, new Map(records.reverse()));
}
