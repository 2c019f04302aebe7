import { describe, expect, it } from 'vitest';
import { analyzeComparison, type ComparisonPlan } from './analysis.js';
import { results, subject } from './__fixtures__/synthetic.js';
import type { ComparisonReport, ResultCell } from './report.js';

const VERSION = '0.0.0-test';

function plan(subjects: ComparisonPlan['subjects'], splits: ComparisonPlan['splits'] = {}): ComparisonPlan {
  return { subjects, splits, tuning: null, evoptVersion: VERSION };
}

function cellOf(report: ComparisonReport, label: string, task: string): ResultCell {
  const found = report.results.find((r) => r.subject === label && r.task === task);
  if (!found) throw new Error(`no result for ${label} on ${task}`);
  return found;
}

function overallOf(report: ComparisonReport, group: string, label: string): ResultCell {
  const found = report.overall.find((s) => s.group === group)?.results.find((r) => r.subject === label);
  if (!found) throw new Error(`no ${group} overall for ${label}`);
  return found;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('analyzeComparison: held-out tasks', () => {
  const run = { runId: 'run-1', dir: '/runs/run-1', tasks: ['a'] };
  const subjects = [subject('run-1', { run }), subject('adam')];
  const trial = results(
    { subjects, tasks: ['a', 'b'], seeds: 3, seed: 0 },
    {
      'run-1': { a: [0.9, 0.92, 0.94], b: [0.5, 0.6, 0.7] },
      adam: { a: [0.8, 0.82, 0.84], b: [0.6, 0.65, 0.7] },
    },
  );
  const report = analyzeComparison(trial, plan(subjects, { a: 'test', b: 'test' }));

  it('marks the tasks no compared run searched on as held out, naming which run searched the others', () => {
    expect(report.settings.heldOutKnown).toBe(true);
    expect(report.tasks.map((t) => [t.id, t.heldOut, t.searchedBy])).toEqual([
      ['a', false, ['run-1']],
      ['b', true, []],
    ]);
    expect(report.notes.join('\n')).not.toMatch(/held-out status unknown/i);
  });

  it('reports search and held-out tasks in their own overall sections, each the mean over its tasks', () => {
    expect(report.overall.map((s) => [s.group, s.tasks])).toEqual([
      ['all', ['a', 'b']],
      ['search', ['a']],
      ['held-out', ['b']],
    ]);
    expect(overallOf(report, 'search', 'run-1').fitness.mean).toBeCloseTo(0.92, 12);
    expect(overallOf(report, 'held-out', 'run-1').fitness.mean).toBeCloseTo(0.6, 12);
    expect(overallOf(report, 'all', 'run-1').fitness.mean).toBeCloseTo(0.76, 12);
    // Per seed, the mean over the group's tasks.
    const scores = overallOf(report, 'all', 'run-1').scores as number[];
    [0.7, 0.76, 0.82].forEach((expected, i) => expect(scores[i]).toBeCloseTo(expected, 12));
    // The held-out verdict differs from the search one: worse than Adam where search never looked.
    expect(overallOf(report, 'held-out', 'run-1').vsReference?.fitness.relative).toBeLessThan(0);
    expect(overallOf(report, 'search', 'run-1').vsReference?.fitness.relative).toBeGreaterThan(0);
  });

  it('says held-out status is unknown when no subject comes from a run', () => {
    const plain = [subject('mine', { kind: 'file' }), subject('adam')];
    const unknown = analyzeComparison(
      results(
        { subjects: plain, tasks: ['a', 'b'], seeds: 2, seed: 0 },
        { mine: { a: [1, 1], b: [1, 1] }, adam: { a: [1, 1], b: [1, 1] } },
      ),
      plan(plain),
    );
    expect(unknown.settings.heldOutKnown).toBe(false);
    expect(unknown.tasks.map((t) => t.heldOut)).toEqual([null, null]);
    expect(unknown.overall.map((s) => s.group)).toEqual(['all']);
    expect(unknown.notes.join('\n')).toMatch(/Held-out status unknown/);
  });
});

describe('analyzeComparison: against Adam', () => {
  // A shared seed effect and a small steady gain: only a paired test sees it.
  const adam = [0.8, 0.7, 0.9, 0.75, 0.85];
  const gain = [0.02, 0.03, 0.01, 0.025, 0.015];
  const mine = adam.map((x, i) => x + (gain[i] as number));
  const subjects = [subject('mine', { kind: 'file' }), subject('adam'), subject('sgd-momentum')];
  const sgd = [0.7, 0.72, 0.68, 0.71, 0.69];
  const report = analyzeComparison(
    results(
      { subjects, tasks: ['a'], seeds: 5, seed: 3 },
      { mine: { a: mine }, adam: { a: adam }, 'sgd-momentum': { a: sgd } },
    ),
    plan(subjects),
  );

  it('gives the relative change of the means in %, and the reference itself 0 with no p-value', () => {
    const cell = cellOf(report, 'mine', 'a');
    expect(cell.vsReference?.fitness.relative).toBeCloseTo(((mean(mine) - mean(adam)) / mean(adam)) * 100, 10);
    expect(cellOf(report, 'sgd-momentum', 'a').vsReference?.fitness.relative).toBeCloseTo(
      ((mean(sgd) - mean(adam)) / mean(adam)) * 100,
      10,
    );
    expect(cellOf(report, 'adam', 'a').vsReference?.fitness).toMatchObject({ relative: 0, pValue: null, pairs: 5 });
    expect(report.settings.reference).toBe('adam');
  });

  it('pairs seeds by index for a two-sided paired t-test', () => {
    // Expected p-values from Python's standard library, not from evopt: t = mean(d)/(stdev(d)/√5)
    // over the differences d, two-sided p = I_{ν/(ν+t²)}(ν/2, ½) with ν = 4 by the incomplete beta's
    // continued fraction (Numerical Recipes §6.4), agreeing to 1e-16 with the closed form for ν = 4,
    // p = 1 − t(6 + t²)/(t² + 4)^(3/2). mine: t = 4√2 = 5.657; sgd-momentum: t = −2.357.
    const cell = cellOf(report, 'mine', 'a');
    expect(cell.vsReference?.fitness.pValue).toBeCloseTo(0.004812678330044, 12);
    expect(cell.vsReference?.fitness.meanDifference).toBeCloseTo(mean(gain), 12);
    expect(cell.vsReference?.fitness.pairs).toBe(5);
    // sgd-momentum's seeds do not track Adam's: its gap is not significant despite a lower mean.
    expect(cellOf(report, 'sgd-momentum', 'a').vsReference?.fitness.pValue).toBeCloseTo(0.077915621244716, 12);
  });

  it('brackets each mean with its bootstrap interval inside the range of the seeds', () => {
    const { fitness } = cellOf(report, 'mine', 'a');
    expect(fitness.mean).toBeCloseTo(mean(mine), 12);
    expect(fitness.n).toBe(5);
    expect(fitness.low).toBeLessThan(fitness.mean as number);
    expect(fitness.high).toBeGreaterThan(fitness.mean as number);
    expect(fitness.low).toBeGreaterThanOrEqual(Math.min(...mine));
    expect(fitness.high).toBeLessThanOrEqual(Math.max(...mine));
    expect(report.settings).toMatchObject({ level: 0.95, seeds: 5, seed: 3, split: 'test', baselinesTuned: false });
  });

  it('tests overall fitness on per-seed means over tasks: a gain on one task and an equal loss on another cancel', () => {
    const two = [subject('mine', { kind: 'file' }), subject('adam')];
    // Binary fractions, so the per-seed means are exactly equal.
    const r = analyzeComparison(
      results(
        { subjects: two, tasks: ['a', 'b'], seeds: 3, seed: 0 },
        {
          mine: { a: [0.625, 0.375, 0.875], b: [0.375, 0.625, 0.125] },
          adam: { a: [0.5, 0.25, 0.75], b: [0.5, 0.75, 0.25] },
        },
      ),
      plan(two),
    );
    expect(cellOf(r, 'mine', 'a').vsReference?.fitness.pValue).toBe(0);
    expect(cellOf(r, 'mine', 'b').vsReference?.fitness.pValue).toBe(0);
    expect(overallOf(r, 'all', 'mine').vsReference?.fitness).toMatchObject({
      relative: 0,
      pValue: 1,
      meanDifference: 0,
    });
  });

  it('leaves relative changes and p-values out, and says so, when Adam is not compared', () => {
    const noAdam = [subject('mine', { kind: 'file' }), subject('rmsprop')];
    const r = analyzeComparison(
      results(
        { subjects: noAdam, tasks: ['a'], seeds: 2, seed: 0 },
        { mine: { a: [0.9, 0.8] }, rmsprop: { a: [0.7, 0.6] } },
      ),
      plan(noAdam),
    );
    expect(r.settings.reference).toBeNull();
    expect(r.results.every((c) => c.vsReference === null)).toBe(true);
    expect(r.notes.join('\n')).toMatch(/No adam baseline/);
  });

  it('does not take a genome file that happens to be called adam for the reference', () => {
    const impostor = [subject('adam', { kind: 'file', hash: 'other' }), subject('sgd-momentum')];
    const r = analyzeComparison(
      results(
        { subjects: impostor, tasks: ['a'], seeds: 2, seed: 0 },
        { adam: { a: [0.9, 0.8] }, 'sgd-momentum': { a: [0.7, 0.6] } },
      ),
      plan(impostor),
    );
    expect(r.settings.reference).toBeNull();
  });
});

describe('analyzeComparison: diverged, failed and missing seeds', () => {
  const subjects = [subject('mine', { kind: 'file' }), subject('adam')];
  const ok = (score: number, testAccuracy: number) => ({ score, metrics: { testAccuracy } });
  const trial = results(
    { subjects, tasks: ['vision', 'bowl'], seeds: 4, seed: 0 },
    {
      mine: {
        vision: [
          ok(0.9, 0.88),
          { status: 'diverged', score: Number.NaN, metrics: { finalLoss: Number.POSITIVE_INFINITY } },
          { status: 'failed', score: -1, error: { name: 'Error', message: 'boom' } },
          ok(0.8, 0.79),
        ],
        bowl: [0.5, 0.5, undefined, 0.5],
      },
      adam: { vision: [ok(0.85, 0.84), ok(0.86, 0.85), ok(0.84, 0.83), ok(0.85, 0.84)], bowl: [0.4, 0.4, 0.4, 0.4] },
    },
  );
  const report = analyzeComparison(trial, plan(subjects, { vision: 'test', bowl: 'task default' }));

  it('scores a diverged or failed seed −1 (as search does) and counts them', () => {
    const cell = cellOf(report, 'mine', 'vision');
    expect(cell.scores).toEqual([0.9, -1, -1, 0.8]);
    expect(cell.fitness.mean).toBeCloseTo(-0.075, 12);
    expect(cell).toMatchObject({ diverged: 1, failed: 1 });
    expect(report.notes.join('\n')).toMatch(/mine on vision: 1 of 4 seeds failed/);
    expect(report.notes.join('\n')).toMatch(/mine on vision: 1 of 4 seeds diverged/);
  });

  it('takes test accuracy only from seeds that finished, and only on tasks that report it', () => {
    const cell = cellOf(report, 'mine', 'vision');
    expect(cell.testAccuracies).toEqual([0.88, null, null, 0.79]);
    expect(cell.testAccuracy).toMatchObject({ n: 2 });
    expect(cell.testAccuracy?.mean).toBeCloseTo(0.835, 12);
    expect(report.tasks.map((t) => [t.id, t.hasTestAccuracy, t.split])).toEqual([
      ['vision', true, 'test'],
      ['bowl', false, 'task default'],
    ]);
    expect(cellOf(report, 'mine', 'bowl').testAccuracy).toBeNull();
    // Overall accuracy is over the tasks that have it: here vision alone.
    expect(overallOf(report, 'all', 'adam').testAccuracy?.mean).toBeCloseTo(0.84, 12);
    expect(report.notes.join('\n')).toMatch(/bowl has no test split/);
  });

  it('leaves a seed without a record out of the mean, the pairs and the overall, and says so', () => {
    const cell = cellOf(report, 'mine', 'bowl');
    expect(cell.scores).toEqual([0.5, 0.5, null, 0.5]);
    expect(cell.fitness).toMatchObject({ mean: 0.5, n: 3 });
    expect(cell.vsReference?.fitness.pairs).toBe(3);
    expect(overallOf(report, 'all', 'mine').fitness.n).toBe(3);
    expect(report.notes.join('\n')).toMatch(/mine on bowl: only 3 of 4 seeds have a record/);
  });

  it('holds no NaN or Infinity: the report survives JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.schema).toBe('evopt.compare/1');
    expect(report.evoptVersion).toBe(VERSION);
  });
});
