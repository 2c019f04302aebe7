import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineGenome } from '@evopt/core';
import { findAll, parseXml } from '../ci/__fixtures__/parse-xml.js';
import { BIN, project, type CliResult } from './cli.js';

/** Runs `evopt ci …` with a controlled environment: no inherited $GITHUB_STEP_SUMMARY unless given. */
function ci(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): { done: Promise<CliResult>; kill: (signal: NodeJS.Signals) => void; stderr: () => string } {
  const base: NodeJS.ProcessEnv = { ...process.env, EVOPT_DATA_DIR: join(cwd, 'data') };
  delete base['GITHUB_STEP_SUMMARY'];
  const child = spawn(process.execPath, [BIN, 'ci', ...args], {
    cwd,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { done, kill: (signal) => child.kill(signal), stderr: () => stderr };
}
const run = (args: readonly string[], cwd: string, env?: Record<string, string>) => ci(args, cwd, env).done;

/** The smoke task, evaluated inline (milliseconds each); 200 steps, where paper-evolved beats adam. */
function ciProject(ci: Record<string, unknown>, genomes: Record<string, object> = {}): string {
  const cwd = project({ preset: 'smoke', evaluation: { evaluator: { id: 'inline' } }, ci: { steps: 200, ...ci } });
  mkdirSync(join(cwd, 'genomes'));
  for (const [name, genome] of Object.entries(genomes))
    writeFileSync(join(cwd, 'genomes', name), JSON.stringify(genome));
  return cwd;
}

/** SGD with momentum converges on the quadratic bowl well ahead of adam. */
const GOOD = baselineGenome('sgd-momentum');
/** Adam at lr 1e-7: it barely moves from the start. */
const SLOW = { ...baselineGenome('adam'), lr: 1e-7 };

function junit(path: string) {
  const root = parseXml(readFileSync(path, 'utf8'));
  const cases = findAll(root, 'testcase').map((c) => ({
    id: `${c.attributes['classname']}:${c.attributes['name']}`,
    failure: findAll(c, 'failure')[0]?.attributes['message'],
    skipped: findAll(c, 'skipped').length > 0,
  }));
  return { root, cases };
}

interface RecordFile {
  steps: number;
  seeds: number;
  entries: Record<string, { hash: string; fitness: number }>;
}

describe('evopt ci', () => {
  it('records with --update-baseline, then passes against the record, and fails when a fitness drifts from it', async () => {
    const cwd = ciProject({ genomes: ['paper-evolved', './genomes/good.json'] }, { 'good.json': GOOD });
    const update = await run(['--update-baseline'], cwd);
    expect(update.stderr).not.toMatch(/error/);
    expect(update.code).toBe(0);
    const recordPath = join(cwd, 'evopt-ci-record.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as RecordFile;
    expect(record).toMatchObject({
      schema: 'evopt.ci-record/1',
      steps: 200,
      seeds: 5,
      tasks: [{ id: 'testing/quadratic', options: {} }],
    });
    expect(Object.keys(record.entries)).toEqual(['paper-evolved', 'good']);
    expect(update.stdout).toMatch(/record: wrote evopt-ci-record\.json/);

    const pass = await run(['--junit', 'out/junit.xml', '--json', 'out/report.json'], cwd);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^PASS: 4 checks: 4 passed, 0 regressions, 0 unrecorded$/m);
    const { root, cases } = junit(join(cwd, 'out', 'junit.xml'));
    expect(root.attributes).toMatchObject({ tests: '4', failures: '0', skipped: '0' });
    expect(cases.map((c) => c.id)).toEqual([
      'evopt.ci.baseline:paper-evolved',
      'evopt.ci.baseline:good',
      'evopt.ci.record:paper-evolved',
      'evopt.ci.record:good',
    ]);
    const report = JSON.parse(readFileSync(join(cwd, 'out', 'report.json'), 'utf8')) as {
      status: string;
      genomes: { label: string; fitness: number }[];
      checks: { kind: string; drift?: number }[];
    };
    expect(report.status).toBe('pass');
    // The smoke task is deterministic: the same seeds give exactly the recorded fitness.
    expect(report.checks.filter((c) => c.kind === 'record').map((c) => c.drift)).toEqual([0, 0]);
    expect(report.genomes.map((g) => g.fitness)).toEqual([
      record.entries['paper-evolved']?.fitness,
      record.entries['good']?.fitness,
    ]);
    // A finished run leaves no journal behind.
    expect(existsSync(join(cwd, '.evopt', 'ci'))).toBe(false);

    // A framework change that moves paper-evolved's fitness: simulated by editing the record.
    const entry = record.entries['paper-evolved'] as { fitness: number };
    entry.fitness += 0.05;
    writeFileSync(recordPath, JSON.stringify(record));
    const drift = await run(['--junit', 'out/junit.xml'], cwd);
    expect(drift.code).toBe(1);
    const failed = junit(join(cwd, 'out', 'junit.xml')).cases.filter((c) => c.failure);
    expect(failed.map((c) => c.id)).toEqual(['evopt.ci.record:paper-evolved']);
    expect(failed[0]?.failure).toMatch(
      /moved from its recorded fitness beyond the tolerance: .*drift −0\.0500, tolerance 0\.02/,
    );
  });

  it('fails a guarded genome that barely trains against adam, with a JUnit failure and JSON on stdout', async () => {
    const cwd = ciProject({ genomes: ['./genomes/slow.json'] }, { 'slow.json': SLOW });
    const result = await run(['--junit', 'junit.xml', '--json', '-'], cwd);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      status: string;
      checks: { kind: string; status: string; pValue: number; meanDifference: number }[];
    };
    expect(report.status).toBe('regression');
    const versus = report.checks.find((c) => c.kind === 'baseline');
    expect(versus).toMatchObject({ status: 'regression' });
    expect(versus?.pValue).toBeLessThan(0.05);
    expect(versus?.meanDifference).toBeLessThan(-0.02);
    // The table goes to stderr when stdout carries JSON.
    expect(result.stderr).toMatch(/slow\s+0\.\d{4}\s+−0\.\d{4}\s+< 0\.001\s+REGRESSION/);
    const { root, cases } = junit(join(cwd, 'junit.xml'));
    expect(root.attributes).toMatchObject({ tests: '2', failures: '1', skipped: '1' });
    expect(cases.find((c) => c.failure)?.id).toBe('evopt.ci.baseline:slow');
    expect(cases.find((c) => c.failure)?.failure).toMatch(/slow is worse than adam by more than the tolerance 0\.02/);
  });

  it('appends its Markdown summary to $GITHUB_STEP_SUMMARY and writes --summary', async () => {
    const cwd = ciProject({ genomes: ['./genomes/good.json'], seeds: 2 }, { 'good.json': GOOD });
    const stepSummary = join(cwd, 'step-summary.md');
    writeFileSync(stepSummary, '# An earlier step\n\n');
    const result = await run(['--summary', 'summary.md'], cwd, { GITHUB_STEP_SUMMARY: stepSummary });
    expect(result.code).toBe(0);
    const summary = readFileSync(join(cwd, 'summary.md'), 'utf8');
    expect(summary.split('\n')[0]).toBe('## evopt ci: ✅ pass');
    expect(summary).toMatch(/\| good \| 0\.\d{4} \| \+0\.\d{4} \|/);
    expect(readFileSync(stepSummary, 'utf8')).toBe(`# An earlier step\n\n${summary}\n`);
  });

  it('gives 2, with a fix, for a config or command-line mistake, before evaluating anything', async () => {
    const noBlock = await run(['--junit', 'junit.xml'], project({ preset: 'smoke' }));
    expect(noBlock.code).toBe(2);
    expect(noBlock.stderr).toMatch(/error: evopt\.config\.json has no ci block/);
    expect(noBlock.stderr).toMatch(/fix: Add to evopt\.config\.json: ci: \{ genomes: /);
    expect(noBlock.stderr).not.toMatch(/\n\s+at /);

    const cwd = ciProject({ genomes: ['adamm', './genomes/broken.json'] }, { 'broken.json': { ...SLOW, lr: -1 } });
    const unknown = await run([], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"adamm" is not a baseline id, a run id, or a file/);
    expect(unknown.stderr).toMatch(/Known baselines: sgd-momentum, adam, adamw, rmsprop, paper-evolved/);

    writeFileSync(
      join(cwd, 'evopt.config.json'),
      JSON.stringify({ preset: 'smoke', ci: { genomes: ['./genomes/broken.json'] } }),
    );
    const broken = await run([], cwd);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/genomes\/broken\.json/);
    expect(broken.stderr).toMatch(/lr/);

    for (const args of [['--bogus'], ['--junit'], ['extra-argument']]) {
      const usage = await run(args, cwd);
      expect(usage.code, args.join(' ')).toBe(2);
    }
    expect(existsSync(join(cwd, '.evopt', 'ci'))).toBe(false);
  });

  it('gives 2 for a record made with other settings, and says to update it', async () => {
    const cwd = ciProject({ genomes: ['paper-evolved'], seeds: 2 });
    writeFileSync(
      join(cwd, 'evopt-ci-record.json'),
      JSON.stringify({
        schema: 'evopt.ci-record/1',
        updatedAt: 'then',
        evoptVersion: '0.0.1',
        tasks: [{ id: 'testing/quadratic', options: {} }],
        steps: 60,
        seeds: 2,
        seed: 0,
        entries: {},
      }),
    );
    const result = await run([], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /The ci record evopt-ci-record\.json is stale: it was made with steps 60 \(the config has 200\)/,
    );
    expect(result.stderr).toMatch(/fix: Run `evopt ci --update-baseline`/);
  });

  it('gives 3 when evaluations fail or an output cannot be written', async () => {
    // The quadratic task throws for a genome with this lr: a broken task, not a bad score.
    const cwd = ciProject(
      {
        genomes: ['./genomes/poison.json'],
        seeds: 2,
        tasks: [{ id: 'testing/quadratic', options: { crashOnLr: 0.000123 } }],
      },
      { 'poison.json': { ...GOOD, lr: 0.000123 } },
    );
    const failed = await run(['--junit', 'junit.xml'], cwd);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(
      /error: 2 of 4 ci evaluations failed; the first: poison on testing\/quadratic, seed 0: .*crashOnLr/,
    );
    expect(existsSync(join(cwd, 'junit.xml'))).toBe(false);

    const unwritable = await run(
      ['--junit', 'evopt.config.json/junit.xml'],
      ciProject({ genomes: ['paper-evolved'], seeds: 2 }),
    );
    expect(unwritable.code).toBe(3);
    expect(unwritable.stderr).toMatch(/Cannot write the JUnit report to .*evopt\.config\.json\/junit\.xml/);
    expect(unwritable.stderr).not.toMatch(/ci: \[1\//);
  });

  it('continues an interrupted run from its journal', async () => {
    // 100 ms per evaluation, so there is time to interrupt it part-way.
    const cwd = ciProject({
      genomes: ['paper-evolved'],
      seeds: 3,
      tasks: [{ id: 'testing/quadratic', options: { delayMs: 100 } }],
    });
    const first = ci([], cwd);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (/\[2\/6\]/.test(first.stderr())) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    first.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/fix: Rerun the same `evopt ci` command to continue/);

    const second = await run([], cwd);
    expect(second.code).toBe(0);
    const counts = [...second.stderr.matchAll(/ci: \[(\d+)\/6\]/g)].map((m) => Number(m[1]));
    expect(counts[0]).toBeGreaterThanOrEqual(3);
    expect(counts.at(-1)).toBe(6);
  });
});
