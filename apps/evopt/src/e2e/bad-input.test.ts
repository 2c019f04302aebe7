import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { events, onlyRun, project, runCli } from './cli.js';

describe('bad input gets a clear error, no stack trace, and loses nothing', () => {
  it('the paper preset without its datasets stops before a run exists, naming each dataset and its fetch command', async () => {
    const cwd = project({ preset: 'paper' });
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/3 tasks cannot start/);
    for (const dataset of ['mnist', 'fashion-mnist', 'cifar10']) {
      expect(result.stderr).toMatch(new RegExp(`The ${dataset} dataset is not in ${join(cwd, 'data', dataset)}`));
      expect(result.stderr).toMatch(new RegExp(`evopt data fetch ${dataset}`));
    }
    expect(() => onlyRun(cwd)).toThrow();
  });

  it('malformed config JSON names the file', async () => {
    const cwd = project({});
    writeFileSync(join(cwd, 'evopt.config.json'), '{ "preset": "smoke", }');
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: Cannot load evopt\.config\.json/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown config key gets a did-you-mean', async () => {
    const result = await runCli(['evolve'], project({ preset: 'smoke', ga: { populationSzie: 4 } }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/evopt\.config\.json: ga\.populationSzie/);
    expect(result.stderr).toMatch(/populationSize/);
  });

  it.each([
    ['task', { tasks: [{ id: 'testing/nope' }] }, /Unknown task "testing\/nope"\. Known tasks: testing\/quadratic/],
    [
      'selection strategy',
      { selection: { id: 'lottery' } },
      /Unknown selection strategy "lottery"\. Known selection strategies: rank, roulette, tournament, truncation/,
    ],
    [
      'primitive',
      { ga: { primitives: ['adam', 'lamb'] } },
      /Unknown primitive "lamb"\. Known primitives: adabelief, adam, addsign, grad, lion, momentum, nesterov, powersign, rms, sign, sign-m, unit/,
    ],
    [
      'schedule',
      { ga: { schedules: ['constant', 'cyclic'] } },
      /Unknown schedule "cyclic"\. Known schedules: constant, cosine, linear, step, warmup, warmup-cosine/,
    ],
    [
      'evaluator',
      { evaluation: { evaluator: { id: 'cluster' } } },
      /Unknown evaluator "cluster"\. Known evaluators: inline, worker-pool/,
    ],
  ])('an unknown %s id lists the known ones and creates no run', async (_kind, config, message) => {
    const cwd = project({ preset: 'smoke', ...config });
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(() => onlyRun(cwd)).toThrow();
  });

  it('invalid task options name the config key', async () => {
    const result = await runCli(
      ['evolve'],
      project({ preset: 'smoke', tasks: [{ id: 'testing/quadratic', options: { dims: 'eight' } }] }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tasks\[0\]\.options\.dims: expected number, found string "eight"/);
  });

  it('a plugin that throws while loading is named', async () => {
    const cwd = project({ preset: 'smoke', plugins: ['./broken-plugin.mjs'] });
    writeFileSync(join(cwd, 'broken-plugin.mjs'), 'throw new Error("cannot find CUDA");\n');
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Plugin "\.\/broken-plugin\.mjs" threw while loading: cannot find CUDA/);
  });

  it('a task that fails every evaluation stops the run with its error instead of scoring everything −1', async () => {
    const cwd = project({
      preset: 'smoke',
      plugins: ['./no-data.mjs'],
      tasks: [{ id: 'no-data/digits' }],
      evaluation: { evaluator: { id: 'inline' } },
    });
    writeFileSync(
      join(cwd, 'no-data.mjs'),
      `export default { name: 'evopt-plugin-no-data', apiVersion: '1.0', tasks: [{ id: 'no-data/digits',
      meta: { summary: 'needs a dataset' }, create() { throw new Error('digits.idx not found in the data dir'); } }] };\n`,
    );
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Every evaluation of generation 1 failed\. The first error: .*evopt-plugin-no-data.*no-data\/digits.*digits\.idx not found/,
    );
    expect(result.stderr).toMatch(/evopt resume/);
    expect(events(onlyRun(cwd)).at(-1)?.type).toBe('run-failed');
  });

  it('a plugin for another API major version is refused with both versions', async () => {
    const cwd = project({ preset: 'smoke', plugins: ['./future-plugin.mjs'] });
    writeFileSync(
      join(cwd, 'future-plugin.mjs'),
      'export default { name: "evopt-plugin-future", apiVersion: "2.0", primitives: [] };\n',
    );
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /Plugin "evopt-plugin-future" targets plugin API 2\.0, but this evopt implements plugin API 1\.0/,
    );
  });

  it('baselines outside a restricted ga.primitives are refused, naming each and what it uses', async () => {
    const cwd = project({ preset: 'smoke', ga: { primitives: ['lion', 'adam'] } });
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /ga\.primitives restricts the search to lion, adam, but ga\.baselines seeds genomes with other primitives: sgd-momentum \(uses momentum\); rmsprop \(uses rms\)/,
    );
    expect(result.stderr).toMatch(/fix: List only baselines made of those primitives/);
    const fixed = project({
      preset: 'smoke',
      ga: { primitives: ['lion', 'adam'], baselines: ['adam'], generations: 1 },
      evaluation: { evaluator: { id: 'inline' } },
    });
    expect((await runCli(['evolve'], fixed)).code).toBe(0);
  });

  it('a malformed baseline genome file names the file and the field', async () => {
    const cwd = project({ preset: 'smoke', ga: { baselines: ['adam', './mine.json'] } });
    writeFileSync(
      join(cwd, 'mine.json'),
      JSON.stringify({ schema: 'evopt.genome/1', terms: [{ primitive: 'adam', alpha: 'big' }] }),
    );
    const result = await runCli(['evolve'], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mine\.json is not a valid evopt\.genome\/1 genome/);
    expect(result.stderr).toMatch(/terms\[0\]\.alpha: expected number, found string "big"/);
  });

  it('a run directory locked by a live process is refused', async () => {
    const cwd = project({ preset: 'smoke', ga: { generations: 1 } });
    await runCli(['evolve', '--evaluator', 'inline'], cwd);
    const dir = onlyRun(cwd);
    writeFileSync(
      join(dir, 'run.lock'),
      JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() }),
    );
    const result = await runCli(['resume', dir], cwd);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`held by process ${process.pid}`));
  });

  it('resuming something that is not a run says how to find runs', async () => {
    const cwd = project({ preset: 'smoke' });
    mkdirSync(join(cwd, 'not-a-run'));
    const result = await runCli(['resume', 'not-a-run'], cwd);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/evopt runs/);
  });
});
