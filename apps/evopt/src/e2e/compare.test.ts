import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { evaluationKeyString, readJournal, type EvaluationRecord } from '@evopt/core';
import type { ComparisonReport } from '../compare/index.js';
import { onlyRun, project, runCli, SMOKE, startCli, until } from './cli.js';

const COMPARE_DIR = join('.evopt', 'compare');

/** The one output directory compare made under .evopt/compare. */
function onlyCompare(cwd: string): string {
  const dirs = readdirSync(join(cwd, COMPARE_DIR));
  if (dirs.length !== 1) throw new Error(`expected one compare directory, found ${dirs.join(', ')}`);
  return join(cwd, COMPARE_DIR, dirs[0] as string);
}

function records(path: string): EvaluationRecord[] {
  return readJournal(path).events.flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
}

const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as ComparisonReport;

describe('evopt compare on a smoke run', () => {
  let cwd: string;
  let runDir: string;
  let runId: string;

  beforeAll(async () => {
    cwd = project(SMOKE);
    const evolved = await runCli(['evolve'], cwd);
    expect(evolved.code).toBe(0);
    runDir = onlyRun(cwd);
    runId = basename(runDir);
  });

  it('writes the Markdown, JSON and SVG reports and prints the table; the same command again evaluates nothing', async () => {
    const args = ['compare', runDir, '--seeds', '3', '--steps', '20'];
    const first = await runCli(args, cwd);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    const dir = onlyCompare(cwd);
    expect(basename(dir)).toMatch(/^[0-9a-f]{12}$/);
    for (const file of ['compare.md', 'compare.json', 'compare.svg', 'trials-test.jsonl'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(existsSync(join(dir, 'trials-validation.jsonl'))).toBe(false);

    // The table: aligned, within 100 columns, with every genome, and Adam as the reference.
    const table = first.stdout.slice(0, first.stdout.indexOf('wrote:'));
    for (const line of table.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    expect(table).toMatch(/untuned baselines/);
    expect(table).toMatch(/overall, all tasks \(all used by search\): testing\/quadratic/);
    expect(table).toMatch(/\n\s+adam\s+\d\.\d{4}\s+\[\d\.\d{4}, \d\.\d{4}\]\s+ref\s/);
    expect(table).toMatch(
      new RegExp(
        `\\n\\s+${runId}\\s+\\d\\.\\d{4}\\s+\\[\\d\\.\\d{4}, \\d\\.\\d{4}\\]\\s+[+-]\\d+\\.\\d{2}%\\s+(<0\\.001|\\d\\.\\d{3})`,
      ),
    );
    expect(first.stdout).toContain(join(COMPARE_DIR, basename(dir), 'compare.md'));
    expect(first.stderr).toMatch(/test: 15\/15 evaluations, done/);

    const report = readReport(dir);
    expect(report.schema).toBe('evopt.compare/1');
    expect(report.subjects.map((s) => [s.label, s.role])).toEqual([
      [runId, 'candidate'],
      ['sgd-momentum', 'baseline'],
      ['adam', 'baseline'],
      ['adamw', 'baseline'],
      ['rmsprop', 'baseline'],
    ]);
    expect(report.subjects[0]?.run?.tasks).toEqual(['testing/quadratic']);
    expect(report.tasks).toMatchObject([
      { id: 'testing/quadratic', split: 'task default', heldOut: false, searchedBy: [runId] },
    ]);
    expect(report.settings).toMatchObject({
      seeds: 3,
      steps: 20,
      seed: 0,
      salt: 'compare',
      reference: 'adam',
      baselinesTuned: false,
    });
    expect(report.results).toHaveLength(5);
    for (const r of report.results) expect(r.scores).toHaveLength(3);
    expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toMatch(/Untuned baselines/);
    expect(readFileSync(join(dir, 'compare.svg'), 'utf8')).toMatch(/^<svg[^>]*>/);

    // The seeds are fresh: none is one the run's search trained with.
    const journal = join(dir, 'trials-test.jsonl');
    const searchSeeds = new Set(records(join(runDir, 'events.jsonl')).map((r) => r.seed));
    expect(records(journal).some((r) => searchSeeds.has(r.seed))).toBe(false);
    expect(records(journal)).toHaveLength(15);

    const again = await runCli(args, cwd);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming: 15 of 15 evaluations already done/);
    expect(records(journal)).toHaveLength(15);
    expect(readReport(dir)).toEqual(report);
  });

  it("--tune-baselines picks each baseline's learning rate on validation and scores that on test", async () => {
    const result = await runCli(
      [
        'compare',
        runId,
        '--seeds',
        '2',
        '--steps',
        '20',
        '--baselines',
        'adam,rmsprop',
        '--tune-baselines',
        '--out',
        'tuned',
      ],
      cwd,
    );
    expect(result.code).toBe(0);
    const dir = join(cwd, 'tuned');
    const report = readReport(dir);
    expect(report.settings.baselinesTuned).toBe(true);
    for (const label of ['adam', 'rmsprop']) {
      const s = report.subjects.find((x) => x.label === label);
      expect(s?.tuning?.grid.map((g) => g.lr)).toEqual([3e-4, 1e-3, 3e-3]);
      expect(s?.tuning?.grid.map((g) => g.lr)).toContain(s?.tuning?.chosenLr);
      expect(s?.lr).toBe(s?.tuning?.chosenLr);
      // The chosen point has the best validation fitness of its grid.
      const best = Math.max(...(s?.tuning?.grid ?? []).map((g) => g.fitness.mean ?? -Infinity));
      expect(s?.tuning?.grid.find((g) => g.lr === s.tuning?.chosenLr)?.fitness.mean).toBe(best);
    }
    // 2 baselines × 3 learning rates × 1 task × 2 seeds on validation; 3 genomes × 2 seeds on test.
    expect(records(join(dir, 'trials-validation.jsonl'))).toHaveLength(12);
    expect(records(join(dir, 'trials-test.jsonl'))).toHaveLength(6);
    expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toMatch(/## Baseline tuning/);
    expect(result.stdout).toMatch(/tuned baselines/);
    expect(result.stdout).toMatch(/adam\s+baseline\s+lr \S+ \(×(0\.3|1|3)\)/);
  });

  it('an unknown id exits 2 listing the baselines and the runs there are', async () => {
    const result = await runCli(['compare', 'adamm', '--seeds', '2'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"adamm" is not a baseline id, a run id, or a file/);
    expect(result.stderr).toMatch(/Known baselines: sgd-momentum, adam, adamw, rmsprop, paper-evolved/);
    expect(result.stderr).toContain(runId);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a genome file that fails the schema exits 2 naming the file and the field', async () => {
    const bad = join(cwd, 'bad-genome.json');
    writeFileSync(
      bad,
      JSON.stringify({
        schema: 'evopt.genome/1',
        terms: [{ primitive: 'adam', alpha: 1 }],
        lr: -1,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0,
        useM: true,
        useV: true,
        biasCorrection: true,
        clip: null,
        schedule: { id: 'constant' },
      }),
    );
    const result = await runCli(['compare', 'bad-genome.json', '--seeds', '2'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toMatch(/lr: expected a learning rate > 0, found number -1/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown baseline in --baselines exits 2 listing the known ones', async () => {
    const result = await runCli(['compare', runId, '--baselines', 'adam,lion'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"lion" is not a baseline id/);
    expect(result.stderr).toMatch(/sgd-momentum, adam, adamw, rmsprop, paper-evolved/);
  });
});

describe('evopt compare, interrupted', () => {
  it('Ctrl-C stops with exit 130, and the same command continues without redoing finished evaluations', async () => {
    // 100 ms per evaluation, one worker: 12 evaluations take over a second.
    const cwd = project({ ...SMOKE, tasks: [{ id: 'testing/quadratic', options: { delayMs: 100 } }] });
    const args = [
      'compare',
      'paper-evolved',
      '--baselines',
      'adam,rmsprop',
      '--seeds',
      '4',
      '--steps',
      '10',
      '--workers',
      '1',
    ];
    const { child, done } = startCli(args, cwd);
    await until(() => {
      try {
        return records(join(onlyCompare(cwd), 'trials-test.jsonl')).length >= 2;
      } catch {
        return false;
      }
    });
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/stopped; run the same command again to continue/);
    const journal = join(onlyCompare(cwd), 'trials-test.jsonl');
    const finished = records(journal).length;
    expect(finished).toBeGreaterThanOrEqual(2);
    expect(finished).toBeLessThan(12);
    expect(existsSync(join(onlyCompare(cwd), 'compare.json'))).toBe(false);

    const resumed = await runCli(args, cwd);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`resuming: ${finished} of 12 evaluations already done`);
    const keys = records(journal).map(evaluationKeyString);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    expect(readReport(onlyCompare(cwd)).results.every((r) => r.fitness.n === 4)).toBe(true);
  });
});

describe('evopt compare on mnist-lite (real digits)', () => {
  it('scores on the test split with test accuracy, and reports a task the run never searched as held out', async () => {
    const cwd = project(SMOKE);
    expect((await runCli(['evolve', '--generations', '1'], cwd)).code).toBe(0);
    const runDir = onlyRun(cwd);
    // A config that also loads the vision plugin, for the held-out task.
    writeFileSync(
      join(cwd, 'both.json'),
      JSON.stringify({
        ...SMOKE,
        plugins: ['@evopt/plugin-vision'],
        tasks: [{ id: 'testing/quadratic' }, { id: 'mnist-lite', options: { model: 'mlp' } }],
      }),
    );
    const started = Date.now();
    const result = await runCli(
      [
        'compare',
        runDir,
        '-c',
        'both.json',
        '--tasks',
        'testing/quadratic,mnist-lite',
        '--baselines',
        'adam',
        '--steps',
        '5',
        '--seeds',
        '2',
        '--workers',
        '1',
        '--json',
      ],
      cwd,
    );
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const report = JSON.parse(result.stdout) as ComparisonReport;
    expect(report.tasks).toMatchObject([
      { id: 'testing/quadratic', split: 'task default', heldOut: false, hasTestAccuracy: false },
      { id: 'mnist-lite', split: 'test', heldOut: true, hasTestAccuracy: true },
    ]);
    const adam = report.results.find((r) => r.subject === 'adam' && r.task === 'mnist-lite');
    expect(adam?.testAccuracy?.n).toBe(2);
    expect(adam?.testAccuracy?.mean).toBeGreaterThan(0.1);
    expect(
      records(join(onlyCompare(cwd), 'trials-test.jsonl'))
        .filter((r) => r.task === 'mnist-lite')
        .every((r) => r.metrics['testAccuracy'] !== undefined && r.metrics['valAccuracy'] === undefined),
    ).toBe(true);
    expect(report.overall.map((s) => [s.group, s.tasks])).toEqual([
      ['all', ['testing/quadratic', 'mnist-lite']],
      ['search', ['testing/quadratic']],
      ['held-out', ['mnist-lite']],
    ]);
    expect(result.stderr).toMatch(/wrote:/);
  });
});
