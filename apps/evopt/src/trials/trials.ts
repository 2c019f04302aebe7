import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  deriveSeed,
  evaluationKeyString,
  Journal,
  readJournal,
  type EvaluationRecord,
  type EvaluationRequest,
  type Evaluator,
} from '@evopt/core';
import type { TrialSubject } from './subjects.js';

/**
 * A fixed set of evaluations: every subject on every task with `seeds` seeds of `steps` steps.
 * `compare` and `ci` both run one. The seeds come from (seed, salt, task, index), a stream that
 * search (which derives from (run seed, task, index)) never draws from.
 */
export interface TrialPlan {
  readonly subjects: readonly TrialSubject[];
  readonly tasks: readonly string[];
  readonly seeds: number;
  readonly steps: number;
  readonly seed: number;
  /** Names the seed stream: 'compare', 'ci', 'tune'… */
  readonly salt: string;
}

export function trialSeed(plan: Pick<TrialPlan, 'seed' | 'salt'>, task: string, seedIndex: number): number {
  return deriveSeed(plan.seed, plan.salt, task, seedIndex);
}

/** One request per distinct (genome, task, seed index): subjects that share a genome share work. */
export function trialRequests(plan: TrialPlan): EvaluationRequest[] {
  const requests = new Map<string, EvaluationRequest>();
  for (const subject of plan.subjects) {
    for (const task of plan.tasks) {
      for (let seedIndex = 0; seedIndex < plan.seeds; seedIndex++) {
        const request: EvaluationRequest = {
          hash: subject.hash,
          genome: subject.genome,
          task,
          seedIndex,
          steps: plan.steps,
          seed: trialSeed(plan, task, seedIndex),
        };
        requests.set(evaluationKeyString(request), request);
      }
    }
  }
  return [...requests.values()];
}

/** The records of a finished plan, looked up by genome and task (in seed order). */
export class TrialResults {
  constructor(
    readonly plan: TrialPlan,
    private readonly byKey: ReadonlyMap<string, EvaluationRecord>,
  ) {}

  /** Records of one genome on one task, seed 0 first. */
  records(hash: string, task: string): EvaluationRecord[] {
    const out: EvaluationRecord[] = [];
    for (let seedIndex = 0; seedIndex < this.plan.seeds; seedIndex++) {
      const record = this.byKey.get(evaluationKeyString({ hash, task, seedIndex, steps: this.plan.steps }));
      if (record) out.push(record);
    }
    return out;
  }

  /** Scores per seed (−1 for a diverged or failed seed, as in search). */
  scores(hash: string, task: string): number[] {
    return this.records(hash, task).map((r) => r.score);
  }

  /** A task metric per seed (testAccuracy, valAccuracy…); NaN where a seed lacks it. */
  metric(hash: string, task: string, name: string): number[] {
    return this.records(hash, task).map((r) => r.metrics[name] ?? Number.NaN);
  }

  get all(): EvaluationRecord[] {
    return [...this.byKey.values()];
  }
}

export interface RunTrialsOptions {
  readonly evaluator: Evaluator;
  /**
   * A JSONL journal of finished records (core's journal format). Records already in it are not
   * redone, so rerunning an interrupted command continues it. Records whose seed no longer
   * matches the plan (another --seed) are ignored, and so are failed ones (a crashed worker, a
   * missing dataset): those are retried, since a failure is not a result.
   */
  readonly journalPath: string;
  readonly signal?: AbortSignal;
  /** Once the journal is read, before anything is evaluated: how many of the plan's evaluations it already holds. */
  readonly onStart?: (done: number, total: number) => void;
  /** After each record: how many of the plan's evaluations are done. */
  readonly onRecord?: (record: EvaluationRecord, done: number, total: number) => void;
  readonly onProgress?: (request: EvaluationRequest, step: number, totalSteps: number) => void;
}

/** Evaluates what the journal lacks, journaling each record as it arrives (fsync'd). */
export async function runTrials(plan: TrialPlan, options: RunTrialsOptions): Promise<TrialResults> {
  const requests = trialRequests(plan);
  const wanted = new Map(requests.map((r) => [evaluationKeyString(r), r]));
  const records = new Map<string, EvaluationRecord>();
  for (const event of readJournal(options.journalPath).events) {
    if (event.type !== 'evaluation-finished' || event.record.status === 'failed') continue;
    const key = evaluationKeyString(event.record);
    if (wanted.get(key)?.seed === event.record.seed) records.set(key, event.record);
  }
  const missing = requests.filter((r) => !records.has(evaluationKeyString(r)));
  options.onStart?.(records.size, requests.length);
  if (missing.length > 0) {
    mkdirSync(dirname(options.journalPath), { recursive: true });
    const journal = Journal.open(options.journalPath);
    try {
      await options.evaluator.evaluate(
        missing,
        {
          started: () => {},
          progress: (request, _worker, p) => options.onProgress?.(request, p.step, p.totalSteps),
          finished: (record) => {
            const key = evaluationKeyString(record);
            if (records.has(key)) return;
            journal.append({ type: 'evaluation-finished', record, time: new Date().toISOString() }, { durable: true });
            records.set(key, record);
            options.onRecord?.(record, records.size, requests.length);
          },
        },
        options.signal,
      );
    } finally {
      journal.close();
    }
  }
  return new TrialResults(plan, records);
}
