import { describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptError } from '@evopt/core';
import { evaluateChecks } from './checks.js';
import { ADAM, plan, record, shifted, source, subject } from './__fixtures__/synthetic.js';
import type { CiBaselineCheck, CiRecordCheck, CiReport } from './report.js';

const mine = subject('mine');
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function versus(report: CiReport, genome = 'mine'): CiBaselineCheck {
  const check = report.checks.find((c) => c.kind === 'baseline' && c.genome === genome);
  if (!check || check.kind !== 'baseline') throw new Error(`no baseline check for ${genome}`);
  return check;
}

function recorded(report: CiReport, genome = 'mine'): CiRecordCheck {
  const check = report.checks.find((c) => c.kind === 'record' && c.genome === genome);
  if (!check || check.kind !== 'record') throw new Error(`no record check for ${genome}`);
  return check;
}

function failure(run: () => unknown): EvoptError {
  try {
    run();
  } catch (error) {
    if (isEvoptError(error)) return error;
    throw error;
  }
  throw new Error('expected an EvoptError');
}

describe('the check against the baseline', () => {
  it('fails a genome worse than adam beyond the tolerance, with the numbers in the message', () => {
    const scores = { 'adam-hash': { 'testing/quadratic': ADAM }, 'mine-hash': { 'testing/quadratic': shifted(-0.1) } };
    const report = evaluateChecks(source(scores), plan([mine]), null);
    const check = versus(report);
    expect(check.status).toBe('regression');
    expect(report.status).toBe('regression');
    expect(check.pValue).toBeLessThan(0.05);
    expect(check.meanDifference).toBeCloseTo(-0.1, 10);
    expect(check.message).toMatch(
      /^mine is worse than adam by more than the tolerance 0\.02: fitness 0\.80\d\d vs 0\.9000/,
    );
    expect(check.message).toMatch(/p < 0\.001/);
  });

  it('tests against a shortfall of exactly the tolerance (paired, one-sided)', () => {
    const genome = shifted(-0.03);
    const report = evaluateChecks(
      source({ 'adam-hash': { 'testing/quadratic': ADAM }, 'mine-hash': { 'testing/quadratic': genome } }),
      plan([mine]),
      null,
    );
    const d = genome.map((g, i) => g - (ADAM[i] as number));
    const sd = Math.sqrt(d.reduce((sum, x) => sum + (x - mean(d)) ** 2, 0) / (d.length - 1));
    const check = versus(report);
    expect(check.statistic).toBeCloseTo((mean(d) + 0.02) / (sd / Math.sqrt(d.length)), 8);
    expect(check.df).toBe(4);
    expect(check.n).toBe(5);
  });

  it('passes a genome behind adam by less than the tolerance, and one ahead of it', () => {
    for (const delta of [-0.01, 0, 0.05]) {
      const report = evaluateChecks(
        source({ 'adam-hash': { 'testing/quadratic': ADAM }, 'mine-hash': { 'testing/quadratic': shifted(delta) } }),
        plan([mine]),
        null,
      );
      expect(versus(report).status, `delta ${delta}`).toBe('pass');
    }
  });

  it('lets a larger tolerance or a stricter alpha accept the same shortfall', () => {
    const scores = source({
      'adam-hash': { 'testing/quadratic': ADAM },
      'mine-hash': { 'testing/quadratic': shifted(-0.05) },
    });
    expect(versus(evaluateChecks(scores, plan([mine]), null)).status).toBe('regression');
    expect(versus(evaluateChecks(scores, plan([mine], { tolerance: 0.1 }), null)).status).toBe('pass');
    // Noisy enough differences that p sits between the two alphas.
    const noisy = source({
      'adam-hash': { 'testing/quadratic': ADAM },
      'mine-hash': { 'testing/quadratic': shifted(-0.05, [0.03, -0.03, 0.02, -0.02, 0.01]) },
    });
    const loose = versus(evaluateChecks(noisy, plan([mine], { alpha: 0.1 }), null));
    const strict = versus(evaluateChecks(noisy, plan([mine], { alpha: 0.01 }), null));
    expect(loose.pValue).toBe(strict.pValue);
    expect(loose.pValue).toBeGreaterThan(0.01);
    expect(loose.pValue).toBeLessThan(0.1);
    expect([loose.status, strict.status]).toEqual(['regression', 'pass']);
  });

  it('pairs scores by task and seed and averages fitness over both', () => {
    const tasks = ['task-a', 'task-b'];
    const scores = {
      'adam-hash': { 'task-a': [0.5, 0.6], 'task-b': [0.9, 0.8] },
      'mine-hash': { 'task-a': [0.4, 0.5], 'task-b': [0.8, 0.7] },
    };
    const report = evaluateChecks(
      source(scores),
      plan([mine], { tasks, seeds: 2, taskOptions: { 'task-a': {}, 'task-b': {} } }),
      null,
    );
    const genome = report.genomes[0];
    expect(genome?.perTask).toEqual({ 'task-a': 0.45, 'task-b': 0.75 });
    expect(genome?.fitness).toBeCloseTo(0.6, 12);
    expect(report.baseline.fitness).toBeCloseTo(0.7, 12);
    // Every pair is 0.1 behind: no spread, so the test is decided by the side of the mean.
    expect(versus(report).n).toBe(4);
    expect(versus(report).status).toBe('regression');
  });

  it('passes a genome identical to the baseline, even with zero tolerance', () => {
    const report = evaluateChecks(
      source({ 'adam-hash': { 'testing/quadratic': ADAM } }),
      plan([subject('adam')], { tolerance: 0 }),
      null,
    );
    expect(versus(report, 'adam').status).toBe('pass');
  });

  it('counts diverged seeds (scored −1) against the genome', () => {
    const scores = {
      'adam-hash': { 'testing/quadratic': ADAM },
      'mine-hash': { 'testing/quadratic': [0.9, -1, 0.95, -1, 0.92] },
    };
    const report = evaluateChecks(source(scores), plan([mine]), null);
    expect(report.genomes[0]?.diverged).toBe(2);
    expect(versus(report).fitness).toBeCloseTo(mean([0.9, -1, 0.95, -1, 0.92]), 12);
  });
});

