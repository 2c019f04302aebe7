import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  baselineGenome,
  deriveSeed,
  genomeHash,
  isEvoptError,
  loadConfig,
  type EvaluationRequest,
  type Evaluator,
} from '@evopt/core';
import { createTrialEvaluator, type TrialEvaluator } from './evaluator.js';
import type { TrialSubject } from './subjects.js';
import { runTrials, trialRequests, trialSeed, type TrialPlan } from './trials.js';

const TASK = 'testing/quadratic';
const subjectOf = (id: string): TrialSubject => ({
  label: id,
  kind: 'baseline',
  genome: baselineGenome(id),
  hash: genomeHash(baselineGenome(id)),
});
const adam = subjectOf('adam');
const sgd = subjectOf('sgd-momentum');
const PLAN: TrialPlan = { subjects: [adam, sgd], tasks: [TASK], seeds: 3, steps: 15, seed: 0, salt: 'compare' };

let trial: TrialEvaluator;
let dir: string;
/** Every request the evaluator was handed, across calls. */
const evaluated: EvaluationRequest[] = [];
let counting: Evaluator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evopt-trials-'));
  const loaded = await loadConfig({
    cwd: dir,
    preset: 'smoke',
    overrides: { evaluation: { evaluator: { id: 'inline' } } },
  });
  trial = await createTrialEvaluator(loaded, [TASK], 'test', () => undefined);
  counting = {
    id: 'counting',
    evaluate: (requests, sink, signal) => {
      evaluated.push(...requests);
      return trial.evaluator.evaluate(requests, sink, signal);
    },
    close: () => trial.evaluator.close(),
  };
});

afterAll(async () => {
  await trial?.evaluator.close();
});

/** Runs `plan` against `journal`, returning the results and how many evaluations it did. */
async function run(
  plan: TrialPlan,
  journal: string,
  extra: { signal?: AbortSignal; onRecord?: (done: number) => void } = {},
) {
  const before = evaluated.length;
  const started: [number, number][] = [];
  const results = await runTrials(plan, {
    evaluator: counting,
    journalPath: journal,
    ...(extra.signal && { signal: extra.signal }),
    onStart: (done, total) => started.push([done, total]),
    onRecord: (_record, done) => extra.onRecord?.(done),
  });
  return { results, evaluations: evaluated.length - before, started };
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('runTrials with the inline evaluator', () => {
  it('scores every subject on every task and seed, on the test split where the task has one', async () => {
    const journal = join(dir, 'first.jsonl');
    const { results, evaluations, started } = await run(PLAN, journal);
    expect(evaluations).toBe(6);
    expect(started).toEqual([[0, 6]]);
    expect(lines(journal)).toHaveLength(6);
    for (const s of [adam, sgd]) {
      const records = results.records(s.hash, TASK);
      expect(records.map((r) => [r.seedIndex, r.seed, r.steps])).toEqual(
        [0, 1, 2].map((i) => [i, trialSeed(PLAN, TASK, i), 15]),
      );
      expect(results.scores(s.hash, TASK).every((x) => x > 0 && x <= 1)).toBe(true);
    }
    // The quadratic has no split option: it scores its only way, and the evaluator says so.
    expect(trial.splits[TASK]).toBe('task default');
  });

  it('evaluates nothing when run again on the same journal, and gives the same records', async () => {
    const journal = join(dir, 'again.jsonl');
    const first = await run(PLAN, journal);
    const second = await run(PLAN, journal);
    expect(second.evaluations).toBe(0);
    expect(second.started).toEqual([[6, 6]]);
    expect(lines(journal)).toHaveLength(6);
    expect(second.results.scores(adam.hash, TASK)).toEqual(first.results.scores(adam.hash, TASK));
    expect(second.results.metric(sgd.hash, TASK, 'finalLoss')).toEqual(
      first.results.metric(sgd.hash, TASK, 'finalLoss'),
    );
  });

  it('re-evaluates everything when the seed changes, since the records no longer match the plan', async () => {
    const journal = join(dir, 'reseeded.jsonl');
    const first = await run(PLAN, journal);
    const reseeded = await run({ ...PLAN, seed: 1 }, journal);
    expect(reseeded.evaluations).toBe(6);
    expect(reseeded.started).toEqual([[0, 6]]);
    expect(reseeded.results.scores(adam.hash, TASK)).not.toEqual(first.results.scores(adam.hash, TASK));
    expect(lines(journal)).toHaveLength(12);
  });

  it('continues an interrupted run: an abort journals what finished, and the rerun does only the rest', async () => {
    const journal = join(dir, 'interrupted.jsonl');
    const controller = new AbortController();
    let error: unknown;
    await run(PLAN, journal, { signal: controller.signal, onRecord: (done) => done === 2 && controller.abort() }).catch(
      (e: unknown) => (error = e),
    );
    expect(isEvoptError(error, 'ABORTED')).toBe(true);
    expect(lines(journal)).toHaveLength(2);
    const resumed = await run(PLAN, journal);
    expect(resumed.started).toEqual([[2, 6]]);
    expect(resumed.evaluations).toBe(4);
    const reference = await run(PLAN, join(dir, 'reference.jsonl'));
    expect(resumed.results.scores(adam.hash, TASK)).toEqual(reference.results.scores(adam.hash, TASK));
  });

  it('retries a failed record instead of reusing it: a failure is not a result', async () => {
    const journal = join(dir, 'failed.jsonl');
    await run(PLAN, journal);
    const [first, ...rest] = lines(journal);
    const broken = JSON.parse(first as string) as { record: { status: string; score: number } };
    broken.record.status = 'failed';
    broken.record.score = -1;
    writeFileSync(journal, [JSON.stringify(broken), ...rest].join('\n') + '\n');
    const rerun = await run(PLAN, journal);
    expect(rerun.evaluations).toBe(1);
    expect(rerun.results.all.every((r) => r.status === 'ok')).toBe(true);
  });
});

describe('trial plans', () => {
  it('ask once for a genome that two subjects share', () => {
    const twin: TrialSubject = { ...adam, label: 'adam-file', kind: 'file' };
    expect(trialRequests({ ...PLAN, subjects: [adam, twin, sgd] })).toHaveLength(6);
  });

  it('draw seeds from a stream search never used, different per salt', () => {
    for (let i = 0; i < 5; i++) {
      const compare = trialSeed(PLAN, TASK, i);
      expect(compare).not.toBe(deriveSeed(PLAN.seed, TASK, i));
      expect(compare).not.toBe(trialSeed({ ...PLAN, salt: 'tune' }, TASK, i));
    }
  });
});