describe('the check against the record', () => {
  const scores = { 'adam-hash': { 'testing/quadratic': ADAM }, 'mine-hash': { 'testing/quadratic': shifted(0) } };
  const now = mean(shifted(0));

  it('fails a fitness that moved from its record beyond the tolerance, either way', () => {
    for (const then of [now + 0.03, now - 0.03]) {
      const report = evaluateChecks(
        source(scores),
        plan([mine]),
        record({ mine: { hash: 'mine-hash', fitness: then, perTask: {} } }),
      );
      const check = recorded(report);
      expect(check.status).toBe('regression');
      expect(check.drift).toBeCloseTo(now - then, 12);
      expect(check.message).toMatch(/mine moved from its recorded fitness beyond the tolerance/);
      expect(report.status).toBe('regression');
      expect(report.hints.join(' ')).toMatch(/--update-baseline/);
    }
  });

  it('passes a fitness within the tolerance of its record', () => {
    const report = evaluateChecks(
      source(scores),
      plan([mine]),
      record({ mine: { hash: 'mine-hash', fitness: now + 0.015, perTask: {} } }),
    );
    expect(recorded(report)).toMatchObject({ status: 'pass', recorded: now + 0.015 });
    expect(report.status).toBe('pass');
    expect(report.counts).toEqual({ checks: 2, passed: 2, regressions: 0, unrecorded: 0 });
  });

  it('reports a genome the record lacks as unrecorded, which does not fail, with a hint', () => {
    for (const rec of [null, record({ other: { hash: 'x', fitness: 0.5, perTask: {} } })]) {
      const report = evaluateChecks(source(scores), plan([mine]), rec);
      expect(recorded(report)).toMatchObject({ status: 'unrecorded', recorded: null, drift: null });
      expect(report.status).toBe('pass');
      expect(report.counts.unrecorded).toBe(1);
      expect(report.hints).toEqual([
        '1 genome is unrecorded: run `evopt ci --update-baseline` and commit evopt-ci-record.json to guard its fitness too.',
      ]);
    }
  });

  it('treats a genome that changed since it was recorded as unrecorded, not as drift', () => {
    const report = evaluateChecks(
      source(scores),
      plan([mine]),
      record({ mine: { hash: 'old-hash', fitness: 0.1, perTask: {} } }),
    );
    expect(recorded(report).status).toBe('unrecorded');
    expect(recorded(report).message).toMatch(/the genome changed since it was recorded/);
  });

  it('does not mistake an inherited property for an entry', () => {
    const report = evaluateChecks(
      source({ ...scores, 'constructor-hash': scores['mine-hash'] }),
      plan([subject('constructor')]),
      record({}),
    );
    expect(recorded(report, 'constructor').status).toBe('unrecorded');
  });

  it('refuses a stale record (other steps, seeds, seed, tasks or task options) as a config error', () => {
    const stale = [
      record({}, { steps: 60 }),
      record({}, { seeds: 3 }),
      record({}, { seed: 7 }),
      record({}, { tasks: [{ id: 'mnist-lite', options: {} }] }),
      record({}, { tasks: [{ id: 'testing/quadratic', options: { dims: 4 } }] }),
    ];
    for (const rec of stale) {
      const error = failure(() => evaluateChecks(source(scores), plan([mine]), rec));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(/^The ci record evopt-ci-record\.json is stale: it was made with /);
      expect(error.fix).toMatch(/evopt ci --update-baseline/);
    }
    expect(failure(() => evaluateChecks(source(scores), plan([mine]), record({}, { steps: 60 }))).message).toContain(
      'steps 60 (the config has 100)',
    );
  });
});

describe('incomplete results', () => {
  it('are an evaluation failure, not a verdict', () => {
    const error = failure(() =>
      evaluateChecks(
        source({ 'adam-hash': { 'testing/quadratic': ADAM }, 'mine-hash': { 'testing/quadratic': [0.9, 0.8] } }),
        plan([mine]),
        null,
      ),
    );
    expect(error.code).toBe('EVALUATION_FAILED');
    expect(error.message).toContain('mine has 2 of 5 evaluations on testing/quadratic');
  });
});
